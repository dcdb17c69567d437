#include "sim/resources/FpgaPart.h"

#include <filesystem>

#include "sim/core/ConfigError.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

namespace fs = std::filesystem;

std::string sourceTreeRoot() {
  static const std::string root = [] {
    // Installed (cmake --install): <prefix>/bin/sparsesim, the tables in <prefix>/share/sparsesim.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
      const fs::path share = exe.parent_path().parent_path() / "share" / "sparsesim";
      if (fs::is_directory(share / "configs", ec)) return share.string();
    }
    // In the build tree: the source tree CMake configured the build from.
#ifdef SPARSESIM_SOURCE_ROOT
    return std::string(SPARSESIM_SOURCE_ROOT);
#else
    // __FILE__ is <root>/sim/resources/FpgaPart.cpp when CMake compiles with absolute paths.
    return fs::path(__FILE__).parent_path().parent_path().parent_path().string();
#endif
  }();
  return root;
}

std::string sourceRelative(const std::string& path) {
  std::error_code ec;
  const fs::path root = fs::weakly_canonical(sourceTreeRoot(), ec);
  const fs::path p = fs::weakly_canonical(path, ec);
  if (ec) return path;
  const fs::path rel = p.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

std::string resolveConfigFile(const std::string& kind, const std::string& name, const std::string& archFile,
                              const std::string& key) {
  if (name.empty() || name.find('/') != std::string::npos || name.find("..") != std::string::npos)
    throw ConfigError(archFile, key, "\"" + name + "\" is not a plain name of a configs/" + kind + "/<name>.json file");
  std::vector<fs::path> tries;
  if (!archFile.empty()) tries.push_back(fs::path(archFile).parent_path() / ".." / kind / (name + ".json"));
  tries.push_back(fs::path(sourceTreeRoot()) / "configs" / kind / (name + ".json"));
  std::string looked;
  for (const auto& p : tries) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.lexically_normal().string();
    looked += (looked.empty() ? "" : ", ") + p.lexically_normal().string();
  }
  throw ConfigError(archFile, key, "no " + kind + " file \"" + name + "\" (looked for " + looked + ")");
}

FpgaPart loadFpgaPart(const std::string& file) {
  nlohmann::json j = readJsonFile(file);
  JsonReader r(j, file, "");
  FpgaPart p;
  p.source_file = file;
  p.name = r.string("name", std::nullopt);
  if (p.name.empty()) r.fail("name", "must not be empty");
  p.family = r.choice("family", std::nullopt, {"ultrascale+", "7series"});
  p.description = r.string("description", std::string());
  p.source = r.string("source", std::nullopt);
  if (p.source.empty()) r.fail("source", "must name where the capacities come from");
  JsonReader c = r.object("capacity");
  p.lut = c.integer("lut", std::nullopt, 1, 100000000);      // 6-input LUTs
  p.ff = c.integer("ff", std::nullopt, 1, 100000000);        // flip-flops
  p.dsp = c.integer("dsp", std::nullopt, 0, 1000000);        // DSP48E2 slices
  p.bram36 = c.integer("bram36", std::nullopt, 0, 1000000);  // 36 Kbit block RAMs
  p.uram = c.integer("uram", 0, 0, 1000000);                 // 288 Kbit UltraRAMs
  c.finish();
  if (auto t = r.optionalObject("timing")) {
    p.timing_source = t->string("source", std::nullopt);
    if (p.timing_source.empty()) t->fail("source", "must name where the timing limits come from");
    JsonReader f = t->object("fmax_mhz");
    for (const char* k : {"default", "dense", "cs", "sod", "sparse_pe"})
      if (f.has(k)) p.fmax_mhz[k] = f.real(k, std::nullopt, 1.0, 5000.0);
    if (!p.fmax_mhz.count("default")) f.fail("default", "required field is missing (the limit of datapaths not listed)");
    f.finish();
    t->finish();
  }
  r.finish();
  return p;
}

double fmaxFor(const FpgaPart& p, const std::string& datapath) {
  auto it = p.fmax_mhz.find(datapath);
  if (it == p.fmax_mhz.end()) it = p.fmax_mhz.find("default");
  return it == p.fmax_mhz.end() ? 0.0 : it->second;
}

}  // namespace sparsesim
