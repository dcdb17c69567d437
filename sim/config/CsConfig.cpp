#include "sim/config/CsConfig.h"

#include "sim/config/ConfigJson.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

CsConfig readCsConfig(JsonReader& arch) {
  CsConfig c;
  auto r = arch.optionalObject("cs");
  if (!r) return c;
  // Per-layer mode: "auto" picks from the layer's sparsity; the others force every layer.
  std::string mode = r->choice("mode", std::string("auto"), {"auto", "dense_dense", "sparse_dense", "sparse_sparse"});
  c.mode = mode == "dense_dense" ? CsMode::DenseDense : mode == "sparse_dense" ? CsMode::SparseDense
         : mode == "sparse_sparse" ? CsMode::SparseSparse : CsMode::Auto;
  if (auto p = r->optionalObject("packing")) {
    // Most kernels in one packed group; bounds the kernel-ID field (ceil(log2 max_n) bits).
    c.packing.max_n = p->integer("max_n", 16, 1, 65536);
    p->finish();
  }
  if (auto s = r->optionalObject("sram")) {
    // Banks of the weight-packing SRAM; a column read spreads over consecutive banks.
    c.sram.banks = s->integer("banks", 16, 1, 65536);
    // Bits per word (one port, one cycle); BRAM36 and URAM are at most 72 bits wide.
    c.sram.word_bits = s->integer("word_bits", 72, 8, 4096);
    // Read ports per bank.
    c.sram.ports = s->integer("ports", 2, 1, 8);
    // Words per bank.
    c.sram.depth = s->integer("depth", 1024, 1, 1 << 24);
    // Read latency in cycles (pipelined: paid once per pass).
    c.sram.read_latency = s->integer("read_latency", 2, 0, 64);
    // Block type for the resource count: "bram36" (36 Kb, 72 x 512) or "uram" (288 Kb, 72 x 4096).
    c.sram.memory = s->choice("memory", std::string("bram36"), {"bram36", "uram"}) == "uram" ? SramMemory::Uram : SramMemory::Bram36;
    // "preload": a layer whose whole packed table fits is in the SRAM before the layer starts
    // (no DRAM traffic); "stream": every table is read from DRAM pass by pass as its layer runs.
    c.sram.preload = s->choice("weights", std::string("preload"), {"preload", "stream"}) == "preload";
    s->finish();
  }
  if (auto s = r->optionalObject("selector")) {
    // k-WTA circuit: "threshold" (histogram + threshold search + compaction) or "bitonic" (sorting network).
    c.selector.circuit = s->choice("circuit", std::string("threshold"), {"threshold", "bitonic"}) == "bitonic" ? SelectorCircuit::Bitonic : SelectorCircuit::Threshold;
    // Activations read per cycle.
    c.selector.lanes = s->integer("lanes", 16, 1, 65536);
    // Winners emitted per cycle.
    c.selector.out_width = s->integer("out_width", 8, 1, 65536);
    // Threshold circuit: histogram bins scanned per cycle.
    c.selector.bins_per_cycle = s->integer("bins_per_cycle", 8, 1, 129);
    // Bitonic circuit: compare-exchange units shared by the network's stages.
    c.selector.comparators = s->integer("comparators", 64, 1, 1 << 24);
    // 0: k-WTA over the whole input tensor; N > 0: per group of N consecutive elements (NCHW order).
    c.selector.group_size = s->integer("group_size", 0, 0, 1 << 30);
    // "input": both threshold passes run on this layer's input as it arrives from DRAM (pass 1
    // overlapping the fetch); "fused": pass 1 (the histogram) ran on the previous layer's output
    // stream, so the threshold search and pass 2 overlap this layer's input fetch. The bitonic
    // circuit needs all its inputs either way (its load overlaps the fetch).
    c.selector.fused = s->choice("placement", std::string("input"), {"input", "fused"}) == "fused";
    s->finish();
  }
  if (auto m = r->optionalObject("mac")) {
    // Multiply + route + accumulate pipeline stages.
    c.mac.pipeline_depth = m->integer("pipeline_depth", 3, 0, 64);
    // Output pixels per write-back burst.
    c.mac.writeback_pixels = m->integer("writeback_pixels", 16, 1, 1 << 20);
    // "on": a pass holding R packed groups uses floor(slots / R) copies of them, each copy with
    // its own lanes (more pixels in parallel); "off": slots beyond R stay idle.
    c.mac.replicate = m->choice("replication", std::string("on"), {"on", "off"}) == "on";
    m->finish();
  }
  r->finish();
  return c;
}

nlohmann::ordered_json toJson(const CsConfig& c) {
  nlohmann::ordered_json j;
  j["mode"] = toString(c.mode);
  j["packing"] = {{"max_n", c.packing.max_n}};
  j["sram"] = {{"banks", c.sram.banks}, {"word_bits", c.sram.word_bits}, {"ports", c.sram.ports},
               {"depth", c.sram.depth}, {"read_latency", c.sram.read_latency}, {"memory", toString(c.sram.memory)},
               {"weights", c.sram.preload ? "preload" : "stream"}};
  j["selector"] = {{"circuit", toString(c.selector.circuit)}, {"lanes", c.selector.lanes},
                   {"out_width", c.selector.out_width}, {"bins_per_cycle", c.selector.bins_per_cycle},
                   {"comparators", c.selector.comparators}, {"group_size", c.selector.group_size},
                   {"placement", c.selector.fused ? "fused" : "input"}};
  j["mac"] = {{"pipeline_depth", c.mac.pipeline_depth}, {"writeback_pixels", c.mac.writeback_pixels},
               {"replication", c.mac.replicate ? "on" : "off"}};
  return j;
}

}  // namespace sparsesim
