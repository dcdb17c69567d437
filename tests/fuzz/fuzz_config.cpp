// libFuzzer target: the config parser and validator must answer any byte string with a config
// or a ConfigError, never a crash, a hang, another exception or a sanitizer report. The first
// byte picks the schema (2: a SCALE-Sim topology CSV read as a network; other even: network JSON;
// odd: architecture).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigJson.h"
#include "sim/config/ConfigLoader.h"
#include "sim/config/JsonReader.h"
#include "sim/config/ScaleSimTopology.h"
#include "sim/workload/LayerGeometry.h"

using namespace sparsesim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const bool arch = data[0] & 1;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    nlohmann::json j = data[0] == 2 ? parseScaleSimTopology(text, "fuzz.csv").network : parseJsonText(text, "fuzz.json");
    if (arch) {
      ArchConfig a = archFromJson(j, "fuzz.json");
      (void)toJson(a).dump();
    } else {
      NetworkConfig n = networkFromJson(j, "fuzz.json");
      for (const auto& l : n.layers) {
        for (Compat c : {Compat::None, Compat::ScaleSim}) {
          if (c == Compat::ScaleSim && (l.kernel_h > l.in_h || l.kernel_w > l.in_w)) continue;  // refused by validateRun
          LayerGeometry g = computeGeometry(l, c);
          if (g.out_h < 1 || g.out_w < 1 || g.M < 1 || g.K < 1 || g.N < 1) std::abort();  // validation let an impossible shape through
        }
      }
      (void)toJson(n).dump();
    }
  } catch (const ConfigError&) {
  }
  return 0;
}
