#include "sim/config/SodConfig.h"

#include "sim/config/JsonReader.h"

namespace sparsesim {

SodConfig readSodConfig(JsonReader& arch) {
  SodConfig c;
  if (auto r = arch.optionalObject("sod")) {
    r->finish();
  }
  return c;
}

nlohmann::ordered_json toJson(const SodConfig&) { return nlohmann::ordered_json::object(); }

}  // namespace sparsesim
