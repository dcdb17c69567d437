#include "sim/report/Report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <sstream>

#include "sim/config/ConfigJson.h"
#include "sim/config/ConfigLoader.h"
#include "sim/io/StagedDir.h"
#include "sim/report/CompareTable.h"
#include "sim/report/CostSections.h"
#include "sim/report/PipelineSection.h"
#include "sim/report/DatapathSections.h"
#include "sim/report/LayersCsv.h"
#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

using nlohmann::ordered_json;

ordered_json buildReport(const RunResult& r) {
  ordered_json j;
  j["sparsesim_version"] = sparsesimVersion();
  j["arch"] = r.arch.name;
  j["network"] = r.network.name;
  j["datapath"] = toString(r.arch.datapath);
  j["seed"] = r.seed;
  j["clock_mhz"] = r.arch.clock_mhz;
  j["multipliers"] = r.multipliers;
  j["compat"] = toString(r.arch.compat);
  if (r.arch.compat == Compat::ScaleSim) {
    ordered_json notes = ordered_json::array();
    for (const auto& l : r.network.layers)
      if (std::string n = compatDroppedNote(l); !n.empty()) notes.push_back(n);
    if (!notes.empty()) j["compat_notes"] = notes;
  }
  ordered_json layers = ordered_json::array();
  for (const auto& l : r.layers) {
    ordered_json x;
    x["name"] = l.name;
    x["type"] = toString(l.type);
    x["gemm"] = {{"M", l.geom.M}, {"K", l.geom.K}, {"N", l.geom.N}, {"groups", l.geom.groups}};
    x["output_shape"] = {l.geom.out_c, l.geom.out_h, l.geom.out_w};
    x["cycles"] = l.cycles;
    x["simulated_cycles"] = l.simulated_cycles;
    x["macs_dense"] = l.macs_dense;
    x["macs_issued"] = l.macs_issued;
    x["macs_useful"] = l.macs_useful;
    x["utilization"] = l.utilization;
    ordered_json stalls = ordered_json::object();
    for (const auto& [cause, n] : l.stall_cycles.entries()) stalls[statInfo(cause).name] = n;
    x["stall_cycles"] = stalls;
    x["dram_bytes"] = l.dram_read_bytes + l.dram_write_bytes;
    x["dram_read_bytes"] = l.dram_read_bytes;
    x["dram_write_bytes"] = l.dram_write_bytes;
    x["dram_weight_read_bytes"] = l.dram_weight_read_bytes;
    x["weights_resident"] = l.weights_resident;
    x["weight_stored_bytes"] = l.weight_stored_bytes;
    x["weight_nonzeros"] = l.weight_nonzeros;
    x["input_nonzeros"] = l.input_nonzeros;
    x["kwta_k"] = l.kwta_k;
    x["verified"] = l.verified;
    if (!l.verified) {
      x["mismatches"] = l.mismatches;
      x["first_mismatch"] = l.first_mismatch;
    }
    addDatapathSection(r, l, x);
    // The counted events behind the energy figure (docs/resources.md, "Energy events").
    ordered_json ev = {{"sram_read_bytes", l.sram_read_bytes}, {"sram_write_bytes", l.sram_write_bytes},
                       {"register_accesses", l.register_accesses}, {"routing_hops", l.routing_hops},
                       {"selector_comparisons", l.selector_comparisons}};
    for (const auto& [e, n] : l.block_events.entries()) ev[statInfo(e).name] = n;
    x["events"] = ev;
    x["energy"] = layerEnergyJson(l.energy);
    layers.push_back(x);
  }
  j["layers"] = layers;
  // Chained networks: the steps outside the GEMMs, costed in the output path (docs/networks.md).
  uint64_t hostCycles = 0;
  if (!r.host_ops.empty()) {
    ordered_json h = ordered_json::array();
    for (const auto& op : r.host_ops) {
      h.push_back({{"name", op.name}, {"op", op.op}, {"elements", op.elements}, {"cycles", op.cycles}});
      hostCycles += op.cycles;
    }
    j["host_ops"] = h;
  }
  ordered_json t;
  t["cycles"] = r.total_cycles;
  if (!r.host_ops.empty()) t["host_op_cycles"] = hostCycles;
  t["seconds"] = r.seconds;
  // An inference is one image: a run of batch N is N inferences.
  const int batch = r.network.batch;
  t["inferences_per_second"] = r.seconds > 0 ? double(batch) / r.seconds : 0.0;
  if (batch != 1) {
    t["batch"] = batch;
    t["cycles_per_image"] = double(r.total_cycles) / double(batch);
    t["seconds_per_image"] = r.seconds / double(batch);
  }
  uint64_t macsDense = 0, macsIssued = 0, macsUseful = 0, dram = 0, dramWeights = 0;
  for (const auto& l : r.layers) {
    dramWeights += l.dram_weight_read_bytes;
    macsDense += l.macs_dense;
    macsIssued += l.macs_issued;
    macsUseful += l.macs_useful;
    dram += l.dram_read_bytes + l.dram_write_bytes;
  }
  t["macs_dense"] = macsDense;
  t["macs_issued"] = macsIssued;
  t["macs_useful"] = macsUseful;
  t["dram_bytes"] = dram;
  t["dram_weight_read_bytes"] = dramWeights;
  t["verified"] = r.verified;
  // The run's weight-residency plan (memory.weights, docs/memory.md).
  const WeightResidencyPlan& wr = r.weight_residency;
  t["weight_residency"] = {{"policy", wr.preload ? "preload" : "stream"},
                           {"weight_memory_bytes", wr.memory_bytes},
                           {"stream_reserve_bytes", wr.reserve_bytes},
                           {"stored_bytes", wr.stored_bytes},
                           {"resident_bytes", wr.resident_bytes},
                           {"resident_fraction", wr.residentFraction()},
                           {"resident_layers", wr.residentLayers()},
                           {"layers", wr.layers.size()}};
  if (r.pipeline.enabled) {
    // Layer-pipelined: throughput is the measured steady-state interval (docs/pipelined.md).
    t["execution"] = "layer_pipelined";
    t["inferences"] = r.pipeline.inferences;
    t["inferences_per_second"] = r.pipeline.interval_cycles ? r.arch.clock_mhz * 1e6 / double(r.pipeline.interval_cycles) : 0.0;
    t["dram_bytes_per_inference"] =
        r.pipeline.inferences ? double(r.pipeline.dram_read_bytes + r.pipeline.dram_write_bytes) / double(r.pipeline.inferences) : 0.0;
  }
  j["total"] = t;
  if (r.pipeline.enabled) j["pipeline"] = pipelineJson(r);
  j["resources"] = resourcesJson(r.resources, r.part, r.fit);
  j["resources"]["asic"] = asicAreaJson(r.asic);  // docs/asic-area.md
  j["energy"] = energyJson(r);
  {
    // The clock against the part's timing limit (configs/fpga/<part>.json, "timing").
    const double fmax = fmaxFor(r.part, toString(r.arch.datapath));
    const bool fpga = r.energy_table.kind == "fpga";
    ordered_json tm;
    tm["clock_mhz"] = r.arch.clock_mhz;
    tm["fmax_mhz"] = fmax;
    tm["part"] = r.part.name;
    tm["applies"] = fpga && fmax > 0;
    tm["meets"] = !(fpga && fmax > 0) || r.arch.clock_mhz <= fmax;
    tm["source"] = fmax > 0 ? r.part.timing_source : std::string("the part file gives no timing limit");
    if (!fpga) tm["note"] = "an ASIC design (energy table of kind " + r.energy_table.kind + "): the FPGA part's limit does not apply";
    j["timing"] = tm;
  }
  j["units"] = {{"cycles", "clock cycles of the architecture's clock"},
                {"seconds", "cycles / (clock_mhz * 1e6), clock_mhz from the architecture file"},
                {"dram_bytes", "bytes"},
                {"utilization", "macs_issued / (simulated_cycles * multipliers)"}};
  return j;
}

ordered_json buildResolvedConfig(const RunResult& r) {
  ordered_json j;
  j["sparsesim_version"] = sparsesimVersion();
  j["seed"] = r.seed;
  j["arch"] = toJson(r.arch);
  j["network"] = toJson(r.network);
  return j;
}

static std::string fmtInt(uint64_t v) { return withThousands(v); }

void printTable(const RunResult& r, std::ostream& os) {
  os << "sparsesim " << sparsesimVersion() << ": network \"" << r.network.name << "\" (" << r.network.source_file << ") on \""
     << r.arch.name << "\" (" << r.arch.source_file << "), datapath " << toString(r.arch.datapath) << ", seed " << r.seed << "\n";
  os << "clock " << r.arch.clock_mhz << " MHz and memory constants from " << r.arch.source_file
     << (r.arch.compat == Compat::ScaleSim ? "; SCALE-Sim compat: ideal memory, cycles = last cycle index" : "") << "\n\n";
  os << std::left << std::setw(24) << "layer" << std::right << std::setw(22) << "GEMM MxKxN(xG)" << std::setw(14) << "cycles"
     << std::setw(10) << "issued %" << std::setw(10) << "useful %" << std::setw(13) << "stall cyc" << "  " << std::left << std::setw(24)
     << "top stall cause" << std::right << std::setw(12) << "DRAM KiB" << "  verified\n";
  for (const auto& l : r.layers) {
    const uint64_t stalls = l.stall_cycles.total();
    std::ostringstream gemm;
    gemm << l.geom.M << "x" << l.geom.K << "x" << l.geom.N;
    if (l.geom.groups > 1) gemm << "x" << l.geom.groups;
    char util[32], useful[32], kib[32];
    std::snprintf(util, sizeof util, "%.1f", 100.0 * l.utilization);
    // Useful utilisation: the multiplies with both operands non-zero, over the same slots.
    const double slots = double(l.simulated_cycles) * double(r.multipliers);
    std::snprintf(useful, sizeof useful, "%.1f", slots > 0 ? 100.0 * double(l.macs_useful) / slots : 0.0);
    std::string top = "-";
    uint64_t topCycles = 0;
    for (const auto& [cause, n] : l.stall_cycles.entries())
      if (n > topCycles) { topCycles = n; top = statInfo(cause).name; }
    std::snprintf(kib, sizeof kib, "%.1f", double(l.dram_read_bytes + l.dram_write_bytes) / 1024.0);
    std::string name = l.name.size() > 23 ? l.name.substr(0, 22) + "~" : l.name;
    os << std::left << std::setw(24) << name << std::right << std::setw(22) << gemm.str() << std::setw(14) << fmtInt(l.cycles)
       << std::setw(10) << util << std::setw(10) << useful << std::setw(13) << fmtInt(stalls) << "  " << std::left << std::setw(24) << top
       << std::right << std::setw(12) << kib << "  " << (l.verified ? "yes" : "NO") << "\n";
  }
  char secs[64], ips[64];
  std::snprintf(secs, sizeof secs, "%.6g", r.seconds * 1e3);
  std::snprintf(ips, sizeof ips, "%.6g", r.seconds > 0 ? double(r.network.batch) / r.seconds : 0.0);
  os << "\ntotal: " << fmtInt(r.total_cycles) << " cycles = " << secs << " ms at " << r.arch.clock_mhz << " MHz = " << ips
     << " inferences/s" << (r.network.batch != 1 ? " (batch " + std::to_string(r.network.batch) + ", " +
                                                     fmtInt(r.total_cycles / uint64_t(r.network.batch)) + " cycles per image)"
                                               : std::string())
     << "; " << (r.verified ? "all layers verified against the reference convolution" : "VERIFICATION FAILED") << "\n";
  {
    uint64_t slotCycles = 0, issued = 0, useful = 0, rd = 0, wr = 0;
    for (const auto& l : r.layers) {
      slotCycles += l.simulated_cycles;
      issued += l.macs_issued;
      useful += l.macs_useful;
      rd += l.dram_read_bytes;
      wr += l.dram_write_bytes;
    }
    const double slots = double(slotCycles) * double(r.multipliers);
    char line[256];
    std::snprintf(line, sizeof line, "multiplier slots: %.1f%% issued, %.1f%% useful (both operands non-zero); ", slots > 0 ? 100.0 * double(issued) / slots : 0.0,
                  slots > 0 ? 100.0 * double(useful) / slots : 0.0);
    os << line << "DRAM " << fmtInt(rd) << " bytes read, " << fmtInt(wr) << " bytes written\n";
  }
  {
    const Resources& t = r.resources.total;
    const PartFit& f = r.fit;
    // A resource the part has none of has no percentage.
    auto pct = [](double u) {
      if (!std::isfinite(u)) return std::string("the part has none");
      char b[32];
      std::snprintf(b, sizeof b, "%.1f%%", 100 * u);
      return std::string(b);
    };
    char line[512];
    std::snprintf(line, sizeof line, "resources on %s: %.0f LUT (%s), %.0f FF (%s), %.0f DSP48E2 (%s), %.0f BRAM36 (%s), %.0f URAM (%s); ",
                  r.part.name.c_str(), t.lut, pct(f.util_lut).c_str(), t.ff, pct(f.util_ff).c_str(), t.dsp, pct(f.util_dsp).c_str(),
                  t.bram36, pct(f.util_bram36).c_str(), t.uram, pct(f.util_uram).c_str());
    os << line << (f.fits ? "fits" : "DOES NOT FIT") << ", binding " << f.binding_resource << ", " << f.copies_per_part
       << " copies per part; ASIC area " << r.resources.asic_um2 / 1e6 << " mm^2 at 45 nm\n";
    os << "  (model fitted to yosys synth_xilinx counts, configs/calibration/yosys-xc7.json (docs/resources.md); part capacities from "
       << r.part.source_file << ")\n";
  }
  {
    const double total = r.energy.total_j;
    char line[256];
    std::snprintf(line, sizeof line, "energy (%s table): %.6g J per inference = %.6g inferences/J", r.energy_table.kind.c_str(), total,
                  total > 0 ? 1.0 / total : 0.0);
    os << line << "; constants and their sources from " << r.energy_table.source_file << "\n";
  }
}

void writeReports(const RunResult& r, StagedDir& out) {
  out.write("resolved-config.json", buildResolvedConfig(r).dump(2) + "\n");
  const nlohmann::ordered_json report = buildReport(r);
  out.write("report.json", report.dump(2) + "\n");
  out.write("layers.csv", layersCsv(report));
}

}  // namespace sparsesim
