#include "sim/config/SparsePeConfig.h"

#include "sim/config/JsonReader.h"

namespace sparsesim {

SparsePeConfig readSparsePeConfig(JsonReader& arch) {
  SparsePeConfig c;
  if (auto r = arch.optionalObject("sparse_pe")) {
    r->finish();
  }
  return c;
}

nlohmann::ordered_json toJson(const SparsePeConfig&) { return nlohmann::ordered_json::object(); }

}  // namespace sparsesim
