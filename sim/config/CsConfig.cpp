#include "sim/config/CsConfig.h"

#include "sim/config/ConfigJson.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

const ParamTable<CsConfig>& csParams() {
  using C = CsConfig;
  static const ParamTable<C> table = [] {
    ParamTable<C> t;
    t.push_back(enumParam<C>("mode", SPARSESIM_MEMBER(mode))
                    .withDoc("per-layer mode; `auto`: sparse_sparse if the layer's input keeps k < L activations, else "
                             "sparse_dense if its weights have zeros, else dense_dense; the others force every layer"));
    t.push_back(integerParam<C>("packing.max_n", SPARSESIM_MEMBER(packing.max_n), 1, 65536)
                    .withUnit("kernels")
                    .withDoc("most kernels one packed group may hold (kernel-ID width ceil(log2 N))"));
    t.push_back(integerParam<C>("sram.banks", SPARSESIM_MEMBER(sram.banks), 1, 65536)
                    .withUnit("banks")
                    .withDoc("banks of the weight-packing SRAM; a column read spreads over consecutive banks"));
    t.push_back(integerParam<C>("sram.word_bits", SPARSESIM_MEMBER(sram.word_bits), 8, 4096)
                    .withUnit("bits")
                    .withDoc("bits one port delivers per cycle (BRAM36/URAM: 72)"));
    t.push_back(integerParam<C>("sram.ports", SPARSESIM_MEMBER(sram.ports), 1, 8)
                    .withUnit("ports")
                    .withDoc("read ports per bank"));
    t.push_back(integerParam<C>("sram.depth", SPARSESIM_MEMBER(sram.depth), 1, 1 << 24)
                    .withUnit("words")
                    .withDoc("words per bank; capacity = banks x depth x word_bits"));
    t.push_back(integerParam<C>("sram.read_latency", SPARSESIM_MEMBER(sram.read_latency), 0, 64)
                    .withUnit("cycles")
                    .withDoc("cycles from address to data, paid once per pass (pipelined)"));
    t.push_back(enumParam<C>("sram.memory", SPARSESIM_MEMBER(sram.memory))
                    .withDoc("block type for the resource count: 36 Kb BRAM (72 x 512) or 288 Kb URAM (72 x 4096)"));
    t.push_back(enumParam<C>("selector.circuit", SPARSESIM_MEMBER(selector.circuit))
                    .withDoc("k-WTA circuit: histogram + threshold search + compaction, or a bitonic sorting network"));
    t.push_back(integerParam<C>("selector.lanes", SPARSESIM_MEMBER(selector.lanes), 1, 65536)
                    .withUnit("activations/cycle")
                    .withDoc("activations the selector reads per cycle"));
    t.push_back(integerParam<C>("selector.out_width", SPARSESIM_MEMBER(selector.out_width), 1, 65536)
                    .withUnit("winners/cycle")
                    .withDoc("winners the compactor / read-out emits per cycle"));
    t.push_back(integerParam<C>("selector.bins_per_cycle", SPARSESIM_MEMBER(selector.bins_per_cycle), 1, 129)
                    .withUnit("bins/cycle")
                    .withDoc("threshold circuit: histogram bins the threshold search scans per cycle"));
    t.push_back(integerParam<C>("selector.comparators", SPARSESIM_MEMBER(selector.comparators), 1, 1 << 24)
                    .withUnit("compare-exchange units")
                    .withDoc("bitonic circuit: compare-exchange units shared by the network's stages"));
    t.push_back(integerParam<C>("selector.group_size", SPARSESIM_MEMBER(selector.group_size), 0, 1 << 30)
                    .withUnit("elements")
                    .withDoc("0: one k-WTA over the whole input; N: one per group of N consecutive elements in NCHW "
                             "order (must match how the inputs were made; the generator uses 0; after a chained "
                             "network's kwta, a multiple of its group's elements or at least the image, else exit 2)"));
    t.push_back(switchParam<C>("selector.placement", SPARSESIM_MEMBER(selector.fused), {{"input", false}, {"fused", true}})
                    .withDoc("`input`: both threshold passes run on this layer's input (pass 1 overlapping the fetch); "
                             "`fused`: pass 1 ran on the previous layer's output stream (the bitonic circuit needs all "
                             "its inputs either way)"));
    t.push_back(integerParam<C>("mac.pipeline_depth", SPARSESIM_MEMBER(mac.pipeline_depth), 0, 64)
                    .withUnit("stages")
                    .withDoc("multiply + route + accumulate stages (fill once per pass)"));
    t.push_back(integerParam<C>("mac.writeback_pixels", SPARSESIM_MEMBER(mac.writeback_pixels), 1, 1 << 20)
                    .withUnit("pixels")
                    .withDoc("finished output pixels per write-back burst"));
    t.push_back(switchParam<C>("mac.replication", SPARSESIM_MEMBER(mac.replicate), {{"on", true}, {"off", false}})
                    .withDoc("`on`: a pass of R < array.cols packed groups uses floor(cols/R) copies of them as extra "
                             "lanes; `off`: slots beyond R stay idle"));
    return t;
  }();
  return table;
}

CsConfig readCsConfig(JsonReader& arch) { return readSection(arch, csParams(), "cs"); }

nlohmann::ordered_json toJson(const CsConfig& c) { return paramsJson(csParams(), c); }

}  // namespace sparsesim
