#include "sim/config/SparsePeConfig.h"

#include "sim/config/ConfigJson.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

const ParamTable<SparsePeConfig>& sparsePeParams() {
  using C = SparsePeConfig;
  static const ParamTable<C> table = [] {
    ParamTable<C> t;
    t.push_back(integerParam<C>("fifo_depth", SPARSESIM_MEMBER(fifo_depth), 1, 1024)
                    .withUnit("entries")
                    .withDoc("(value, index) entries in each PE's weight FIFO and in its activation FIFO"));
    t.push_back(integerParam<C>("match_width", SPARSESIM_MEMBER(match_width), 1, 64)
                    .withUnit("entries")
                    .withDoc("entries at the head of each FIFO the index-matching unit compares per cycle "
                             "(match_width x match_width comparators); at most one MAC per cycle"));
    t.push_back(integerParam<C>("bus_pairs_per_cycle", SPARSESIM_MEMBER(bus_pairs_per_cycle), 1, 64)
                    .withUnit("pairs/cycle")
                    .withDoc("entries per cycle the broadcast bus of a PE row (activations) or column (weights) delivers"));
    t.push_back(integerParam<C>("index_bits", SPARSESIM_MEMBER(index_bits), 1, 24)
                    .withUnit("bits")
                    .withDoc("stored index width along K (segments of 2^index_bits elements, one pointer each): "
                             "storage and DRAM bytes"));
    return t;
  }();
  return table;
}

SparsePeConfig readSparsePeConfig(JsonReader& arch) {  return readSection(arch, sparsePeParams(), "sparse_pe");
}

nlohmann::ordered_json toJson(const SparsePeConfig& c) { return paramsJson(sparsePeParams(), c); }

}  // namespace sparsesim
