#include "sim/cli/ConfigDocCommand.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include "sim/config/ConfigDoc.h"
#include "sim/io/AtomicFile.h"

namespace sparsesim {

namespace {
const char* kConfigDocUsage =
    "usage: sparsesim config-doc                 print the parameter tables (markdown)\n"
    "       sparsesim config-doc --update FILE   rewrite the generated tables in FILE (docs/config.md)\n"
    "       sparsesim config-doc --check FILE    exit 1 when FILE's generated tables are stale\n";
}  // namespace

int cmdConfigDoc(const std::vector<std::string>& args) {
  if (args.empty()) {
    for (const auto& [name, text] : configDocTables()) std::cout << "<!-- " << name << " -->\n" << text << "\n";
    return 0;
  }
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) { std::cout << kConfigDocUsage; return 0; }
  if (args.size() != 2 || (args[0] != "--update" && args[0] != "--check")) { std::cerr << kConfigDocUsage; return 2; }
  const std::string& file = args[1];
  std::ifstream in(file, std::ios::binary);
  if (!in) { std::cerr << "error: " << file << ": cannot open file\n"; return 2; }
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  std::string updated;
  try {
    updated = updateConfigDoc(doc);
  } catch (const std::runtime_error& e) {
    std::cerr << "error: " << file << ": " << e.what() << "\n";
    return 2;
  }
  if (args[0] == "--check") {
    if (updated == doc) return 0;
    std::cerr << file << ": the generated parameter tables are stale; run: sparsesim config-doc --update " << file << "\n";
    return 1;
  }
  if (updated != doc) writeFileAtomic(file, updated);
  return 0;
}

}  // namespace sparsesim
