#include "sim/run/Runner.h"

#include <systemc>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <set>

#include "models/common/Cycles.h"
#include "sim/core/ConfigError.h"
#include "sim/config/ConfigJson.h"
#include "sim/config/ConfigLoader.h"
#include "sim/core/Version.h"
#include "sim/run/DatapathRegistry.h"
#include "sim/run/EngineBuffers.h"
#include "sim/run/LayerPipeline.h"
#include "models/Datapath.h"
#include "sim/resources/AsicArea.h"
#include "sim/run/ResolvedRun.h"
#include "sim/run/SharedLayerCache.h"
#include "sim/run/Verify.h"
#include "sim/resources/EnergyModel.h"
#include "sim/run/TensorDump.h"
#include "sim/workload/ChainedForward.h"
#include "sim/workload/NetworkInputFile.h"

namespace sparsesim {

NetworkConfig selectLayers(const NetworkConfig& n, const std::vector<std::string>& names) {
  if (names.empty()) return n;
  if (n.chain)
    throw ConfigError(n.source_file, "chain", "--layers runs chosen layers on their own inputs; in a chained network each layer's input is its producer's output, so the whole network runs");
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

namespace {

// A pipelined engine's cycles for one layer: its datapath model's cycles without the waits on
// DRAM. Its operands come from its line buffer and resident weights (dram, dram_operands), and its
// outputs go to its output path on chip: an output buffer full while draining to DRAM
// (output_buffer_full) is the DRAM write's wait; the output path's own cycles and back-pressure
// are simulated in the stream (models/pipeline/OutputPath).
uint64_t streamedEngineCycles(const LayerStats& s, uint64_t cycles) {
  const uint64_t dram = s.dramWaits();
  return cycles > dram ? cycles - dram : 0;
}

// Feeds the layers through the datapath in simulated time, one after another.
class LayerSequencer : public sc_core::sc_module {
 public:
  // engines: per network layer the datapath that runs it (a folded pipeline's own engines), or
  // empty: `dp` runs every layer.
  // candidates: balanced folding measured (FoldingSpace::measured), per network layer the engine of
  // every candidate array, in the order of space's candidates; engineArch: per layer its engine's
  // architecture, set to the measured folding's choice.
  LayerSequencer(sc_core::sc_module_name name, Datapath& dp, const ResolvedRun& run, RunResult& r, Tracer* tracer,
                 LayerPipeline* pipeline, std::vector<Datapath*> engines, std::vector<ArchConfig>& engineArch,
                 std::vector<std::vector<Datapath*>> candidates)
      : sc_module(name), dp_(dp), a_(run.arch), n_(run.network), o_(run.options), weights_(run.weights), r_(r), tracer_(tracer),
        input_(run.network_input), pipeline_(pipeline), engines_(std::move(engines)), engine_arch_(engineArch),
        space_(run.folding_space), candidates_(std::move(candidates)) {
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
    if (!pipeline_) {
      runInference(input_, true);
      return;
    }
    // Layer-pipelined: every inference through every engine's own datapath model (outputs
    // verified, cycles measured), then the stream through the pipeline with those cycles.
    const PipelinePlan& plan = pipeline_->plan();
    std::vector<std::vector<uint64_t>> engine(plan.stages.size()), ops(plan.stages.size());
    std::vector<std::vector<RowProfile>> rows(plan.stages.size());
    const int64_t per = int64_t(input_.size()) / input_.shape.at(0);
    const auto imageOf = [&](int64_t b) {
      Int8Tensor image({1, input_.shape[1], input_.shape[2], input_.shape[3]});
      std::copy(input_.data.begin() + b * per, input_.data.begin() + (b + 1) * per, image.data.begin());
      return image;
    };
    if (!candidates_.empty()) measureFolding(imageOf(0));
    for (int64_t b = 0; b < input_.shape.at(0); ++b) {
      const InferenceTiming t = runInference(imageOf(b), b == 0);
      bool ok = true;
      for (size_t s = 0; s < plan.stages.size(); ++s) {
        const size_t li = plan.stages[s].layer;
        engine[s].push_back(t.engine_cycles.at(li));
        rows[s].push_back(t.rows.at(li));
        uint64_t op = t.op_cycles.count(li) ? t.op_cycles.at(li) : 0;
        for (size_t h : plan.stages[s].out.host_layers) op += t.op_cycles.count(h) ? t.op_cycles.at(h) : 0;
        ops[s].push_back(op);
        ok = ok && t.verified;
      }
      r_.pipeline.inferences_verified += ok ? 1 : 0;
    }
    r_.pipeline.all_verified = r_.pipeline.inferences_verified == uint64_t(input_.shape.at(0));
    pipeline_->start(std::move(engine), std::move(rows), std::move(ops));
  }
  // Balanced folding measured: inference 0 through the network, each compute layer on its
  // candidate engines (cycles without DRAM waits, as the pipeline counts an engine's); the folding
  // then chooses from the measured cycles and the run goes on with the chosen engines. First the
  // estimate's choice (engine_arch_) is measured on every layer: a folding that fits, whose
  // slowest engine bounds the target. Then per layer the other candidates from the largest array
  // down; one whose doubled array (2 x rows or 2 x cols) already exceeds that bound is not
  // measured (halving an array does not make it faster) and cannot be chosen.
  void measureFolding(const Int8Tensor& input) {
    FoldingSpace space = space_;
    std::vector<LayerWorkload> work;  // per compute layer, inference 0's
    ChainedForward chain(n_, input);
    double bound = 0;
    const auto measure = [&](size_t k, size_t c) {
      LayerWorkload& w = work[k];
      const uint64_t t0 = nowCycles();
      w.time_origin = t0;
      LayerOutcome out = candidates_[space.layers[k]][c]->runLayer(w);
      space.candidates[k][c].cycles = double(streamedEngineCycles(out.stats, nowCycles() - t0));
      return out;
    };
    const auto isArray = [](const ArrayConfig& x, int rows, int cols) { return x.rows == rows && x.cols == cols; };
    std::vector<std::vector<bool>> done(space.layers.size());
    for (size_t i = 0, k = 0; i < n_.layers.size(); ++i) {
      const LayerConfig& l = n_.layers[i];
      if (!isComputeLayer(l.type)) {
        chain.runHostLayer(l);
        continue;
      }
      const Int8Tensor* weights = weights_[i] ? &*weights_[i] : nullptr;
      work.push_back(makeWorkloadOn(l, a_.compat, o_.seed, weights, chain.computeInput(l), chain.producerKwta(l)));
      work.back().weights_at = r_.weight_residency.placement(i);
      done[k].assign(space.candidates[k].size(), false);
      size_t c = 0;
      while (c < space.candidates[k].size() && !isArray(space.candidates[k][c].array, engine_arch_[i].array.rows, engine_arch_[i].array.cols)) ++c;
      LayerOutcome out = measure(k, c);
      done[k][c] = true;
      bound = std::max(bound, space.candidates[k][c].cycles);
      chain.storeOutput(l, out.output);
      ++k;
    }
    for (size_t k = 0; k < space.layers.size(); ++k) {
      std::vector<FoldingCandidate>& cs = space.candidates[k];
      std::vector<size_t> order(cs.size());
      for (size_t c = 0; c < cs.size(); ++c) order[c] = c;
      std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        return int64_t(cs[x].array.rows) * cs[x].array.cols > int64_t(cs[y].array.rows) * cs[y].array.cols;
      });
      for (size_t c : order) {
        if (done[k][c]) continue;
        bool slow = false;
        for (size_t d = 0; d < cs.size(); ++d)
          slow = slow || (done[k][d] && cs[d].cycles > bound &&
                          (isArray(cs[d].array, 2 * cs[c].array.rows, cs[c].array.cols) || isArray(cs[d].array, cs[c].array.rows, 2 * cs[c].array.cols)));
        if (slow) {
          cs[c].cycles = std::numeric_limits<double>::infinity();
        } else {
          measure(k, c);
        }
        done[k][c] = true;
      }
    }
    chooseMeasuredFolding(r_.arch, n_, space, engine_arch_);
    for (size_t k = 0; k < space.layers.size(); ++k) {
      const size_t i = space.layers[k];
      for (size_t c = 0; c < space.candidates[k].size(); ++c)
        if (isArray(space.candidates[k][c].array, engine_arch_[i].array.rows, engine_arch_[i].array.cols)) engines_.at(i) = candidates_[i][c];
    }
  }
  // Per network layer index: the engine's cycles without DRAM stalls (compute layers) and the
  // host-op cycles (host layers and k-WTA post-ops).
  struct InferenceTiming {
    std::map<size_t, uint64_t> engine_cycles, op_cycles;
    std::map<size_t, RowProfile> rows;  // compute layers: when the engine completed each output row
    bool verified = true;
  };
  // One pass of the network; `record`: its layers and host ops go into the run's result.
  InferenceTiming runInference(const Int8Tensor& input, bool record) {
    InferenceTiming timing;
    std::unique_ptr<ChainedForward> chain;
    if (n_.chain) {
      chain = std::make_unique<ChainedForward>(n_, input);
      if (record && !o_.dump_tensors_dir.empty()) dumpNetworkInput(o_.dump_tensors_dir, input);
    }
    const bool dump = record && !o_.dump_tensors_dir.empty();
    for (size_t i = 0; i < n_.layers.size(); ++i) {
      const LayerConfig& l = n_.layers[i];
      if (chain && !isComputeLayer(l.type)) {
        timing.op_cycles[i] += hostStep(l.name, toString(l.type), chain->runHostLayer(l), record);
        if (l.kwta.active()) timing.op_cycles[i] += hostStep(l.name, "kwta", chain->value(l.name).size(), record);
        if (dump) dumpNodeTensor(o_.dump_tensors_dir, l, chain->value(l.name), {}, chain->scale(l.name));
        continue;
      }
      const Int8Tensor* weights = weights_[i] ? &*weights_[i] : nullptr;
      const SharedLayer* shared = nullptr;  // a sweep's precomputed layer (sim/run/SharedLayerCache.h)
      LayerWorkload w = chain ? makeWorkloadOn(l, a_.compat, o_.seed, weights, chain->computeInput(l), chain->producerKwta(l))
                        : (i == 0 && !input.data.empty()) ? makeWorkloadOn(l, a_.compat, o_.seed, weights, input, 0)
                                                           : workloadOrShared(l, a_.compat, o_.seed, weights, &shared);
      w.weights_at = r_.weight_residency.placement(i);
      LayerResult lr;
      lr.weights_resident = w.weights_at.resident;
      lr.weight_stored_bytes = r_.weight_residency.layers[i].stored_bytes;
      lr.name = l.name;
      lr.type = l.type;
      lr.geom = w.geom;
      uint64_t t0 = nowCycles();
      // A pipelined engine idles while the others run (and a whole-design engine while the host
      // ops between its layers run): its waits count from this layer's start.
      if (!engines_.empty() || pipeline_) w.time_origin = t0;
      if (tracer_) tracer_->setLayer(static_cast<int>(i));
      Datapath& dp = i < engines_.size() && engines_[i] ? *engines_[i] : dp_;
      const ArchConfig& la = i < engine_arch_.size() ? engine_arch_[i] : a_;
      LayerOutcome out = dp.runLayer(w);
      checkSimulatedTime(nowCycles(), n_.source_file, i, l.name);
      lr.simulated_cycles = nowCycles() - t0;
      lr.cycles = (a_.compat == Compat::ScaleSim && lr.simulated_cycles > 0) ? lr.simulated_cycles - 1 : lr.simulated_cycles;
      static_cast<LayerStats&>(lr) = std::move(out.stats);
      lr.info = std::move(out.info);
      lr.macs_dense = static_cast<uint64_t>(w.geom.macsDense());
      lr.utilization = lr.simulated_cycles ? double(lr.macs_issued) / (double(lr.simulated_cycles) * double(dp.multipliers())) : 0.0;
      lr.weight_nonzeros = w.weight_nonzeros;
      lr.input_nonzeros = w.input_nonzeros;
      lr.kwta_k = w.kwta_k;
      if (shared) verifyLayer(w, la, out.output, lr, shared->reference, shared->macs_useful);
      else verifyLayer(w, la, out.output, lr);
      timing.verified = timing.verified && lr.verified;
      // Activations stream on chip in a pipeline: the engine's time without its DRAM waits.
      timing.engine_cycles[i] = streamedEngineCycles(lr, lr.cycles);
      if (pipeline_) timing.rows[i] = RowProfile::fromStats(lr, t0, timing.engine_cycles[i], uint64_t(w.geom.batch) * uint64_t(w.geom.out_h), l.name.c_str());
      const Int32Tensor& outTensor = out.output;
      if (dump) dumpLayerTensors(o_.dump_tensors_dir, w, outTensor);
      if (chain) {
        const PostOpRecord rec = chain->storeOutput(l, outTensor);
        if (l.kwta.active()) timing.op_cycles[i] += hostStep(l.name, "kwta", rec.elements, record);
        if (dump) dumpNodeTensor(o_.dump_tensors_dir, l, chain->value(l.name), rec.scale, chain->scale(l.name));
      }
      if (!record) continue;
      if (o_.progress)
        std::cerr << "[" << (i + 1) << "/" << n_.layers.size() << "] " << l.name << ": " << lr.cycles << " cycles, "
                  << (lr.verified ? "verified" : "MISMATCH") << "\n";
      r_.layers.push_back(std::move(lr));
    }
    // Returning leaves every block waiting on an empty FIFO: sc_start() then returns on its own.
    return timing;
  }
  // A step in the output path: one element per lane (array column) per cycle, in simulated time.
  uint64_t hostStep(const std::string& name, const std::string& op, uint64_t elements, bool record) {
    const uint64_t lanes = static_cast<uint64_t>(a_.array.cols);
    HostOpResult h{name, op, elements, (elements + lanes - 1) / lanes};
    waitCycles(h.cycles);
    if (record) r_.host_ops.push_back(h);
    return h.cycles;
  }
  Datapath& dp_;
  const ArchConfig& a_;
  const NetworkConfig& n_;
  const RunOptions& o_;
  const std::vector<std::optional<Int8Tensor>>& weights_;  // resolveRun read the weights files
  RunResult& r_;
  Tracer* tracer_;
  Int8Tensor input_;  // the first layer's (chained: the network's); empty: synthetic per layer
  LayerPipeline* pipeline_;  // layer_pipelined: input_ holds one image per inference
  std::vector<Datapath*> engines_;
  std::vector<ArchConfig>& engine_arch_;
  const FoldingSpace& space_;
  std::vector<std::vector<Datapath*>> candidates_;
};

// A folded pipeline engine's own datapath instance, named after its layer (module names are
// unique per parent).
class FoldedEngine : public sc_core::sc_module {
 public:
  FoldedEngine(sc_core::sc_module_name name, const DatapathEntry& e, const ArchConfig& a) : sc_module(name), datapath(e.make(a)) {}
  std::unique_ptr<Datapath> datapath;
};

}  // namespace


// Resources of the design on its part, and each layer's energy from the counted events, by the
// datapath's cost model (its registry entry) and the tables resolveRun loaded.
static void attachResourcesAndEnergy(RunResult& r, const ResolvedRun& run) {
  const ArchConfig& a = r.arch;
  const DatapathCostModel& costs = run.datapath->costs;
  r.resources = estimateResources(a, *run.calibration, costs);
  applyAsicArea(r.resources, run.asic_table);
  r.part = run.part;
  r.fit = fitOnPart(r.resources.total, run.part);
  r.asic = estimateAsicArea(a, *run.asic_calibration, *run.asic_node, costs);  // docs/asic-area.md
  r.energy_table = run.energy_table;
  r.energy = EnergyResult{};
  double cycles = 0;
  for (auto& l : r.layers) {
    const double secs = double(l.cycles) / (a.clock_mhz * 1e6);
    l.energy = layerEnergy(run.energy_table, a, r.resources, r.fit, run.part.name, layerEvents(a, l, costs), secs);
    for (const auto& [k, v] : l.energy.by_block) r.energy.by_block[k] += v;
    for (const auto& [k, v] : l.energy.by_event) r.energy.by_event[k] += v;
    // The run's activity of a block: its busy cycles over all layers / all cycles.
    for (const auto& [k, v] : l.energy.activity) r.energy.activity[k] += v * double(l.cycles);
    r.energy.total_j += l.energy.total_j;
    r.energy.static_sharers = l.energy.static_sharers;
    cycles += double(l.cycles);
  }
  for (auto& [k, v] : r.energy.activity) v = cycles > 0 ? v / cycles : 0.0;
}

// Energy of one inference in steady state (docs/pipelined.md): every engine is clocked for one
// interval, busy for its own counted cycles (inference 0's events, its fabric idle the rest of
// the interval), with no DRAM traffic of its own (activations on chip, weights resident); the
// network input and final output cross DRAM once; an FPGA part's static power is charged once per
// interval for the whole pipeline (an ASIC engine's leakage is its own, per engine).
static double pipelineEnergyPerInference(const RunResult& r, const ResolvedRun& run, const PipelinePlan& plan,
                                         const std::vector<ArchConfig>& engineArch) {
  const ArchConfig& a = r.arch;
  const PipelineResult& p = r.pipeline;
  const double secs = double(p.interval_cycles) / (a.clock_mhz * 1e6);
  const bool fpga = run.energy_table.kind != "asic";
  double joules = 0;
  const bool folded = a.pipeline.folding != "whole";
  for (size_t k = 0; k < r.layers.size(); ++k) {
    const auto& l = r.layers[k];
    // r.layers are the compute layers in order, one per stage; a folded engine is its own design.
    const ArchConfig& ea = folded ? engineArch.at(plan.stages.at(k).layer) : a;
    const ResourceEstimate er = folded ? estimateResources(ea, *run.calibration, run.datapath->costs) : r.resources;
    std::vector<Event> ev = layerEvents(ea, l, run.datapath->costs);
    ev.erase(std::remove_if(ev.begin(), ev.end(), [](const Event& e) { return e.event == "dram_64b"; }), ev.end());
    const EnergyResult e = layerEnergy(run.energy_table, ea, er, p.fit, run.part.name, ev, secs);
    const auto st = e.by_event.find("static");
    joules += e.total_j - (fpga && st != e.by_event.end() ? st->second : 0.0);
  }
  const double bytes = p.inferences ? double(p.dram_read_bytes + p.dram_write_bytes) / double(p.inferences) : 0.0;
  const std::vector<Event> dram = {Event{"dram", "dram_64b", bytes / 8.0, 0}};
  return joules + layerEnergy(run.energy_table, a, ResourceEstimate{}, p.fit, run.part.name, dram, fpga ? secs : 0.0).total_j;
}

// The activations one inference moves between engines: every emitted row of a producer's output
// path written into its consumer's line buffer and read once from it, int8 (one byte per
// element), as 64-bit SRAM accesses (FPGA: bram_access_72b_pj per access; ASIC: the SRAM energy
// at the buffer's size, sram_64b_*_pj). The energy table names each constant's source.
static EnergyResult lineBufferEnergy(const RunResult& r, const ResolvedRun& run, const PipelinePlan& plan, uint64_t& bytes) {
  bytes = 0;
  std::vector<Event> ev;
  for (size_t k = 0; k + 1 < plan.stages.size(); ++k) {
    const OutputPathPlan& o = plan.stages[k].out;
    const PipelineStagePlan& consumer = plan.stages[k + 1];
    const uint64_t moved = o.rows * o.row_elements;
    const double kb = double(consumer.fifo_rows * consumer.input_row_elements) / 1024.0;
    addEvent(ev, "line_buffer_" + consumer.name, "sram_write_64b", double(moved) / 8.0, kb);
    addEvent(ev, "line_buffer_" + consumer.name, "sram_read_64b", double(moved) / 8.0, kb);
    bytes += moved;
  }
  // No fabric of its own here (ResourceEstimate{}) and no time: the accesses' energy only.
  return layerEnergy(run.energy_table, r.arch, ResourceEstimate{}, r.pipeline.fit, run.part.name, ev, 0.0);
}

void checkSimulatedTime(uint64_t endCycle, const std::string& networkFile, size_t layerIndex, const std::string& layerName) {
  if (endCycle <= kMaxExactCycles) return;
  throw ConfigError(networkFile, "layers[" + std::to_string(layerIndex) + "]",
                    "layer \"" + layerName + "\" ends at simulated cycle " + std::to_string(endCycle) +
                        ", past 2^53 cycles, where simulated time stops being exact; raise the DRAM bandwidth or clock, or shrink the layer");
}

WeightResidencyPlan planRunWeightResidency(const ResolvedRun& run) {
  const ArchConfig& a = run.arch;
  const NetworkConfig& n = run.network;
  const DatapathEntry& dp = *run.datapath;
  std::vector<WeightFootprint> layers;
  for (size_t i = 0; i < n.layers.size(); ++i) {
    if (!isComputeLayer(n.layers[i].type)) {  // host layers (chained networks) hold no weights
      layers.push_back(WeightFootprint{});
      continue;
    }
    const Int8Tensor* w = run.weights[i] ? &*run.weights[i] : nullptr;
    // The footprint reads only the weights and the input's size: no input generation, no k-WTA.
    // A pipelined layer's weights are stored by its own engine.
    const ArchConfig& la = a.pipelined && i < run.engine_arch.size() ? run.engine_arch[i] : a;
    const SharedLayer* shared = w ? nullptr : SharedLayerCache::instance().find(n.layers[i], a.compat, run.options.seed);
    layers.push_back(dp.weight_footprint(la, shared ? shared->workload : makeWeightsWorkload(n.layers[i], a.compat, run.options.seed, w)));
  }
  if (!a.pipelined) return planWeightResidency(a.memory.preload_weights, dp.weight_memory_bytes(a), std::move(layers));
  // Layer-pipelined: every engine holds its own layer's weights, resident (docs/pipelined.md);
  // a folded engine's weight memory is sized to its layer (sim/run/EngineBuffers.h).
  uint64_t total = 0;
  for (size_t i = 0; i < n.layers.size(); ++i) {
    if (!isComputeLayer(n.layers[i].type)) continue;
    const uint64_t perEngine = dp.weight_memory_bytes(i < run.engine_arch.size() ? run.engine_arch[i] : a);
    total += perEngine;
    if (layers[i].stored_bytes > perEngine)
      throw ConfigError(n.source_file, "layers[" + std::to_string(i) + "]",
                        "execution layer_pipelined keeps every engine's weights on chip; layer \"" + n.layers[i].name + "\" stores " +
                            std::to_string(layers[i].stored_bytes) + " bytes, its engine's weight memory holds " + std::to_string(perEngine) +
                            " (" + a.source_file + ": memory.filter_kb, or the cs weight-packing SRAM)");
  }
  return planWeightResidency(true, total, std::move(layers));
}

RunResult runSimulation(const ArchConfig& a, const NetworkConfig& n, const RunOptions& opt) {
  return runSimulation(resolveRun(RunRequest{a, n, opt}));
}

RunResult runSimulation(const ResolvedRun& run) {
  auto wall0 = std::chrono::steady_clock::now();
  const ArchConfig& a = run.arch;
  const NetworkConfig& n = run.network;
  const RunOptions& opt = run.options;
  RunResult r;
  r.arch = a;
  r.network = n;
  r.seed = opt.seed;
  // Decided once per run, before the first layer runs (weights preloaded with the configuration).
  r.weight_residency = planRunWeightResidency(run);
  const PipelinePlan plan = a.pipelined ? planPipeline(a, n) : PipelinePlan{};
  std::vector<ArchConfig> engineArch = run.engine_arch;  // a measured folding sets its choice
  std::unique_ptr<Tracer> tracer;
  if (!opt.trace.dir.empty()) {
    nlohmann::ordered_json header;
    header["seed"] = opt.seed;
    header["sparsesim_version"] = sparsesimVersion();
    header["arch"] = toJson(a);
    header["network"] = toJson(n);
    tracer = std::make_unique<Tracer>(opt.trace, run.trace_blocks, header);
  }
  {
    std::unique_ptr<Datapath> dp = run.datapath->make(a);
    r.multipliers = dp->multipliers();
    if (tracer) dp->attachTracer(*tracer);
    std::unique_ptr<LayerPipeline> pipeline;
    if (a.pipelined) pipeline = std::make_unique<LayerPipeline>("pipeline", a, plan);
    // A folded pipeline: every compute layer on its own engine, built from its own architecture.
    std::vector<std::unique_ptr<FoldedEngine>> folded;
    std::vector<Datapath*> engines;
    if (a.pipelined && a.pipeline.folding != "whole" && !run.folding_space.measured)
      for (size_t i = 0; i < n.layers.size(); ++i) {
        engines.push_back(nullptr);
        if (!isComputeLayer(n.layers[i].type)) continue;
        folded.push_back(std::make_unique<FoldedEngine>(("folded_" + n.layers[i].name).c_str(), *run.datapath, run.engine_arch.at(i)));
        engines.back() = folded.back()->datapath.get();
      }
    // Balanced folding measured: an engine for every candidate array of every compute layer.
    std::vector<std::vector<Datapath*>> candidates;
    if (a.pipelined && run.folding_space.measured) {
      candidates.resize(n.layers.size());
      for (size_t k = 0; k < run.folding_space.layers.size(); ++k) {
        const size_t i = run.folding_space.layers[k];
        for (const FoldingCandidate& c : run.folding_space.candidates[k]) {
          ArchConfig e = run.engine_arch.at(i);
          e.array = c.array;
          const std::string name = "candidate_" + n.layers[i].name + "_" + std::to_string(c.array.rows) + "x" + std::to_string(c.array.cols);
          folded.push_back(std::make_unique<FoldedEngine>(name.c_str(), *run.datapath, e));
          candidates[i].push_back(folded.back()->datapath.get());
        }
      }
      engines.assign(n.layers.size(), nullptr);  // the measured folding's choice sets them
    }
    LayerSequencer seq("sequencer", *dp, run, r, tracer.get(), pipeline.get(), std::move(engines), engineArch, std::move(candidates));
    sc_core::sc_start();
    if (pipeline && !r.error) pipeline->collect(r.pipeline);
  }
  if (r.error) std::rethrow_exception(r.error);
  if (tracer) tracer->finish();
  r.verified = !r.layers.empty();
  for (const auto& l : r.layers) {
    r.total_cycles += l.cycles;
    r.verified = r.verified && l.verified;
  }
  for (const auto& h : r.host_ops) r.total_cycles += h.cycles;
  r.seconds = double(r.total_cycles) / (a.clock_mhz * 1e6);
  attachResourcesAndEnergy(r, run);
  if (r.pipeline.enabled) {
    // One copy of the pipeline is every engine, each its own architecture (folding `whole`: the
    // design's).
    r.verified = r.verified && r.pipeline.all_verified;
    r.pipeline.resources = Resources{};
    r.pipeline.folding = a.pipeline.folding;
    for (size_t k = 0; k < r.pipeline.stages.size(); ++k) {
      auto& s = r.pipeline.stages[k];
      const ArchConfig& e = engineArch.at(plan.stages.at(k).layer);
      s.array = e.array;
      s.multipliers = int64_t(e.array.rows) * e.array.cols;
      s.ifmap_kb = e.memory.ifmap_kb;
      s.filter_kb = e.memory.filter_kb;
      s.ofmap_kb = e.memory.ofmap_kb;
      if (e.datapath == DatapathKind::Cs) s.sram_banks = e.cs.sram.banks, s.sram_depth = e.cs.sram.depth;
      s.line_buffer_bytes = lineBufferBytes(plan.stages.at(k), s.fifo_depth);
      s.resources = a.pipeline.folding == "whole" ? r.resources.total : estimateResources(e, *run.calibration, run.datapath->costs).total;
      r.pipeline.resources += s.resources;
    }
    r.pipeline.fit = fitOnPart(r.pipeline.resources, r.part);
    uint64_t lineBytes = 0;
    const EnergyResult lines = lineBufferEnergy(r, run, plan, lineBytes);
    r.pipeline.line_buffer_bytes_per_inference = lineBytes;
    r.pipeline.line_buffer_energy_per_inference_j = lines.total_j;
    r.pipeline.energy_per_inference_j = pipelineEnergyPerInference(r, run, plan, engineArch) + lines.total_j;
  }
  r.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  return r;
}

}  // namespace sparsesim
