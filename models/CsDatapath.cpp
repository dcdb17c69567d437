#include "models/CsDatapath.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/Cycles.h"
#include "sim/trace/Tracer.h"
#include "sim/config/ConfigError.h"
#include "sim/workload/Kwta.h"
#include "sim/workload/WeightPacker.h"

namespace sparsesim {

CsMode resolveCsMode(CsMode configured, const LayerWorkload& w) {
  if (configured != CsMode::Auto) return configured;
  if (w.kwta_k < w.input.size()) return CsMode::SparseSparse;
  if (w.weight_nonzeros < static_cast<int64_t>(w.weights.size())) return CsMode::SparseDense;
  return CsMode::DenseDense;
}


CsDatapath::CsDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      actFifo_("activations_fifo", 1),
      passFifo_("pass_fifo", 64),
      writebackFifo_("writeback_fifo", arch.memory.prefetch_depth),
      dram_("dram", dramBandwidthOf(arch)),
      selector_("kwta_selector", SelectorParams::from(arch.cs.selector)),
      sram_("weight_sram", arch.cs.sram),
      mac_("mac_array", MacParams::from(arch), sram_.banks()),
      output_("output_buffer") {
  if (arch.dataflow != Dataflow::OutputStationary)
    throw ConfigError(arch.source_file, "dataflow", "the cs datapath is output-stationary (one pixel's accumulators per lane); set \"os\"");
  selector_.dram(dram_.port);
  selector_.to_mac(actFifo_);
  sram_.dram(dram_.port);
  sram_.to_mac(passFifo_);
  mac_.from_selector(actFifo_);
  mac_.from_sram(passFifo_);
  mac_.sram(sram_.release_port);
  mac_.to_output(writebackFifo_);
  output_.from_array(writebackFifo_);
  output_.dram(dram_.port);
}

void CsDatapath::attachTracer(Tracer& t) {
  selector_.attachTracer(t);
  mac_.attachTracer(t, arch_.cs.packing.max_n);
  if (t.on(TraceBlock::WeightSram))
    t.setParams(TraceBlock::WeightSram, {{"banks", arch_.cs.sram.banks}, {"word_bits", arch_.cs.sram.word_bits},
                                         {"ports", arch_.cs.sram.ports}, {"read_latency", arch_.cs.sram.read_latency}});
}

void CsDatapath::runLayer(const LayerWorkload& w, LayerStats& stats, Int32Tensor& output, nlohmann::ordered_json& extra) {
  const uint64_t t0 = nowCycles();
  const LayerGeometry& g = w.geom;
  const CsConfig& cs = arch_.cs;
  const CsMode mode = resolveCsMode(cs.mode, w);
  const bool sparseAct = mode == CsMode::SparseSparse;

  // 1. Offline packing.
  PackedLayer packed = packLayer(w.weights.data.data(), g.out_c, g.groups, g.K,
                                 mode == CsMode::DenseDense ? PackingStrategy::OnePerGroup : PackingStrategy::FirstFitDisjoint,
                                 cs.packing.max_n);
  const int entryBits = 8 + packed.idBits;
  const SliceGeometry sg = planSlices(packed, arch_.array.cols, entryBits, sram_.banks());
  if (sg.R == 0)
    throw std::runtime_error("layer \"" + w.config.name + "\": one packed group's " + std::to_string(g.K) +
                             " columns do not fit the weight-packing SRAM (" + std::to_string(sram_.banks().capacityWords()) +
                             " words; " + arch_.source_file + ": cs.sram)");

  // 2. Selection request. k for the report: the activations the MAC array processes per input.
  const size_t L = w.input.size();
  size_t kSel = L;
  if (sparseAct) {
    if (cs.selector.group_size > 0) {
      kSel = 0;
      for (size_t off = 0; off < L; off += static_cast<size_t>(cs.selector.group_size))
        kSel += kwtaK(w.config.activation_density, std::min<size_t>(static_cast<size_t>(cs.selector.group_size), L - off));
    } else {
      kSel = w.kwta_k;
    }
  }
  Selection sel;
  SelectJob sj;
  sj.input = w.input.data.data();
  sj.n = L;
  sj.k = kSel;
  sj.active = sparseAct;
  sj.group_size = static_cast<size_t>(cs.selector.group_size);
  sj.density = w.config.activation_density;
  sj.fetch_bytes = L;
  sj.result = &sel;
  sj.stats = &stats;

  // Activation buffer: the dense input (1 byte each) or, with a selection, the winners in the
  // smaller of two formats: (value, flat index) pairs, or dense values plus a winner bitmap.
  const uint64_t idxBytes = static_cast<uint64_t>((ceilLog2(static_cast<int64_t>(L)) + 7) / 8);
  const uint64_t actBytes = sparseAct && kSel < L ? std::min<uint64_t>(uint64_t(kSel) * (1 + idxBytes), L + (L + 7) / 8) : uint64_t(L);
  const bool actResident = static_cast<double>(actBytes) <= arch_.memory.ifmap_kb * 1024.0;

  SramLayerJob sjob;
  sjob.packed = &packed;
  const bool tableFits = sg.table_words <= sram_.banks().capacityWords();
  sjob.resident = cs.sram.preload && tableFits;
  sjob.slots = sg.R;
  sjob.entry_bits = entryBits;
  sjob.refetch_bytes.assign(static_cast<size_t>(g.groups), actResident ? 0 : (actBytes + g.groups - 1) / g.groups);
  sjob.stats = &stats;
  sjob.passes = sg.passes;
  sram_.resetPeak();

  std::vector<std::vector<int32_t>> C(static_cast<size_t>(g.groups), std::vector<int32_t>(static_cast<size_t>(g.M * g.N), 0));
  MacLayerJob mj;
  mj.w = &w;
  // A layer whose k-WTA keeps every activation has dense activations: the selector is bypassed
  // and the array walks every window position, as in the dense-activation modes.
  mj.selection = sparseAct && kSel < L ? &sel : nullptr;
  mj.C = &C;
  mj.output_bytes = arch_.memory.output_bytes;
  mj.stats = &stats;

  selector_.jobs.write(&sj);
  sram_.jobs.write(&sjob);
  mac_.jobs.write(&mj);
  output_.layer_done.read();
  const uint64_t cycles = nowCycles() - t0;

  // The activation buffer is written once per layer: the fetched input, or the selector's
  // winners in the chosen format.
  stats.selector_comparisons += sel.comparisons;
  stats.block_events["activation_buffer.write_bytes"] += actBytes;

  output = Int32Tensor({1, g.out_c, g.out_h, g.out_w});
  for (int grp = 0; grp < g.groups; ++grp) scatterGroupOutput(g, grp, C[static_cast<size_t>(grp)], output);

  // The selector must reproduce the workload's k-WTA: every kept (non-zero) input is a winner
  // and, for one global k-WTA, there are exactly k winners.
  bool selectionMatches = true;
  if (sparseAct) {
    std::vector<uint8_t> win(L, 0);
    for (uint32_t i : sel.indices) win[i] = 1;
    for (size_t i = 0; i < L && selectionMatches; ++i)
      if (w.input.data[i] != 0 && !win[i]) selectionMatches = false;
    if (cs.selector.group_size == 0 && sel.indices.size() != w.kwta_k) selectionMatches = false;
  }

  const int64_t mults = multipliers();
  const double N = static_cast<double>(packed.maxN);
  const double Lk = static_cast<double>(L) / static_cast<double>(std::max<size_t>(1, kSel));
  const double bound = static_cast<double>(g.macsDense()) / (static_cast<double>(mults) * N * Lk);
  nlohmann::ordered_json j;
  j["mode"] = toString(mode);
  j["N"] = packed.maxN;
  j["groups"] = packed.packedGroups;
  j["packing_efficiency"] = packed.efficiency();
  j["id_bits"] = packed.idBits;
  j["k"] = kSel;
  j["L"] = L;
  j["ideal_cycles_bound"] = bound;
  j["bound_ratio"] = bound > 0 ? static_cast<double>(cycles) / bound : 0.0;
  j["work_bound_cycles"] = (stats.macs_issued + mults - 1) / mults;
  j["passes"] = mj.passes;
  j["slots_per_pass"] = sg.R;
  j["lanes_per_pass"] = arch_.array.rows * (cs.mac.replicate ? std::max(1, arch_.array.cols / std::max(1, sg.R)) : 1);
  j["items"] = mj.items;
  j["mac_busy_cycles"] = mj.busy_cycles;
  j["routing_conflict_columns"] = mj.routing_conflict_columns;
  j["activations_resident"] = actResident;
  nlohmann::ordered_json s;
  s["circuit"] = toString(cs.selector.circuit);
  s["active"] = sparseAct;
  s["group_size"] = cs.selector.group_size;
  s["placement"] = cs.selector.fused ? "fused" : "input";
  s["cycles"] = sel.cycles;
  s["load_cycles"] = sel.load_cycles;
  s["search_cycles"] = sel.search_cycles;
  s["emit_cycles"] = sel.emit_cycles;
  s["bypassed"] = sparseAct && sel.groups == sel.bypassed_groups;
  if (cs.selector.circuit == SelectorCircuit::Bitonic) s["compare_stages"] = sel.compare_stages;
  s["matches_workload"] = selectionMatches;
  j["selector"] = s;
  nlohmann::ordered_json m;
  m["words_per_column"] = sg.words_per_column;
  m["slice_words"] = sg.slice_words;
  m["table_words"] = sg.table_words;
  m["table_bytes"] = sg.table_bytes;
  m["capacity_words"] = sram_.banks().capacityWords();
  m["table_fits"] = tableFits;
  m["resident"] = sjob.resident;
  m["peak_words"] = sjob.resident ? sg.table_words : sram_.peakWords();
  m["blocks"] = sram_.banks().blocks();
  m["memory"] = toString(cs.sram.memory);
  j["sram"] = m;
  extra["cs"] = j;
}

}  // namespace sparsesim
