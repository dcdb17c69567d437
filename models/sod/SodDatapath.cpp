#include "models/sod/SodDatapath.h"

#include <algorithm>

#include "models/common/DataflowChoice.h"
#include "models/common/FoldDriver.h"
#include "sim/workload/plans/SodLayerPlan.h"

namespace sparsesim {

namespace {

DecompressorParams unitParams(const SodConfig& c) { return DecompressorParams{c.nnz_per_cycle, c.port_bytes}; }

DecompressorUnitInfo unitInfo(const DecompressorUnit& u, uint64_t vectors0, uint64_t entries0, uint64_t cycles0,
                              uint64_t bits0, bool compressed, int lanes) {
  DecompressorUnitInfo i;
  i.compressed = compressed;
  i.vectors = u.vectors() - vectors0;
  i.entries = u.entries() - entries0;
  i.busy_cycles = u.cycles() - cycles0;
  i.bits_read = u.bitsRead() - bits0;
  i.register_bits = compressed ? uint64_t(u.params().port_bytes) * 8 + uint64_t(lanes) * 8 : 0;
  i.crossbar_crosspoints = compressed ? uint64_t(u.params().nnz_per_cycle) * uint64_t(lanes) : 0;
  return i;
}

}  // namespace

SodDatapath::SodDatapath(sc_core::sc_module_name name, const ArchConfig& arch)
    : sc_module(name),
      arch_(arch),
      mem_(arch),
      arrayFifo_("array_fifo", arch.memory.prefetch_depth),
      decompressor_("decompressor", unitParams(arch.sod), unitParams(arch.sod)),
      array_("systolic_array", arch.array.rows, arch.array.cols, arch.dataflow, arch.simulation.fold_engine) {
  decompressor_.from_buffer(mem_.to_array);
  decompressor_.to_array(arrayFifo_);
  array_.from_buffer(arrayFifo_);
  array_.to_output(mem_.from_array);
}

WeightFootprint SodDatapath::weightFootprint(const ArchConfig& a, const LayerWorkload& w) {
  return arrayWeightFootprint(a, w.geom, sodStoredWeightBytes(w, a.sod, a.array.cols));
}

uint64_t SodDatapath::weightMemoryBytes(const ArchConfig& a) { return filterBufferBytes(a); }

LayerOutcome SodDatapath::runLayer(const LayerWorkload& w) {
  LayerOutcome out;
  LayerStats& stats = out.stats;
  const LayerGeometry& g = w.geom;
  const int R = arch_.array.rows, C = arch_.array.cols;
  FoldDriver driver(w);
  DataflowChoice choice;
  const SodLayerPlan plan = planSodLayer(w, driver.gemms(), arch_.sod, R, C, [&](const SodLayerPlan& p) {
    choice = chooseDataflow(g, R, C, arch_.dataflow, arch_.memory, dramBandwidthOf(arch_), planStorage(p), w.weights_at);
    return choice.chosen;
  });
  const Dataflow df = choice.chosen;
  const SodLayerData& data = plan.data;
  mem_.buffer.beginLayer(g, arch_.memory, C, planStorage(plan), w.weights_at);
  array_.setDataflow(df);
  decompressor_.beginLayer(&data);

  const DecompressorUnit& wu = decompressor_.stage().weightUnit();
  const DecompressorUnit& au = decompressor_.stage().activationUnit();
  const uint64_t wv0 = wu.vectors(), we0 = wu.entries(), wc0 = wu.cycles(), wb0 = wu.bitsRead();
  const uint64_t av0 = au.vectors(), ae0 = au.entries(), ac0 = au.cycles(), ab0 = au.bitsRead();
  const uint64_t lw0 = wu.laneWrites() + au.laneWrites(), by0 = decompressor_.stage().bypassBytes();

  arrayFifo_.waits().clear();
  driver.run(mem_, R, C, df, stats);
  attributeDecompressorStalls(arrayFifo_.waits(), decompressor_.records(), stats);
  // The global buffer is read by the units (compressed bits) or around them (dense operands);
  // the units write dense vectors into the array's edge staging.
  stats.block_events[BlockEvent::DecompressorReadBits] += (wu.bitsRead() - wb0) + (au.bitsRead() - ab0);
  stats.block_events[BlockEvent::DecompressorLaneWrites] += wu.laneWrites() + au.laneWrites() - lw0;
  stats.block_events[BlockEvent::GlobalBufferDenseReadBytes] += decompressor_.stage().bypassBytes() - by0;

  out.output = driver.output();
  SodInfo info;
  info.array = driver.info(mem_);
  info.array.dataflow_estimates = choice.candidates;
  info.weight_format = plan.weight_format;
  info.activation_format = plan.activation_format;
  info.weight_bytes_dense = uint64_t(g.weightElements());
  info.weight_bytes_compressed = plan.weight_bytes;
  info.activation_bytes_dense = uint64_t(g.inputElements());
  info.activation_bytes_compressed = plan.input.bytes();
  info.weights = unitInfo(wu, wv0, we0, wc0, wb0, data.weights_compressed, C);
  info.activations = unitInfo(au, av0, ae0, ac0, ab0, data.activations_compressed, R);
  out.info = info;
  return out;
}

}  // namespace sparsesim
