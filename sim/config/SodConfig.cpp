#include "sim/config/SodConfig.h"

#include "sim/config/ConfigJson.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

SodConfig readSodConfig(JsonReader& arch) {
  SodConfig c;
  if (auto r = arch.optionalObject("sod")) {
    // Storage format of each operand in the global buffer (and in DRAM); "dense" bypasses that
    // operand's decompression unit.
    c.weight_format = *enumFromString<SparseFormat>(r->choice("weight_format", std::string(toString(c.weight_format)), enumNames<SparseFormat>()));
    c.activation_format = *enumFromString<SparseFormat>(r->choice("activation_format", std::string(toString(c.activation_format)), enumNames<SparseFormat>()));
    // Bits of one CSC row index; positions are relative to a segment of 2^index_bits elements.
    c.index_bits = r->integer("index_bits", c.index_bits, 1, 16);
    // Decompressor scatter rate: (value, index) pairs turned into dense lanes per cycle.
    c.nnz_per_cycle = r->integer("nnz_per_cycle", c.nnz_per_cycle, 1, 4096);
    // Width of the global-buffer read port that feeds one decompression unit.
    c.port_bytes = r->integer("port_bytes", c.port_bytes, 1, 4096);
    r->finish();
  }
  return c;
}

nlohmann::ordered_json toJson(const SodConfig& c) {
  return {{"weight_format", toString(c.weight_format)},
          {"activation_format", toString(c.activation_format)},
          {"index_bits", c.index_bits},
          {"nnz_per_cycle", c.nnz_per_cycle},
          {"port_bytes", c.port_bytes}};
}

}  // namespace sparsesim
