#include "sim/config/SodConfig.h"

#include "sim/config/ConfigJson.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

const ParamTable<SodConfig>& sodParams() {
  using C = SodConfig;
  static const ParamTable<C> table = [] {
    ParamTable<C> t;
    t.push_back(enumParam<C>("weight_format", SPARSESIM_MEMBER(weight_format))
                    .withDoc("how weights are stored in the global buffer and DRAM; `dense` bypasses the weight "
                             "decompression unit; `auto` picks per layer whichever of dense, bitmap and csc stores "
                             "the layer's weights in the fewest bytes (dense on a tie; docs/sod.md)"));
    t.push_back(enumParam<C>("activation_format", SPARSESIM_MEMBER(activation_format))
                    .withDoc("the same for input activations (`auto` compares the layer's whole input as stored)"));
    t.push_back(integerParam<C>("index_bits", SPARSESIM_MEMBER(index_bits), 1, 16)
                    .withUnit("bits")
                    .withDoc("CSC index width: a stored vector is cut into segments of 2^index_bits elements, each "
                             "with its own pointer; with 5 a 32-wide array-edge vector is one segment"));
    t.push_back(integerParam<C>("nnz_per_cycle", SPARSESIM_MEMBER(nnz_per_cycle), 1, 4096)
                    .withUnit("non-zeros/cycle")
                    .withDoc("non-zeros one decompression unit scatters into dense lanes per cycle"));
    t.push_back(integerParam<C>("port_bytes", SPARSESIM_MEMBER(port_bytes), 1, 4096)
                    .withUnit("bytes/cycle")
                    .withDoc("bytes per cycle one decompression unit reads from the global buffer (pointers, masks "
                             "and entries all count)"));
    return t;
  }();
  return table;
}

SodConfig readSodConfig(JsonReader& arch) { return readSection(arch, sodParams(), "sod"); }

nlohmann::ordered_json toJson(const SodConfig& c) { return paramsJson(sodParams(), c); }

}  // namespace sparsesim
