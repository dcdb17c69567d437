#include "sim/run/Runner.h"

#include <systemc>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "models/common/Cycles.h"
#include "sim/core/ConfigError.h"
#include "sim/config/ConfigJson.h"
#include "sim/config/ConfigLoader.h"
#include "sim/core/Version.h"
#include "sim/run/DatapathRegistry.h"
#include "sim/io/NpyIo.h"
#include "models/Datapath.h"
#include "sim/resources/AsicArea.h"
#include "sim/run/Verify.h"
#include "sim/trace/TraceRequest.h"
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
  (void)defaultAsicCalibration();  // the ASIC area model's (configs/calibration/yosys-asic-generic.json)
  (void)asicNode("45nm");          // and its node (configs/asic/45nm.json)
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

void applyDatapathDefaults(ArchConfig& a, bool strict, std::ostream* warnings) {
  const DatapathEntry& dp = datapathEntry(a);
  if (!a.dataflow_given) {
    if (dp.dataflows.size() != 1) {
      std::string names;
      for (Dataflow d : dp.dataflows) names += std::string(names.empty() ? "" : ", ") + toString(d);
      throw ConfigError(a.source_file, "dataflow", std::string("required field is missing: the ") + toString(a.datapath) +
                                                       " datapath supports several dataflows (" + names + "); give one");
    }
    a.dataflow = dp.dataflows.front();
    a.dataflow_given = true;
  }
  for (const auto& section : a.foreign_sections) {
    const std::string why = std::string("a section for the ") + section + " datapath, but this architecture's datapath is " +
                            toString(a.datapath) + ": it is ignored";
    if (strict) throw ConfigError(a.source_file, section, why + " (--strict)");
    if (warnings) *warnings << "warning: " << a.source_file << ": " << section << ": " << why << " (--strict makes this an error)\n";
  }
}

void checkTiming(const ArchConfig& a, bool allowOverclock) {
  const ResourceTables t = loadResourceTables(a);
  const double fmax = fmaxFor(t.part, toString(a.datapath));
  if (t.table.kind != "fpga" || fmax <= 0 || a.clock_mhz <= fmax || allowOverclock) return;
  char b[96];
  std::snprintf(b, sizeof b, "%g MHz is above the timing limit of %g MHz", a.clock_mhz, fmax);
  throw ConfigError(a.source_file, "clock_mhz", std::string(b) + " for the " + toString(a.datapath) + " datapath on " + t.part.name + " (" +
                                                    sourceRelative(t.part.source_file) + ", timing.fmax_mhz: " + t.part.timing_source +
                                                    "); --allow-overclock simulates it anyway");
}

void checkDatapathRules(const ArchConfig& a) {
  const DatapathEntry& dp = datapathEntry(a);
  if (std::find(dp.dataflows.begin(), dp.dataflows.end(), a.dataflow) == dp.dataflows.end())
    throw ConfigError(a.source_file, "dataflow", dp.dataflow_reason + "; set \"os\"");
}

void validateRun(const ArchConfig& a, const NetworkConfig& n) {
  checkDatapathRules(a);
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

namespace {

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
      uint64_t t0 = nowCycles();
      if (tracer_) tracer_->setLayer(static_cast<int>(i));
      LayerOutcome out = dp_.runLayer(w);
      lr.simulated_cycles = nowCycles() - t0;
      lr.cycles = (a_.compat == Compat::ScaleSim && lr.simulated_cycles > 0) ? lr.simulated_cycles - 1 : lr.simulated_cycles;
      static_cast<LayerStats&>(lr) = std::move(out.stats);
      lr.info = std::move(out.info);
      lr.macs_dense = static_cast<uint64_t>(w.geom.macsDense());
      lr.utilization = lr.simulated_cycles ? double(lr.macs_issued) / (double(lr.simulated_cycles) * double(dp_.multipliers())) : 0.0;
      lr.weight_nonzeros = w.weight_nonzeros;
      lr.input_nonzeros = w.input_nonzeros;
      lr.kwta_k = w.kwta_k;
      verifyLayer(w, a_, out.output, lr);
      const Int32Tensor& outTensor = out.output;
      if (!o_.dump_tensors_dir.empty()) dumpLayerTensors(o_.dump_tensors_dir, w, outTensor);
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


// Resources of the design on its part, and each layer's energy from the counted events.
static void attachResourcesAndEnergy(RunResult& r, const ResourceTables& tables) {
  const ArchConfig& a = r.arch;
  r.resources = estimateResources(a);
  applyAsicArea(r.resources, tables.asic);
  r.part = tables.part;
  r.fit = fitOnPart(r.resources.total, tables.part);
  r.asic = estimateAsicArea(a, "45nm");  // docs/asic-area.md
  r.energy_table = tables.table;
  r.energy = EnergyResult{};
  for (auto& l : r.layers) {
    const double secs = double(l.cycles) / (a.clock_mhz * 1e6);
    l.energy = layerEnergy(tables.table, a, r.resources, r.fit, tables.part.name, l, secs);
    for (const auto& [k, v] : l.energy.by_block) r.energy.by_block[k] += v;
    for (const auto& [k, v] : l.energy.by_event) r.energy.by_event[k] += v;
    r.energy.total_j += l.energy.total_j;
  }
}

RunResult runSimulation(const ArchConfig& a, const NetworkConfig& n, const RunOptions& opt) {
  auto wall0 = std::chrono::steady_clock::now();
  RunResult r;
  r.arch = a;
  r.network = n;
  r.seed = opt.seed;
  checkDatapathRules(a);
  const ResourceTables tables = loadResourceTables(a);
  std::unique_ptr<Tracer> tracer;
  if (!opt.trace.dir.empty()) {
    nlohmann::ordered_json header;
    header["seed"] = opt.seed;
    header["sparsesim_version"] = sparsesimVersion();
    header["arch"] = toJson(a);
    header["network"] = toJson(n);
    tracer = std::make_unique<Tracer>(opt.trace, resolveTraceBlocks(datapathEntry(a).traceable, a, opt.trace.blocks, "--trace-blocks"), header);
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
