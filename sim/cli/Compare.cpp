#include "sim/cli/Compare.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli/CliValues.h"
#include "sim/cli/SelfExe.h"
#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/run/Runner.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sparsesim {

namespace {

struct Variant {
  std::string arch;
  std::vector<std::string> sets;
  std::string label;
  std::string dir;
};

int runChild(const std::vector<std::string>& argv) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    // The child's table goes nowhere: compare prints its own from the reports.
    if (std::freopen("/dev/null", "w", stdout) == nullptr) _exit(1);
    ::execv(cargv[0], cargv.data());
    _exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string slug(const std::string& s) {
  std::string o;
  for (char c : s) o += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.') ? c : '_';
  return o;
}

}  // namespace

int cmdCompare(const std::vector<std::string>& args) {
  po::options_description desc("sparsesim compare: the same network on several architectures or variants, side by side");
  std::vector<std::string> archs, varies, sets;
  std::string netFile, layers, outDir = "out/compare", seedText = std::to_string(kDefaultSeed);
  desc.add_options()
      ("help,h", "show this help")
      ("network", po::value(&netFile)->required(), "network JSON file")
      ("arch", po::value(&archs)->required()->composing(), "architecture JSON file (repeatable)")
      ("vary", po::value(&varies)->composing(), "json.path=v1,v2,... : one variant per value (repeatable; variants multiply)")
      ("set", po::value(&sets)->composing(), "json.path=value applied to every variant")
      ("layers", po::value(&layers), "comma-separated layer names (default: all)")
      ("seed", po::value(&seedText)->default_value(seedText), "workload seed, 0 .. 2^64 - 1")
      ("out", po::value(&outDir)->default_value(outDir), "directory for the variants' reports");
  po::variables_map vm;
  try {
    parseStrict(args, desc, vm);
    if (vm.count("help")) { std::cout << desc << "\n"; return 0; }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "error: command line: " << e.what() << "\n\n" << desc << "\n";
    return 2;
  }

  requireNotEmpty(vm, "out", outDir);
  requireNotEmpty(vm, "network", netFile);
  const uint64_t seed = parseSeed(seedText, "--seed");
  const std::vector<std::string> layerNames = vm.count("layers") ? parseNameList(layers, "--layers") : std::vector<std::string>();
  std::vector<Variant> variants;
  for (const auto& a : archs) {
    ArchConfig base = loadArch(a, sets);  // validates the file before anything runs
    variants.push_back({a, sets, base.name, ""});
  }
  for (const auto& v : varies) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) throw ConfigError("", "--vary " + v, "expected json.path=v1,v2,...");
    std::string path = v.substr(0, eq);
    const std::vector<std::string> values = parseNameList(v.substr(eq + 1), "--vary " + path);
    std::vector<Variant> next;
    for (const auto& base : variants)
      for (const auto& val : values) {
        Variant n = base;
        n.sets.push_back(path + "=" + val);
        n.label += " " + path + "=" + val;
        next.push_back(n);
      }
    variants = next;
  }
  // Every variant is validated against the network before the first one runs, so a bad variant
  // (or a layer a variant's SRAM cannot hold) leaves no report of another behind.
  const NetworkConfig net = selectLayers(loadNetwork(netFile), layerNames);
  for (auto& v : variants) {
    validateRun(loadArch(v.arch, v.sets), net);
    v.dir = (fs::path(outDir) / slug(v.label)).string();
  }

  const std::string exe = selfExe();
  std::vector<nlohmann::json> reports;
  int worst = 0;
  for (size_t i = 0; i < variants.size(); ++i) {
    const Variant& v = variants[i];
    std::cerr << "[" << (i + 1) << "/" << variants.size() << "] " << v.label << "\n";
    std::vector<std::string> argv = {exe, "run", "--arch", v.arch, "--network", netFile, "--out", v.dir, "--seed", std::to_string(seed), "-q"};
    for (const auto& s : v.sets) { argv.push_back("--set"); argv.push_back(s); }
    if (!layers.empty()) { argv.push_back("--layers"); argv.push_back(layers); }
    int rc = runChild(argv);
    if (rc != 0 && rc != 3) {
      std::cerr << "sparsesim compare: variant \"" << v.label << "\" failed (exit " << rc << ")\n";
      return (rc == 2 || rc == 4) ? rc : 1;
    }
    worst = std::max(worst, rc);
    std::ifstream in(fs::path(v.dir) / "report.json");
    reports.push_back(nlohmann::json::parse(in));
  }

  // Side-by-side table: one row per layer, one cycles column per variant.
  std::cout << "network " << netFile << "; cycles per layer (clock cycles; constants from each architecture file)\n\n";
  std::cout << std::left << std::setw(24) << "layer";
  for (size_t i = 0; i < variants.size(); ++i) std::cout << std::right << std::setw(16) << ("[" + std::to_string(i + 1) + "]");
  std::cout << "\n";
  const auto& first = reports.front()["layers"];
  for (size_t l = 0; l < first.size(); ++l) {
    std::string name = first[l]["name"].get<std::string>();
    std::cout << std::left << std::setw(24) << (name.size() > 23 ? name.substr(0, 22) + "~" : name);
    for (const auto& r : reports) {
      const auto& x = r["layers"][l];
      std::cout << std::right << std::setw(15) << x["cycles"].get<uint64_t>() << (x["verified"].get<bool>() ? " " : "!");
    }
    std::cout << "\n";
  }
  std::cout << std::left << std::setw(24) << "total cycles";
  for (const auto& r : reports) std::cout << std::right << std::setw(15) << r["total"]["cycles"].get<uint64_t>() << " ";
  std::cout << "\n" << std::left << std::setw(24) << "inferences/s";
  for (const auto& r : reports) {
    char b[32];
    std::snprintf(b, sizeof b, "%.4g", r["total"]["inferences_per_second"].get<double>());
    std::cout << std::right << std::setw(15) << b << " ";
  }
  std::cout << "\n" << std::left << std::setw(24) << "multipliers";
  for (const auto& r : reports) std::cout << std::right << std::setw(15) << r.value("multipliers", 0) << " ";
  std::cout << "\n" << std::left << std::setw(24) << "verified";
  for (const auto& r : reports) std::cout << std::right << std::setw(15) << (r["total"]["verified"].get<bool>() ? "yes" : "NO") << " ";
  std::cout << "\n\n";
  for (size_t i = 0; i < variants.size(); ++i)
    std::cout << "[" << (i + 1) << "] " << variants[i].label << " (" << variants[i].arch << ", clock "
              << reports[i]["clock_mhz"].get<double>() << " MHz): " << (fs::path(variants[i].dir) / "report.json").string() << "\n";
  return worst;
}

}  // namespace sparsesim
