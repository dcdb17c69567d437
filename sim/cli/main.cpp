// sparsesim command line. Exit codes: 0 success, 1 internal error, 2 bad input (nothing
// written), 3 a layer's outputs did not match the reference (report written, marked), 4 an output
// could not be written (nothing partial left).
#include <systemc>

#include <boost/program_options.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/OutputError.h"
#include "sim/io/StagedDir.h"
#include "sim/io/InputFile.h"
#include "sim/report/Report.h"
#include "sim/run/ResolvedRun.h"
#include "sim/run/Runner.h"
#include "sim/workload/LayerGeometry.h"
#include "sim/workload/NetworkInputFile.h"
#include "sim/trace/TraceRequest.h"
#include "sim/cli/CliValues.h"
#include "sim/cli/Compare.h"
#include "sim/cli/ReportCommand.h"
#include "sim/cli/ConfigDocCommand.h"
#include "sim/cli/SweepCommand.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace sparsesim;

namespace {

// SystemC prints its banner when the first module is built unless this is set; set it before
// anything SystemC runs so reports on stdout stay clean.
const bool kQuietSystemC = [] { return ::setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0) == 0; }();

constexpr int kExitOk = 0, kExitInternal = 1, kExitBadInput = 2, kExitMismatch = 3, kExitCannotWrite = 4;

// Marks a --dump-tensors folder as written by sparsesim: only such a folder is ever replaced.
const char* kDumpMarker = ".sparsesim-dump";

const char* kUsage =
    "usage: sparsesim <command> [options]\n"
    "commands:\n"
    "  run       simulate a network on an architecture, verify, write report.json\n"
    "  compare   run several architectures or variants of one (each in its own process) and\n"
    "            print them side by side\n"
    "  sweep     run a design-space sweep (axes over config values) in parallel, resumable,\n"
    "            locally or as a Slurm job array; results.csv per point (docs/sweeps.md)\n"
    "  report    turn a run, compare or sweep folder into one self-contained DIR/report.html\n"
    "  config-doc  print (or --update / --check) the parameter tables of docs/config.md\n"
    "options: --help, --version; 'sparsesim <command> --help' for a command's options\n";

// A --dump-tensors target is replaced whole at the end of the run: refuse anything that exists
// and is not an earlier dump (marked by kDumpMarker), so no user file is ever deleted.
void checkDumpTarget(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) return;
  if (!fs::is_directory(fs::symlink_status(dir, ec)))
    throw ConfigError("", "--dump-tensors", "\"" + dir + "\" exists and is not a directory; sparsesim replaces only its own dumps");
  if (fs::is_empty(dir, ec) || fs::is_regular_file(fs::path(dir) / kDumpMarker, ec)) return;
  throw ConfigError("", "--dump-tensors", "\"" + dir + "\" exists and is not a tensor dump of sparsesim (no " + std::string(kDumpMarker) +
                                             " marker); choose a new or empty directory");
}

// The result set replaces report.json, resolved-config.json and layers.csv in --out. They may be
// replaced only when the folder holds an earlier result set of sparsesim (its report.json or
// resolved-config.json names the sparsesim_version), so a user's file of one of those names survives.
void checkResultSetTarget(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;  // checkWritableDir reports a file or a missing parent
  bool clash = false, ours = false;
  for (const char* name : {"report.json", "resolved-config.json", "layers.csv"}) {
    const fs::path p = fs::path(dir) / name;
    if (!fs::exists(fs::symlink_status(p, ec))) continue;
    clash = true;
    if (std::string(name) != "layers.csv" &&
        tryReadInputFile(p.string(), kMaxJsonFileBytes).value_or("").find("\"sparsesim_version\"") != std::string::npos)
      ours = true;
  }
  if (clash && !ours)
    throw ConfigError("", "--out", "\"" + dir + "\" holds a report.json, resolved-config.json or layers.csv that sparsesim did not write; "
                                   "choose a new or empty directory");
}

// Outputs replaced whole (the dump, the trace) must not hold, or be inside, another output.
void checkOutputsApart(const std::vector<std::pair<std::string, std::string>>& outputs) {
  auto norm = [](const std::string& p) {
    std::error_code ec;
    fs::path n = fs::weakly_canonical(fs::absolute(p), ec);
    return (ec ? fs::absolute(p).lexically_normal() : n).string();
  };
  auto within = [](const std::string& a, const std::string& b) {  // a is b or inside b
    return a == b || (a.size() > b.size() && a.compare(0, b.size(), b) == 0 && (b.back() == '/' || a[b.size()] == '/'));
  };
  for (size_t i = 0; i < outputs.size(); ++i)
    for (size_t j = 0; j < outputs.size(); ++j) {
      if (i == j || outputs[i].second.empty() || outputs[j].second.empty()) continue;
      const std::string a = norm(outputs[i].second), b = norm(outputs[j].second);
      if (within(a, b))
        throw ConfigError("", outputs[i].first, "\"" + outputs[i].second + "\" is " + (a == b ? "the same folder as " : "inside ") +
                                                    outputs[j].first + " \"" + outputs[j].second + "\"; give each output its own folder");
    }
}

// Output folders are checked before the simulation, so an unusable path costs no run time.
void checkWritableDir(const std::string& dir, const std::string& option, bool& created) {
  std::error_code ec;
  created = !fs::exists(dir, ec);
  if (!fs::create_directories(dir, ec) && ec)
    throw ConfigError("", option, "cannot create directory \"" + dir + "\": " + ec.message());
  if (!fs::is_directory(dir, ec)) throw ConfigError("", option, "\"" + dir + "\" is not a directory");
  if (::access(dir.c_str(), W_OK) != 0) {
    if (created) fs::remove(dir, ec);
    throw ConfigError("", option, "directory \"" + dir + "\" is not writable");
  }
}

// A trace directory is replaced whole when the run finishes: refuse anything that is not an
// earlier trace, so a typo cannot delete a user's folder.
void checkTraceDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec)) throw ConfigError("", "--trace", "\"" + dir + "\" exists and is not a directory");
  if (fs::is_empty(dir, ec)) return;
  const fs::path header = fs::path(dir) / "header.json";
  const std::string text = tryReadInputFile(header.string(), kMaxJsonFileBytes).value_or("");
  if (text.find("\"sparsesim-trace\"") == std::string::npos)
    throw ConfigError("", "--trace", "\"" + dir + "\" exists and is not a sparsesim trace (no header.json); choose a new or empty directory");
}

int cmdRun(const std::vector<std::string>& args) {
  po::options_description desc("sparsesim run: simulate, verify every layer, write report.json and resolved-config.json");
  std::string archFile, netFile, layers, outDir, dumpDir, traceDir, traceBlocks, traceFormat = "jsonl", seedText, inputFile, inferences;
  std::vector<std::string> overrides;
  desc.add_options()
      ("help,h", "show this help")
      ("arch", po::value(&archFile)->required(), "architecture JSON file")
      ("network", po::value(&netFile)->required(), "network JSON file")
      ("set", po::value(&overrides)->composing(), "override a value: json.path=value (repeatable); architecture paths such as array.rows=16, "
       "network paths layers[*].key, layers[INDEX].key or layers[NAME].key, e.g. layers[conv2].activation_density=0.1")
      ("layers", po::value(&layers), "comma-separated layer names to run (default: all)")
      ("inferences", po::value(&inferences), "execution layer_pipelined: inputs streamed through the pipeline (the same as --set pipeline.inferences=N)")
      ("out", po::value(&outDir), "output directory (default: out/<arch name>/<network name>)")
      ("seed", po::value(&seedText), ("workload seed, 0 .. 2^64 - 1 (default " + std::to_string(kDefaultSeed) + ")").c_str())
      ("dump-tensors", po::value(&dumpDir), "write each layer's input, weights and output as .npy under this directory")
      ("input", po::value(&inputFile), "int8 .npy (N, C, H, W) fed to the first layer (default: synthetic from the seed; docs/networks.md)")
      ("trace", po::value(&traceDir), "write a golden trace of the traced blocks into this directory (docs/traces.md)")
      ("trace-blocks", po::value(&traceBlocks), "comma-separated blocks to trace (default: every block the datapath can trace)")
      ("trace-format", po::value(&traceFormat), "trace encoding: jsonl (default) or bin (compact, for long runs)")
      ("trace-vcd", "also write the trace as DIR/trace.vcd for GTKWave")
      ("strict", "a section for another datapath in the architecture file is an error (exit 2), not a warning")
      ("allow-overclock", "simulate a clock above the part's timing limit (timing.fmax_mhz of configs/fpga/<part>.json)")
      ("quiet,q", "print nothing on success: no progress lines, no table");
  po::variables_map vm;
  try {
    parseStrict(args, desc, vm);
    if (vm.count("help")) { std::cout << desc << "\n"; return kExitOk; }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "error: command line: " << e.what() << "\n\n" << desc << "\n";
    return kExitBadInput;
  }

  RunResult result;
  std::string dumpStaging;
  bool createdOut = false;
  uint64_t seed = kDefaultSeed;
  // On failure, leave nothing behind: not the staging folder, not an output folder we made.
  auto cleanUp = [&] {
    std::error_code ec;
    if (!dumpStaging.empty()) fs::remove_all(dumpStaging, ec);
    if (createdOut && fs::is_empty(outDir, ec)) fs::remove(outDir, ec);
  };
  try {
    for (const char* o : {"arch", "network", "out", "dump-tensors", "trace", "trace-format", "input"})
      requireNotEmpty(vm, o, vm.count(o) ? vm[o].as<std::string>() : std::string());
    if (vm.count("seed")) seed = parseSeed(seedText, "--seed");
    const std::vector<std::string> layerNames = vm.count("layers") ? parseNameList(layers, "--layers") : std::vector<std::string>();
    std::vector<std::string> archSets, netSets;
    splitOverrides(overrides, archSets, netSets);
    if (vm.count("inferences")) archSets.push_back("pipeline.inferences=" + inferences);  // checked as the parameter
    ArchConfig arch = loadArch(archFile, archSets);
    applyDatapathDefaults(arch, vm.count("strict") > 0, &std::cerr);
    NetworkConfig net = selectLayers(loadNetwork(netFile, netSets), layerNames);
    if (outDir.empty()) outDir = (fs::path("out") / arch.name / net.name).string();
    RunOptions opt;
    if (traceDir.empty() && (vm.count("trace-blocks") || vm.count("trace-format") || vm.count("trace-vcd")))
      throw ConfigError("", "--trace", "--trace-blocks, --trace-format and --trace-vcd need --trace DIR");
    if (!traceDir.empty()) {
      opt.trace.dir = traceDir;
      if (vm.count("trace-blocks")) opt.trace.blocks = parseNameList(traceBlocks, "--trace-blocks");
      if (traceFormat != "jsonl" && traceFormat != "bin")
        throw ConfigError("", "--trace-format", "\"" + traceFormat + "\" is not a trace encoding (jsonl, bin)");
      opt.trace.format = traceFormat == "bin" ? TraceFormat::Binary : TraceFormat::Jsonl;
      opt.trace.vcd = vm.count("trace-vcd") > 0;
      checkTraceDir(traceDir);
    }
    opt.seed = seed;
    opt.input_file = inputFile;
    opt.allow_overclock = vm.count("allow-overclock") > 0;
    opt.progress = !vm.count("quiet");
    checkOutputsApart({{"--dump-tensors", dumpDir}, {"--trace", traceDir}, {"--out", outDir}});
    checkResultSetTarget(outDir);
    if (!dumpDir.empty()) {
      checkDumpTarget(dumpDir);
      // Tensors go to a staging folder renamed into place at the end: an interrupted or failed
      // run leaves no partial dump under the requested name.
      dumpStaging = dumpDir + ".partial." + std::to_string(::getpid());
      std::error_code ec;
      fs::remove_all(dumpStaging, ec);
      opt.dump_tensors_dir = dumpStaging;
    }
    // Every table, weights file and the trace request, loaded and checked once, before anything is written.
    const ResolvedRun run = resolveRun(RunRequest{arch, net, opt});
    if (run.arch.compat == Compat::ScaleSim && opt.progress)
      for (const auto& l : run.network.layers)
        if (std::string n = compatDroppedNote(l); !n.empty()) std::cerr << "note: " << n << "\n";
    checkWritableDir(outDir, "--out", createdOut);
    if (!dumpStaging.empty()) {
      bool ignored = false;
      checkWritableDir(dumpStaging, "--dump-tensors", ignored);
      writeFileAtomic((fs::path(dumpStaging) / kDumpMarker).string(), "tensor dump written by sparsesim; a later --dump-tensors may replace this folder\n");
    }
    result = runSimulation(run);

    // The result set: report and resolved config written complete before either is renamed into
    // place; the dump replaces an earlier one only once both are written.
    StagedDir results(outDir);
    writeReports(result, results);
    if (!dumpStaging.empty()) {
      std::error_code ec;
      fs::remove_all(dumpDir, ec);
      if (ec) throw OutputError(dumpDir, ec.message());
      fs::rename(dumpStaging, dumpDir, ec);
      if (ec) throw OutputError(dumpDir, ec.message());
      dumpStaging.clear();
    }
    results.commit();
  } catch (const ConfigError& e) {
    cleanUp();
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const OutputError& e) {
    // Name the dump path the user gave, not its staging folder.
    const std::string staging = dumpStaging;
    cleanUp();
    if (!staging.empty() && e.path().rfind(staging, 0) == 0) throw OutputError(dumpDir + e.path().substr(staging.size()), e.why());
    throw;
  } catch (...) {
    cleanUp();
    throw;
  }

  // -q: nothing on stdout on success (errors and a verification failure still reach stderr).
  if (vm.count("quiet")) {
    if (!result.verified) std::cerr << "sparsesim run: a layer's outputs did not match the reference; see " << (fs::path(outDir) / "report.json").string() << "\n";
    return result.verified ? kExitOk : kExitMismatch;
  }
  printTable(result, std::cout);
  std::cout << "report: " << (fs::path(outDir) / "report.json").string() << "\n"
            << "resolved config: " << (fs::path(outDir) / "resolved-config.json").string() << "\n";
  if (!dumpDir.empty()) std::cout << "tensors: " << dumpDir << "\n";
  if (!traceDir.empty()) std::cout << "trace: " << traceDir << "\n";
  return result.verified ? kExitOk : kExitMismatch;
}

int dispatch(std::vector<std::string> args);

}  // namespace

int sc_main(int argc, char* argv[]) { return dispatch(std::vector<std::string>(argv + 1, argv + argc)); }

namespace {

// The command in args[0] with its options; a sweep's points run through it in forked copies of
// the sweep process (SweepExecutor, reuse between points).
int dispatch(std::vector<std::string> args) {
  if (args.empty()) { std::cerr << kUsage; return kExitBadInput; }
  const std::string cmd = args[0];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") { std::cout << kUsage; return kExitOk; }
  if (cmd == "--version") { std::cout << "sparsesim " << sparsesimVersion() << "\n"; return kExitOk; }
  args.erase(args.begin());
  try {
    if (cmd == "run") return cmdRun(args);
    if (cmd == "compare") return cmdCompare(args);
    if (cmd == "sweep") return cmdSweep(args, dispatch);
    if (cmd == "report") return cmdReport(args);
    if (cmd == "config-doc") return cmdConfigDoc(args);
  } catch (const ConfigError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const OutputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitCannotWrite;
  } catch (const std::exception& e) {
    std::cerr << "sparsesim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  std::cerr << "sparsesim: unknown command \"" << cmd << "\"\n" << kUsage;
  return kExitBadInput;
}

}  // namespace
