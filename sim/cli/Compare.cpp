#include "sim/cli/Compare.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli/CliValues.h"
#include "sim/cli/SelfExe.h"
#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/report/CompareTable.h"
#include "sim/run/Runner.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sparsesim {

namespace {

// compare runs its variants one after another and prints them side by side: a table past this
// many columns is a design-space exploration, which `sparsesim sweep` runs in parallel and resumes.
constexpr size_t kMaxCompareVariants = 1000;

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
      ("vary", po::value(&varies)->composing(), "json.path=v1,v2,... : one variant per value (repeatable; variants multiply); architecture or network (layers[...].key) paths")
      ("set", po::value(&sets)->composing(), "json.path=value applied to every variant")
      ("layers", po::value(&layers), "comma-separated layer names (default: all)")
      ("seed", po::value(&seedText)->default_value(seedText), "workload seed, 0 .. 2^64 - 1")
      ("out", po::value(&outDir)->default_value(outDir), "directory for the variants' reports")
      ("strict", "a section for another datapath in an architecture file is an error (exit 2), not a warning")
      ("allow-overclock", "simulate clocks above the part's timing limit (timing.fmax_mhz of configs/fpga/<part>.json)")
      ("quiet,q", "print nothing on success (no progress, no table); errors still go to stderr");
  po::variables_map vm;
  try {
    parseStrict(args, desc, vm);
    if (vm.count("help")) { std::cout << desc << "\n"; return 0; }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "error: command line: " << e.what() << "\n\n" << desc << "\n";
    return 2;
  }

  const bool quiet = vm.count("quiet") > 0, strict = vm.count("strict") > 0, allowOverclock = vm.count("allow-overclock") > 0;
  requireNotEmpty(vm, "out", outDir);
  requireNotEmpty(vm, "network", netFile);
  const uint64_t seed = parseSeed(seedText, "--seed");
  const std::vector<std::string> layerNames = vm.count("layers") ? parseNameList(layers, "--layers") : std::vector<std::string>();
  std::vector<Variant> variants;
  auto split = [](const std::vector<std::string>& all) {
    std::pair<std::vector<std::string>, std::vector<std::string>> archNet;
    splitOverrides(all, archNet.first, archNet.second);
    return archNet;
  };
  for (const auto& a : archs) {
    ArchConfig base = loadArch(a, split(sets).first);  // validates the file before anything runs
    applyDatapathDefaults(base, strict);
    variants.push_back({a, sets, base.name, ""});
  }
  // The variant count is the product of the --vary lists (times the --arch files), counted with
  // overflow checks before any variant is built or validated.
  size_t count = variants.size();
  std::vector<std::pair<std::string, std::vector<std::string>>> varied;
  for (const auto& v : varies) {
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) throw ConfigError("", "--vary " + v, "expected json.path=v1,v2,...");
    std::string path = v.substr(0, eq);
    const std::vector<std::string> values = parseNameList(v.substr(eq + 1), "--vary " + path);
    for (size_t i = 0; i < values.size(); ++i)
      for (size_t k = 0; k < i; ++k)
        if (values[k] == values[i]) throw ConfigError("", "--vary " + path, "value \"" + values[i] + "\" is given twice");
    if (count > kMaxCompareVariants / values.size())
      throw ConfigError("", "--vary " + path, "compare would run more than " + std::to_string(kMaxCompareVariants) +
                                                  " variants; a design space that large is a sweep (sparsesim sweep, docs/sweeps.md)");
    count *= values.size();
    varied.emplace_back(path, values);
  }
  for (const auto& [path, values] : varied) {
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
  for (auto& v : variants) {
    const auto [archSets, netSets] = split(v.sets);
    ArchConfig arch = loadArch(v.arch, archSets);
    applyDatapathDefaults(arch, strict);  // each run warns about foreign sections itself
    validateRun(arch, selectLayers(loadNetwork(netFile, netSets), layerNames), allowOverclock);
    v.dir = (fs::path(outDir) / slug(v.label)).string();
  }
  // Two variants with one label (one architecture file given twice, two files with one name)
  // would write one folder: the second report would replace the first.
  for (size_t i = 0; i < variants.size(); ++i)
    for (size_t k = 0; k < i; ++k)
      if (variants[k].dir == variants[i].dir)
        throw ConfigError("", "--arch", "variants " + std::to_string(k + 1) + " (" + variants[k].arch + ") and " + std::to_string(i + 1) + " (" +
                                            variants[i].arch + ") are both named \"" + variants[i].label + "\" and would write one folder \"" +
                                            variants[i].dir + "\"; give each architecture its own name");

  const std::string exe = selfExe();
  std::vector<CompareColumn> columns;
  int worst = 0;
  for (size_t i = 0; i < variants.size(); ++i) {
    const Variant& v = variants[i];
    if (!quiet) std::cerr << "[" << (i + 1) << "/" << variants.size() << "] " << v.label << "\n";
    std::vector<std::string> argv = {exe, "run", "--arch", v.arch, "--network", netFile, "--out", v.dir, "--seed", std::to_string(seed), "-q"};
    for (const auto& s : v.sets) { argv.push_back("--set"); argv.push_back(s); }
    if (!layers.empty()) { argv.push_back("--layers"); argv.push_back(layers); }
    if (strict) argv.push_back("--strict");
    if (allowOverclock) argv.push_back("--allow-overclock");
    int rc = runChild(argv);
    if (rc != 0 && rc != 3) {
      std::cerr << "sparsesim compare: variant \"" << v.label << "\" failed (exit " << rc << ")\n";
      return (rc == 2 || rc == 4) ? rc : 1;
    }
    worst = std::max(worst, rc);
    const std::string reportFile = (fs::path(v.dir) / "report.json").string();
    std::ifstream in(reportFile);
    columns.push_back({v.label, v.arch, reportFile, nlohmann::json::parse(in)});
  }

  if (!quiet) printCompareTable(columns, netFile, std::cout);
  return worst;
}

}  // namespace sparsesim
