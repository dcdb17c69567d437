#include "sim/config/ConfigDoc.h"

#include <stdexcept>

#include "sim/config/ConfigJson.h"

namespace sparsesim {

namespace {

std::string cell(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string table(const std::vector<ParamDoc>& rows) {
  std::string t = "| key | default | range | unit | meaning |\n|---|---|---|---|---|\n";
  for (const auto& r : rows) {
    t += "| `" + cell(r.key) + "` | " + cell(r.def) + " | " + cell(r.range) + " | " + cell(r.unit) + " | " + cell(r.doc) + " |\n";
  }
  return t;
}

std::string beginMarker(const std::string& name) {
  return "<!-- BEGIN GENERATED " + name + ": sparsesim config-doc --update docs/config.md -->\n";
}
std::string endMarker(const std::string& name) { return "<!-- END GENERATED " + name + " -->"; }

}  // namespace

std::vector<std::pair<std::string, std::string>> configDocTables() {
  return {
      {"network", table(documentParams(networkParams()))},
      {"layer", table(documentParams(layerParams()))},
      {"arch", table(documentParams(archParams()))},
      {"cs", table(documentParams(csParams(), "cs."))},
      {"sod", table(documentParams(sodParams(), "sod."))},
      {"sparse_pe", table(documentParams(sparsePeParams(), "sparse_pe."))},
      {"resources", table(documentParams(resourceParams()))},
  };
}

std::string updateConfigDoc(const std::string& doc) {
  std::string out = doc;
  for (const auto& [name, text] : configDocTables()) {
    const std::string b = beginMarker(name), e = endMarker(name);
    const size_t pb = out.find(b);
    if (pb == std::string::npos) throw std::runtime_error("no line \"" + b.substr(0, b.size() - 1) + "\"");
    const size_t pe = out.find(e, pb);
    if (pe == std::string::npos) throw std::runtime_error("no line \"" + e + "\" after its BEGIN marker");
    out.replace(pb + b.size(), pe - pb - b.size(), text);
  }
  return out;
}

}  // namespace sparsesim
