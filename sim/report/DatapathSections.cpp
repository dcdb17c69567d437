#include "sim/report/DatapathSections.h"

#include <algorithm>

#include "sim/config/ConfigLoader.h"

namespace sparsesim {

using nlohmann::ordered_json;

namespace {

// The fold facts every PE-array datapath reports; busy cycles only where the report had them.
void addArray(const ArrayLayerInfo& a, const LayerResult& l, bool busy, ordered_json& x) {
  x["dataflow"] = toString(a.dataflow);
  // dataflow "auto": every candidate's estimate (models/common/DataflowChoice.h), array cycles.
  if (!a.dataflow_estimates.empty()) {
    ordered_json est;
    for (const DataflowEstimate& e : a.dataflow_estimates)
      est[toString(e.dataflow)] = {{"folds", e.folds},
                                   {"compute_cycles", e.compute_cycles},
                                   {"dram_bytes", e.dram_bytes},
                                   {"dram_cycles", e.dram_cycles},
                                   {"cycles", e.cycles}};
    x["dataflow_estimate"] = est;
  }
  x["folds"] = a.folds;
  if (busy) x["array_busy_cycles"] = l.array_busy_cycles;
  x["weights_fit_buffer"] = a.weights_fit_buffer;
  x["inputs_resident"] = a.inputs_resident;
}

ordered_json unitJson(const DecompressorUnitInfo& u) {
  ordered_json j;
  j["bypassed"] = !u.compressed;
  j["vectors"] = u.vectors;
  j["entries"] = u.entries;
  j["busy_cycles"] = u.busy_cycles;
  j["bits_read"] = u.bits_read;
  j["register_bits"] = u.register_bits;
  j["crossbar_crosspoints"] = u.crossbar_crosspoints;
  return j;
}

struct Writer {
  const RunResult& r;
  const LayerResult& l;
  ordered_json& x;

  void operator()(const DenseInfo& d) const { addArray(d.array, l, false, x); }

  void operator()(const SodInfo& d) const {
    addArray(d.array, l, true, x);
    ordered_json s;
    s["weight_format"] = toString(d.weight_format);
    s["activation_format"] = toString(d.activation_format);
    s["weight_bytes_dense"] = d.weight_bytes_dense;
    s["weight_bytes_compressed"] = d.weight_bytes_compressed;
    s["activation_bytes_dense"] = d.activation_bytes_dense;
    s["activation_bytes_compressed"] = d.activation_bytes_compressed;
    s["global_buffer_bytes"] = d.weight_bytes_compressed + d.activation_bytes_compressed;
    s["global_buffer_bytes_dense"] = d.weight_bytes_dense + d.activation_bytes_dense;
    s["decompressor_stall_cycles"] = l.stall_cycles.get(StallCause::Decompressor);
    s["decompressor"] = {{"weights", unitJson(d.weights)}, {"activations", unitJson(d.activations)}};
    x["sod"] = s;
  }

  void operator()(const SparsePeInfo& d) const {
    addArray(d.array, l, true, x);
    ordered_json s;
    s["pe_count"] = d.pe_count;
    // Fraction of the cycles in which a PE's matching unit had entries on both sides that issued
    // a MAC; see docs/sod.md.
    s["match_rate"] = d.active_pe_cycles ? double(d.macs) / double(d.active_pe_cycles) : 0.0;
    // Fraction of the entries the matching units examined that found a partner.
    s["matched_entry_fraction"] = d.entries_examined ? 2.0 * double(d.macs) / double(d.entries_examined) : 0.0;
    s["fifo_stall_cycles"] = d.starved_pe_cycles;  // PE-cycles, summed over PEs
    s["active_pe_cycles"] = d.active_pe_cycles;
    s["idle_pe_cycles"] = d.idle_pe_cycles;
    s["bus_blocked_cycles"] = d.bus_blocked_cycles;
    s["entries_examined"] = d.entries_examined;
    s["weight_bytes_dense"] = d.weight_bytes_dense;
    s["weight_bytes_compressed"] = d.weight_bytes_compressed;
    s["activation_bytes_dense"] = d.activation_bytes_dense;
    s["activation_bytes_compressed"] = d.activation_bytes_compressed;
    s["global_buffer_bytes"] = d.weight_bytes_compressed + d.activation_bytes_compressed;
    x["sparse_pe"] = s;
  }

  void operator()(const CsInfo& d) const {
    const CsConfig& cs = r.arch.cs;
    const int64_t mults = r.multipliers;
    // The ideal bound: dense MACs over the multipliers, the packing factor N and L/k.
    const double Lk = double(d.L) / double(std::max<uint64_t>(1, d.k));
    const double bound = double(l.geom.macsDense()) / (double(mults) * double(d.N) * Lk);
    ordered_json j;
    j["mode"] = toString(d.mode);
    if (!d.mode_estimate_cycles.empty()) {
      ordered_json est;
      for (const auto& [mode, cycles] : d.mode_estimate_cycles) est[toString(mode)] = cycles;
      j["mode_estimate_cycles"] = est;
    }
    j["N"] = d.N;
    j["groups"] = d.groups;
    j["packing_efficiency"] = d.packing_efficiency;
    j["id_bits"] = d.id_bits;
    j["k"] = d.k;
    j["L"] = d.L;
    j["ideal_cycles_bound"] = bound;
    j["bound_ratio"] = bound > 0 ? double(l.simulated_cycles) / bound : 0.0;
    j["work_bound_cycles"] = (l.macs_issued + uint64_t(mults) - 1) / uint64_t(mults);
    j["passes"] = d.passes;
    j["slots_per_pass"] = d.slots_per_pass;
    j["lanes_per_pass"] = d.lanes_per_pass;
    j["items"] = d.items;
    j["mac_busy_cycles"] = d.mac_busy_cycles;
    j["routing_conflict_columns"] = d.routing_conflict_columns;
    j["activations_resident"] = d.activations_resident;
    ordered_json s;
    s["circuit"] = toString(cs.selector.circuit);
    s["active"] = d.selection_active;
    s["group_size"] = cs.selector.group_size;
    s["placement"] = cs.selector.fused ? "fused" : "input";
    s["cycles"] = d.selector_cycles;
    s["load_cycles"] = d.selector_load_cycles;
    s["search_cycles"] = d.selector_search_cycles;
    s["emit_cycles"] = d.selector_emit_cycles;
    s["bypassed"] = d.selector_bypassed;
    if (cs.selector.circuit == SelectorCircuit::Bitonic) s["compare_stages"] = d.compare_stages;
    s["matches_workload"] = l.selection_matches_workload.value_or(true);
    j["selector"] = s;
    ordered_json m;
    m["words_per_column"] = d.words_per_column;
    m["slice_words"] = d.slice_words;
    m["table_words"] = d.table_words;
    m["table_bytes"] = d.table_bytes;
    m["capacity_words"] = d.capacity_words;
    m["table_fits"] = d.table_fits;
    m["resident"] = d.resident;
    m["peak_words"] = d.peak_words;
    m["blocks"] = d.blocks;
    m["memory"] = toString(cs.sram.memory);
    j["sram"] = m;
    x["cs"] = j;
  }
};

}  // namespace

void addDatapathSection(const RunResult& r, const LayerResult& l, ordered_json& x) { std::visit(Writer{r, l, x}, l.info); }

}  // namespace sparsesim
