#include "models/cs/CsDatapath.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/common/Cycles.h"
#include "models/common/TraceSink.h"
#include "sim/workload/Lowering.h"
#include "sim/workload/plans/CsLayerPlan.h"

namespace sparsesim {

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

void CsDatapath::attachTracer(TraceSink& t) {
  selector_.attachTracer(t);
  mac_.attachTracer(t, arch_.cs.packing.max_n);
  if (t.on(TraceBlock::WeightSram))
    t.setParams(TraceBlock::WeightSram, {{"banks", arch_.cs.sram.banks}, {"word_bits", arch_.cs.sram.word_bits},
                                         {"ports", arch_.cs.sram.ports}, {"read_latency", arch_.cs.sram.read_latency}});
}

LayerOutcome CsDatapath::runLayer(const LayerWorkload& w) {
  LayerOutcome out;
  LayerStats& stats = out.stats;
  const LayerGeometry& g = w.geom;
  const CsConfig& cs = arch_.cs;
  // 1. Offline: mode, packing, k, activation buffer format.
  const CsLayerPlan plan = planCsLayer(w, cs, arch_.memory, arch_.array.rows, arch_.array.cols,
                                         [this](int64_t K, int64_t columns, int wpc) {
                                           return sram_.banks().expectedReadCycles(K, columns, wpc);
                                         });
  const PackedLayer& packed = plan.packed;
  const SliceGeometry sg = planSlices(packed, arch_.array.cols, plan.entry_bits, sram_.banks());
  if (sg.R == 0)
    throw std::runtime_error("layer \"" + w.config.name + "\": one packed group's " + std::to_string(g.K) +
                             " columns do not fit the weight-packing SRAM (" + std::to_string(sram_.banks().capacityWords()) +
                             " words; " + arch_.source_file + ": cs.sram)");

  // 2. Jobs for the selector, the SRAM fill and the MAC array.
  const size_t L = plan.L;
  Selection sel;
  SelectJob sj;
  sj.input = w.input.data.data();
  sj.n = L;
  sj.k = plan.k;
  sj.active = plan.sparse_activations;
  sj.group_size = static_cast<size_t>(cs.selector.group_size);
  sj.density = w.config.activation_density;
  sj.fetch_bytes = L;
  sj.result = &sel;
  sj.stats = &stats;

  SramLayerJob sjob;
  sjob.packed = &packed;
  const bool tableFits = sg.table_words <= sram_.banks().capacityWords();
  sjob.resident = cs.sram.preload && tableFits;
  sjob.slots = sg.R;
  sjob.entry_bits = plan.entry_bits;
  sjob.refetch_bytes = plan.refetchBytes(g.groups);
  sjob.stats = &stats;
  sjob.passes = sg.passes;
  sram_.resetPeak();

  std::vector<std::vector<int32_t>> C(static_cast<size_t>(g.groups), std::vector<int32_t>(static_cast<size_t>(g.M * g.N), 0));
  MacLayerJob mj;
  mj.w = &w;
  // A layer whose k-WTA keeps every activation has dense activations: the selector is bypassed
  // and the array walks every window position, as in the dense-activation modes.
  mj.selection = plan.uses_selection ? &sel : nullptr;
  mj.packed = &packed;
  mj.C = &C;
  mj.output_bytes = arch_.memory.output_bytes;
  mj.stats = &stats;

  selector_.jobs.write(&sj);
  sram_.jobs.write(&sjob);
  mac_.jobs.write(&mj);
  output_.layer_done.read();

  // The activation buffer is written once per layer: the fetched input, or the selector's
  // winners in the chosen format.
  stats.selector_comparisons += sel.comparisons;
  stats.block_events[BlockEvent::ActivationBufferWriteBytes] += plan.activation_bytes;

  out.output = Int32Tensor({1, g.out_c, g.out_h, g.out_w});
  for (int grp = 0; grp < g.groups; ++grp) scatterGroupOutput(g, grp, C[static_cast<size_t>(grp)], out.output);

  CsInfo info;
  info.mode = plan.mode;
  for (const CsModeEstimate& e : plan.mode_estimates) info.mode_estimate_cycles.emplace_back(e.mode, e.cycles);
  info.N = packed.maxN;
  info.groups = packed.packedGroups;
  info.packing_efficiency = packed.efficiency();
  info.id_bits = packed.idBits;
  info.k = plan.k;
  info.L = L;
  info.selection_active = plan.sparse_activations;
  if (plan.sparse_activations) info.winners = std::move(sel.indices);
  info.selector_cycles = sel.cycles;
  info.selector_load_cycles = sel.load_cycles;
  info.selector_search_cycles = sel.search_cycles;
  info.selector_emit_cycles = sel.emit_cycles;
  info.selector_bypassed = plan.sparse_activations && sel.groups == sel.bypassed_groups;
  info.compare_stages = sel.compare_stages;
  info.passes = mj.passes;
  info.slots_per_pass = sg.R;
  info.lanes_per_pass = int64_t(arch_.array.rows) * (cs.mac.replicate ? std::max(1, arch_.array.cols / std::max(1, sg.R)) : 1);
  info.items = mj.items;
  info.mac_busy_cycles = mj.busy_cycles;
  info.routing_conflict_columns = mj.routing_conflict_columns;
  info.activations_resident = plan.activations_resident;
  info.words_per_column = sg.words_per_column;
  info.slice_words = sg.slice_words;
  info.table_words = sg.table_words;
  info.table_bytes = sg.table_bytes;
  info.capacity_words = sram_.banks().capacityWords();
  info.table_fits = tableFits;
  info.resident = sjob.resident;
  info.peak_words = sjob.resident ? sg.table_words : sram_.peakWords();
  info.blocks = sram_.banks().blocks();
  out.info = std::move(info);
  return out;
}

}  // namespace sparsesim
