#include "sim/config/SparsePeConfig.h"

#include "sim/config/ConfigJson.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

SparsePeConfig readSparsePeConfig(JsonReader& arch) {
  SparsePeConfig c;
  if (auto r = arch.optionalObject("sparse_pe")) {
    // Depth of each PE's weight FIFO and activation FIFO, in (value, index) entries.
    c.fifo_depth = r->integer("fifo_depth", c.fifo_depth, 1, 1024);
    // Entries at the head of each FIFO the index-matching unit compares in one cycle (it issues
    // at most one MAC per cycle).
    c.match_width = r->integer("match_width", c.match_width, 1, 64);
    // Pairs per cycle the broadcast bus of one PE row (activations) or column (weights) delivers.
    c.bus_pairs_per_cycle = r->integer("bus_pairs_per_cycle", c.bus_pairs_per_cycle, 1, 64);
    // Width of a stored index along the reduction dimension (storage and DRAM traffic).
    c.index_bits = r->integer("index_bits", c.index_bits, 1, 24);
    r->finish();
  }
  // Each PE owns one output (output-stationary); loadArch has read both keys already.
  if (arch.has("datapath") && arch.string("datapath", std::nullopt) == "sparse_pe" && arch.has("dataflow") &&
      arch.string("dataflow", std::nullopt) != "os")
    arch.fail("dataflow", "the sparse_pe datapath is output-stationary (each PE owns one output); set \"dataflow\": \"os\"");
  return c;
}

nlohmann::ordered_json toJson(const SparsePeConfig& c) {
  return {{"fifo_depth", c.fifo_depth},
          {"match_width", c.match_width},
          {"bus_pairs_per_cycle", c.bus_pairs_per_cycle},
          {"index_bits", c.index_bits}};
}

}  // namespace sparsesim
