#include "sim/run/Runner.h"

#include <systemc>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <set>

#include "models/Cycles.h"
#include "sim/config/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/report/Report.h"
#include "sim/io/NpyIo.h"
#include "sim/reference/ReferenceConv.h"
#include "sim/run/Datapath.h"
#include "sim/resources/EnergyModel.h"
#include "sim/run/TensorDump.h"
#include "sim/workload/CsSramFit.h"
#include "sim/workload/LayerMemory.h"

namespace sparsesim {

namespace {
// The part and energy tables an architecture names, loaded before anything is simulated so a bad
// name fails first (and never from inside or after the SystemC kernel's coroutines).
struct ResourceTables {
  FpgaPart part;
  EnergyTable asic;
  EnergyTable table;
};
ResourceTables loadResourceTables(const ArchConfig& a) {
  ResourceTables t;
  t.part = loadFpgaPart(resolveConfigFile("fpga", a.fpga_part, a.source_file, "fpga_part"));
  t.asic = loadEnergyTable(resolveConfigFile("energy", "asic-45nm-horowitz", a.source_file, "energy_table"));
  t.table = a.energy_table == t.asic.name ? t.asic : loadEnergyTable(resolveConfigFile("energy", a.energy_table, a.source_file, "energy_table"));
  (void)defaultCalibration();  // the resource model's fitted coefficients (configs/calibration)
  return t;
}
}  // namespace

NetworkConfig selectLayers(const NetworkConfig& n, const std::vector<std::string>& names) {
  if (names.empty()) return n;
  std::set<std::string> want(names.begin(), names.end());
  NetworkConfig out = n;
  out.layers.clear();
  for (const auto& l : n.layers)
    if (want.erase(l.name)) out.layers.push_back(l);
  if (!want.empty()) {
    std::string known;
    for (size_t i = 0; i < n.layers.size() && i < 8; ++i) known += (i ? ", " : "") + n.layers[i].name;
    throw ConfigError(n.source_file, "layers", "--layers names \"" + *want.begin() + "\", which is not a layer of network \"" + n.name + "\" (layers: " + known + (n.layers.size() > 8 ? ", ..." : "") + ")");
  }
  return out;
}

void validateRun(const ArchConfig& a, const NetworkConfig& n) {
  (void)loadResourceTables(a);
  for (size_t i = 0; i < n.layers.size(); ++i) {
    const LayerConfig& l = n.layers[i];
    const std::string path = "layers[" + std::to_string(i) + "]";
    if (a.compat == Compat::ScaleSim && (l.kernel_h > l.in_h || l.kernel_w > l.in_w))
      throw ConfigError(n.source_file, path + ".kernel_h", "kernel larger than the input; SCALE-Sim compat mode (" + a.source_file + ") has no padding");
    LayerGeometry g = computeGeometry(l, a.compat);
    checkLayerMemory(g, n.source_file, path);  // refuse before allocating
    checkCsSramFits(a, g, l.name, path);
    if (!l.weights_file.empty()) {
      Int8Tensor t = loadInt8Npy(l.weights_file, path + ".weights");
      std::vector<int64_t> expect = {g.out_c, g.in_c / g.groups, g.kh, g.kw};
      std::vector<int64_t> expect2d = {g.out_c, g.in_c / g.groups};
      if (!(t.shape == expect || (l.type == LayerType::Linear && t.shape == expect2d)))
        throw ConfigError(n.source_file, path + ".weights", "weights file " + l.weights_file + " does not have the layer's OIHW shape");
    }
  }
}

uint64_t countUsefulMacs(const LayerWorkload& w) {
  const LayerGeometry& g = w.geom;
  const int cPer = g.in_c / g.groups;
  const int oPer = g.out_c / g.groups;
  uint64_t total = 0;
  std::vector<uint64_t> colCount(g.in_w);
  for (int grp = 0; grp < g.groups; ++grp) {
    for (int c = 0; c < cPer; ++c) {
      const int8_t* plane = w.input.data.data() + int64_t(grp * cPer + c) * g.in_h * g.in_w;
      for (int ky = 0; ky < g.kh; ++ky)
        for (int kx = 0; kx < g.kw; ++kx) {
          uint64_t wnz = 0;
          for (int o = grp * oPer; o < (grp + 1) * oPer; ++o)
            wnz += w.weights.data[((int64_t(o) * cPer + c) * g.kh + ky) * g.kw + kx] != 0;
          if (!wnz) continue;
          uint64_t anz = 0;
          for (int oy = 0; oy < g.out_h; ++oy) {
            int iy = oy * g.stride - g.pad_top + ky;
            if (iy < 0 || iy >= g.in_h) continue;
            for (int ox = 0; ox < g.out_w; ++ox) {
              int ix = ox * g.stride - g.pad_left + kx;
              anz += (ix >= 0 && ix < g.in_w && plane[int64_t(iy) * g.in_w + ix] != 0);
            }
          }
          total += anz * wnz;
        }
    }
  }
  return total;
}

namespace {

void verifyLayer(const LayerWorkload& w, const Int32Tensor& got, LayerResult& r) {
  Int32Tensor ref = referenceConv(w);
  r.mismatches = 0;
  if (got.shape != ref.shape) {
    r.mismatches = static_cast<int64_t>(ref.size());
    r.first_mismatch = "output shape differs from the reference";
  } else {
    for (size_t i = 0; i < ref.size(); ++i) {
      if (ref.data[i] != got.data[i]) {
        if (r.mismatches++ == 0)
          r.first_mismatch = "flat index " + std::to_string(i) + ": expected " + std::to_string(ref.data[i]) + ", got " + std::to_string(got.data[i]);
      }
    }
  }
  r.verified = r.mismatches == 0;
}

// Feeds the layers through the datapath in simulated time, one after another.
class LayerSequencer : public sc_core::sc_module {
 public:
  LayerSequencer(sc_core::sc_module_name name, Datapath& dp, const ArchConfig& a, const NetworkConfig& n, const RunOptions& o, RunResult& r,
                 Tracer* tracer)
      : sc_module(name), dp_(dp), a_(a), n_(n), o_(o), r_(r), tracer_(tracer) {
    SC_HAS_PROCESS(LayerSequencer);
    SC_THREAD(run);
  }

 private:
  void run() {
    // An exception escaping an SC_THREAD becomes a SystemC report; keep it and rethrow it from
    // runSimulation instead, so callers see the original error.
    try {
      runLayers();
    } catch (...) {
      r_.error = std::current_exception();
    }
  }
  void runLayers() {
    for (size_t i = 0; i < n_.layers.size(); ++i) {
      const LayerConfig& l = n_.layers[i];
      LayerWorkload w = makeWorkload(l, a_.compat, o_.seed, n_.source_file, static_cast<int>(i));
      LayerResult lr;
      lr.name = l.name;
      lr.type = l.type;
      lr.geom = w.geom;
      LayerStats stats;
      Int32Tensor out;
      uint64_t t0 = nowCycles();
      if (tracer_) tracer_->setLayer(static_cast<int>(i));
      dp_.runLayer(w, stats, out, lr.extra);
      lr.simulated_cycles = nowCycles() - t0;
      lr.cycles = (a_.compat == Compat::ScaleSim && lr.simulated_cycles > 0) ? lr.simulated_cycles - 1 : lr.simulated_cycles;
      lr.macs_dense = static_cast<uint64_t>(w.geom.macsDense());
      lr.macs_issued = stats.macs_issued;
      lr.macs_useful = countUsefulMacs(w);
      lr.utilization = lr.simulated_cycles ? double(lr.macs_issued) / (double(lr.simulated_cycles) * double(dp_.multipliers())) : 0.0;
      lr.stall_cycles = stats.stall_cycles;
      lr.dram_read_bytes = stats.dram_read_bytes;
      lr.dram_write_bytes = stats.dram_write_bytes;
      lr.folds = stats.folds;
      lr.sram_read_bytes = stats.sram_read_bytes;
      lr.sram_write_bytes = stats.sram_write_bytes;
      lr.register_accesses = stats.register_accesses;
      lr.routing_hops = stats.routing_hops;
      lr.block_events = stats.block_events;
      lr.selector_comparisons = stats.selector_comparisons;
      lr.weight_nonzeros = w.weight_nonzeros;
      lr.input_nonzeros = w.input_nonzeros;
      lr.kwta_k = w.kwta_k;
      verifyLayer(w, out, lr);
      if (!o_.dump_tensors_dir.empty()) dumpLayerTensors(o_.dump_tensors_dir, w, out);
      if (o_.progress)
        std::cerr << "[" << (i + 1) << "/" << n_.layers.size() << "] " << l.name << ": " << lr.cycles << " cycles, "
                  << (lr.verified ? "verified" : "MISMATCH") << "\n";
      r_.layers.push_back(std::move(lr));
    }
    // Returning leaves every block waiting on an empty FIFO: sc_start() then returns on its own.
  }
  Datapath& dp_;
  const ArchConfig& a_;
  const NetworkConfig& n_;
  const RunOptions& o_;
  RunResult& r_;
  Tracer* tracer_;
};

}  // namespace


static void attachResourcesAndEnergy(RunResult& r, const ResourceTables& tables) {
  const ArchConfig& a = r.arch;
  const FpgaPart& part = tables.part;
  const EnergyTable& asic = tables.asic;
  const EnergyTable& table = tables.table;
  ResourceEstimate res = estimateResources(a);
  applyAsicArea(res, asic);
  PartFit fit = fitOnPart(res.total, part);
  r.resources = toJson(res, part, fit);
  nlohmann::ordered_json byBlock = nlohmann::ordered_json::object(), byEvent = nlohmann::ordered_json::object();
  std::map<std::string, double> blocks, events;
  double total = 0;
  for (auto& l : r.layers) {
    const double secs = double(l.cycles) / (a.clock_mhz * 1e6);
    EnergyResult e = layerEnergy(table, a, res, fit, part.name, l, secs);
    nlohmann::ordered_json lb = nlohmann::ordered_json::object(), le = nlohmann::ordered_json::object();
    for (const auto& [k, v] : e.by_block) { lb[k] = v; blocks[k] += v; }
    for (const auto& [k, v] : e.by_event) { le[k] = v; events[k] += v; }
    l.energy = {{"total_j", e.total_j}, {"by_block", lb}, {"by_event", le}};
    total += e.total_j;
  }
  for (const auto& [k, v] : blocks) byBlock[k] = v;
  for (const auto& [k, v] : events) byEvent[k] = v;
  nlohmann::ordered_json en;
  en["table"] = table.name;
  en["table_file"] = table.source_file;
  en["kind"] = table.kind;
  en["total_j"] = total;
  en["per_inference_j"] = total;  // one inference (batch 1) per run
  en["inferences_per_joule"] = total > 0 ? 1.0 / total : 0.0;
  en["breakdown"] = {{"by_block", byBlock}, {"by_event", byEvent}};
  en["units"] = {{"total_j", "joules per run"}, {"per_inference_j", "joules per inference (batch 1)"},
                 {"breakdown", "joules"}};
  r.energy = en;
}

RunResult runSimulation(const ArchConfig& a, const NetworkConfig& n, const RunOptions& opt) {
  auto wall0 = std::chrono::steady_clock::now();
  RunResult r;
  r.arch = a;
  r.network = n;
  r.seed = opt.seed;
  const ResourceTables tables = loadResourceTables(a);
  std::unique_ptr<Tracer> tracer;
  if (!opt.trace.dir.empty()) {
    nlohmann::ordered_json header;
    header["seed"] = opt.seed;
    header["sparsesim_version"] = sparsesimVersion();
    header["arch"] = toJson(a);
    header["network"] = toJson(n);
    tracer = std::make_unique<Tracer>(opt.trace, resolveTraceBlocks(a, opt.trace.blocks, "--trace-blocks"), header);
  }
  {
    std::unique_ptr<Datapath> dp = makeDatapath(a);
    r.multipliers = dp->multipliers();
    if (tracer) dp->attachTracer(*tracer);
    LayerSequencer seq("sequencer", *dp, a, n, opt, r, tracer.get());
    sc_core::sc_start();
  }
  if (r.error) std::rethrow_exception(r.error);
  if (tracer) tracer->finish();
  r.verified = !r.layers.empty();
  for (const auto& l : r.layers) {
    r.total_cycles += l.cycles;
    r.verified = r.verified && l.verified;
  }
  r.seconds = double(r.total_cycles) / (a.clock_mhz * 1e6);
  attachResourcesAndEnergy(r, tables);
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return r;
}

}  // namespace sparsesim
