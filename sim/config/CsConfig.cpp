#include "sim/config/CsConfig.h"

#include "sim/config/JsonReader.h"

namespace sparsesim {

CsConfig readCsConfig(JsonReader& arch) {
  CsConfig c;
  if (auto r = arch.optionalObject("cs")) {
    r->finish();
  }
  return c;
}

nlohmann::ordered_json toJson(const CsConfig&) { return nlohmann::ordered_json::object(); }

}  // namespace sparsesim
