#include "sim/cli/SweepCommand.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <unistd.h>

#include "sim/cli/CliValues.h"
#include "sim/cli/CommandLine.h"
#include "sim/cli/SelfExe.h"
#include "sim/core/ConfigError.h"
#include "sim/core/HostThreads.h"
#include "sim/core/Enums.h"
#include "sim/config/JsonReader.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/Escape.h"
#include "sim/io/FolderLock.h"
#include "sim/sweep/ResultsTable.h"
#include "sim/sweep/SlurmBackend.h"
#include "sim/sweep/SweepConfig.h"
#include "sim/sweep/SweepExecutor.h"
#include "sim/sweep/SweepPlan.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sparsesim {

namespace {

// Slurm task arrays are commonly capped near 1000 (MaxArraySize 1001).
constexpr int kMaxArrayTasks = 1000;
// The shared workloads a sweep process holds (--reuse-mb): a whole ResNet-50 at batch 1 is about
// 77 MiB (inputs, weights and int32 reference outputs), so this holds about 26 such networks.
constexpr int kDefaultReuseMb = 2048;

void parseShard(const std::string& s, int& i, int& n) {
  auto slash = s.find('/');
  auto digits = [](const std::string& x) { return !x.empty() && x.size() <= 6 && x.find_first_not_of("0123456789") == std::string::npos; };
  if (slash == std::string::npos || !digits(s.substr(0, slash)) || !digits(s.substr(slash + 1)))
    throw ConfigError("", "--shard", "expected i/N (shard i of N, 0 <= i < N), got \"" + s + "\"");
  i = std::stoi(s.substr(0, slash));
  n = std::stoi(s.substr(slash + 1));
  if (n < 1 || i >= n) throw ConfigError("", "--shard", "expected i/N with 0 <= i < N, got \"" + s + "\"");
}

nlohmann::json readRecord(const std::string& dir) {
  std::string f = (fs::path(dir) / "sweep.json").string();
  std::error_code ec;
  if (!fs::is_regular_file(f, ec)) throw ConfigError(f, "", "no sweep record here: is \"" + dir + "\" the --out folder of a sweep?");
  nlohmann::json r = readJsonFile(f);
  if (!r.is_object() || !r.contains("points") || !r.contains("axes") || !r.contains("iso_columns"))
    throw ConfigError(f, "", "not a sweep record written by sparsesim sweep");
  return r;
}

// An existing --out is a sweep's folder (sweep.json a sweep record) or holds none of the names a
// sweep writes, so a user's results.csv (or the sweep file itself) is never overwritten.
void checkSweepTarget(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return;  // created, or refused as not a directory, below
  if (fs::exists(fs::symlink_status(fs::path(dir) / "sweep.json", ec))) {
    readRecord(dir);
    return;
  }
  for (const char* name : {"results.csv", "results.json", "points"})
    if (fs::exists(fs::symlink_status(fs::path(dir) / name, ec)))
      throw ConfigError("", "--out", "\"" + dir + "\" holds " + name + " but no sweep record (sweep.json): it is not the folder of a sweep; "
                                     "choose a new or empty directory");
}

// Exit status from a complete table: failures and missing points before mismatches.
int tableExit(const ResultsTable::Counts& n) { return (n.failed || n.pending) ? 1 : n.mismatch ? 3 : 0; }

int merge(const std::string& dir) {
  nlohmann::json record = readRecord(dir);
  // The sweep folder's lock, exclusively: a merge while a sweep (or another merge) writes the
  // folder would read half-finished points and race it for results.csv.
  FolderLock lock;
  std::string holders;
  if (!lock.tryLock(dir, ".sparsesim-lock", FolderLock::Mode::Exclusive, holders))
    throw ConfigError("", "--merge", "\"" + dir + "\" is in use by another sparsesim sweep (pid " + holders +
                                         "); merge when it has finished");
  ResultsTable table(record, dir);
  table.scan();
  table.write();
  auto n = table.counts();
  std::cout << "merged " << (n.ok + n.mismatch + n.failed + n.filtered) << " of " << (n.ok + n.mismatch + n.failed + n.filtered + n.pending)
            << " points: ok " << n.ok << ", mismatch " << n.mismatch << ", failed " << n.failed << ", filtered " << n.filtered
            << ", not run yet " << n.pending << "\nresults: " << (fs::path(dir) / "results.csv").string() << "\n";
  if (n.pending) {
    auto ids = table.pending();
    std::cerr << "sparsesim sweep: " << n.pending << " point(s) have not finished (first: " << ids.front()
              << "); run the missing shards again, then merge\n";
  }
  return tableExit(n);
}

}  // namespace

int cmdSweep(const std::vector<std::string>& args, const std::function<int(const std::vector<std::string>&)>& runCommand) {
  po::options_description desc(
      "sparsesim sweep: run every point of a design-space sweep (docs/sweeps.md)\n"
      "usage: sparsesim sweep SWEEP.json --out DIR [options]\n"
      "       sparsesim sweep --merge DIR\noptions");
  std::string sweepFile, outDir, shard, backend = "local", mergeDir;
  std::vector<std::string> sbatchArgs;
  int jobs = 0, shards = 0, reuseMb = kDefaultReuseMb;
  std::string seedText;
  desc.add_options()
      ("help,h", "show this help")
      ("sweep", po::value(&sweepFile), "sweep file (JSON); also the first positional argument")
      ("out", po::value(&outDir), "output folder: points/<id>/ per point, results.csv, results.json, sweep.json")
      ("jobs,j", po::value(&jobs), "points run at once (default: the cores this process may use)")
      ("shard", po::value(&shard), "i/N: run only shard i of N (round robin over the points); no results table, use --merge")
      ("backend", po::value(&backend)->default_value(backend), "local (run here) or slurm (write DIR/sweep.sbatch and submit it)")
      ("shards", po::value(&shards), "slurm: array tasks (default: one per point to run, at most 1000)")
      ("sbatch", po::value(&sbatchArgs)->composing(), "slurm: extra sbatch option for the script, e.g. --sbatch=--partition=short (repeatable)")
      ("no-submit", "slurm: write DIR/sweep.sbatch without submitting it")
      ("merge", po::value(&mergeDir), "rebuild DIR/results.csv and results.json from DIR's finished points")
      ("seed", po::value(&seedText), "workload seed of every point (default: the sweep file's \"seed\", else 1)")
      ("dry-run", "validate and list the points; write nothing")
      ("no-reuse", "run every point from scratch in its own `sparsesim run` process (default: points of one network, seed and sparsity share its generated workloads and reference outputs)")
      ("reuse-mb", po::value(&reuseMb), "MiB of shared workloads the sweep process holds at once (default 2048; 0: no reuse)")
      ("allow-overclock", "points may run clocks above their part's timing limit (timing.fmax_mhz)")
      ("quiet,q", "print nothing on success: no progress, no summary");
  po::positional_options_description pos;
  pos.add("sweep", 1);
  po::variables_map vm;
  if (auto done = parseCommandLine("sweep", args, desc, pos, vm)) return *done;

  for (const auto& [option, value] : {std::pair<std::string, std::string>{"sweep", sweepFile}, {"out", outDir}, {"merge", mergeDir}, {"shard", shard}})
    requireNotEmpty(vm, option, value);
  if (!mergeDir.empty()) {
    if (!sweepFile.empty() || !outDir.empty() || !shard.empty())
      throw ConfigError("", "--merge", "takes only the sweep's output folder (no sweep file, --out or --shard)");
    return merge(mergeDir);
  }
  if (sweepFile.empty()) throw ConfigError("", "sweep", "no sweep file given (usage: sparsesim sweep SWEEP.json --out DIR)");
  if (outDir.empty() && !vm.count("dry-run")) throw ConfigError("", "--out", "required: the folder for the sweep's points and results");
  if (backend != "local" && backend != "slurm") throw ConfigError("", "--backend", "\"" + backend + "\" is not one of \"local\", \"slurm\"");
  if (vm.count("jobs") && (jobs < 1 || jobs > 4096)) throw ConfigError("", "--jobs", "must be between 1 and 4096, got " + std::to_string(jobs));
  if (vm.count("reuse-mb") && (reuseMb < 0 || reuseMb > (1 << 20)))
    throw ConfigError("", "--reuse-mb", "must be between 0 and 1048576, got " + std::to_string(reuseMb));
  if (vm.count("shards") && (shards < 1 || shards > kMaxArrayTasks))
    throw ConfigError("", "--shards", "must be between 1 and " + std::to_string(kMaxArrayTasks) + ", got " + std::to_string(shards));
  int shardI = 0, shardN = 1;
  if (!shard.empty()) {
    parseShard(shard, shardI, shardN);
    if (backend == "slurm") throw ConfigError("", "--shard", "is what each Slurm task runs; with --backend slurm use --shards N");
  }

  SweepConfig cfg = loadSweepConfig(sweepFile);
  if (vm.count("seed")) cfg.seed = parseSeed(seedText, "--seed");
  cfg.allow_overclock = vm.count("allow-overclock") > 0;
  SweepPlan plan = SweepPlan::build(cfg);  // every point resolved and validated: bad input stops here
  const auto& points = plan.points();
  size_t filtered = 0;
  for (const auto& p : points) filtered += p.filtered;
  if (filtered == points.size())
    throw ConfigError(sweepFile, "filters", "every one of the sweep's " + std::to_string(points.size()) + " points is filtered (first: " +
                                                points.front().filter_reason + "); nothing would run");

  if (filtered && !vm.count("quiet") && !vm.count("dry-run")) {
    for (const auto& p : points)
      if (p.filtered) {
        std::cerr << "sparsesim sweep: " << filtered << " of " << points.size() << " points filtered (status \"filtered\", reason in the note column); first: "
                  << p.id << ": " << p.filter_reason << "\n";
        break;
      }
  }
  if (vm.count("dry-run")) {
    for (const auto& p : points) {
      std::cout << p.id << (p.filtered ? "  filtered (" + p.filter_reason + ")" : "  run     ") << " ";
      for (size_t a = 0; a < cfg.axes.size(); ++a) std::cout << " " << cfg.axes[a].path << "=" << cfg.axes[a].labels[p.combo[a]];
      std::cout << "\n";
      // The design the iso budget sized this point to: what would run.
      if (cfg.iso && !p.filtered) {
        std::cout << "    sized: " << toString(p.arch.datapath) << " " << p.arch.array.rows << "x" << p.arch.array.cols << ", "
                  << p.iso_copies << (p.iso_copies == 1 ? " copy" : " copies");
        for (const auto& col : plan.isoColumns()) {
          auto it = p.iso_columns.find(col);
          if (it != p.iso_columns.end() && col != "iso.rows" && col != "iso.cols" && col != "iso.copies")
            std::cout << ", " << col.substr(4) << " " << it->second;
          auto label = p.iso_labels.find(col);
          if (label != p.iso_labels.end()) std::cout << ", " << col.substr(4) << " " << label->second;
        }
        std::cout << "; one copy on " << p.arch.fpga_part << ": " << p.resources.lut << " LUT, " << p.resources.ff << " FF, "
                  << p.resources.dsp << " DSP, " << p.resources.bram36 << " BRAM36, " << p.resources.uram << " URAM\n";
      }
    }
    std::cout << points.size() << " points, " << filtered << " filtered\n";
    return 0;
  }

  // The script's values are checked before anything is written.
  SlurmOptions so;
  if (backend == "slurm") {
    size_t runnable = points.size() - filtered;
    so.exe = selfExe();
    so.sweep_file = fs::absolute(sweepFile).lexically_normal().string();
    so.out_dir = fs::absolute(outDir).lexically_normal().string();
    so.name = cfg.name;
    so.tasks = shards ? shards : static_cast<int>(std::max<size_t>(1, std::min<size_t>(runnable, kMaxArrayTasks)));
    so.cpus_per_task = jobs ? jobs : 1;
    so.seed = cfg.seed;
    so.sbatch_args = sbatchArgs;
    SlurmBackend::check(so);
  }
  std::error_code ec;
  checkSweepTarget(outDir);
  plan.checkFinishedPoints(outDir);
  fs::create_directories(outDir, ec);
  if (ec || !fs::is_directory(outDir) || ::access(outDir.c_str(), W_OK) != 0)
    throw ConfigError("", "--out", "cannot create or write directory \"" + outDir + "\"" + (ec ? ": " + ec.message() : ""));
  // One sweep process per folder (shards of one sweep share it, one process per shard): a second
  // sweep would run every point again.
  FolderLock folderLock, shardLock;
  std::string holders;
  const bool sharded = !shard.empty();
  if (!folderLock.tryLock(outDir, ".sparsesim-lock", sharded ? FolderLock::Mode::Shared : FolderLock::Mode::Exclusive, holders))
    throw ConfigError("", "--out", "\"" + outDir + "\" is in use by another sparsesim sweep (pid " + holders +
                                       "); wait for it to finish or choose another --out");
  if (sharded && !shardLock.tryLock(outDir, ".sparsesim-lock.shard-" + std::to_string(shardI) + "-of-" + std::to_string(shardN),
                                    FolderLock::Mode::Exclusive, holders))
    throw ConfigError("", "--shard", "shard " + shard + " of \"" + outDir + "\" is already running (pid " + holders + ")");
  if (!sharded) removeStaleTemporaries(outDir);  // of a sweep killed while writing results.csv
  nlohmann::ordered_json record = plan.record();
  // Rewritten on every run: a sweep extended with new values keeps its finished points.
  writeFileAtomic((fs::path(outDir) / "sweep.json").string(), record.dump(1) + "\n");

  if (backend == "slurm") {
    size_t runnable = points.size() - filtered;
    std::string script = SlurmBackend::writeScript(so);
    std::cout << "wrote " << script << ": " << so.tasks << " array tasks for " << runnable << " points\n";
    if (vm.count("no-submit")) return 0;
    std::string job = SlurmBackend::submit(script);
    std::cout << "submitted Slurm job " << job << "\nwhen it is done: " << shellQuote(so.exe) << " sweep --merge " << shellQuote(outDir) << "\n";
    return 0;
  }

  std::vector<size_t> indices = shardIndices(points.size(), shardI, shardN);
  ResultsTable table(nlohmann::json::parse(record.dump()), outDir);
  if (!sharded) {
    table.scan();
    table.write();
  }
  ExecutorOptions opt;
  opt.out_dir = outDir;
  opt.exe = selfExe();
  opt.jobs = jobs ? jobs : usableCores();
  opt.indices = indices;
  opt.progress = !vm.count("quiet");
  opt.table = sharded ? nullptr : &table;
  opt.reuse = !vm.count("no-reuse") && reuseMb > 0;
  opt.reuse_budget_bytes = uint64_t(reuseMb) << 20;
  opt.run_in_process = runCommand;
  ExecutorSummary s = SweepExecutor(plan, opt).run();

  size_t done = s.already_done + s.ok + s.mismatch;
  std::string what = sharded ? "shard " + shard : "sweep " + cfg.name;
  if (s.interrupted) {
    std::cerr << "sparsesim sweep: interrupted (signal " << s.signal << "): " << done << " of " << s.selected
              << " points finished, " << (s.selected - done) << " not; re-run the same command to resume\n";
    return 128 + s.signal;
  }
  if (s.failed) std::cerr << "sparsesim sweep: " << s.failed << " point(s) failed; logs under " << (fs::path(outDir) / "failed").string() << "/<id>/run.log; re-running retries them\n";
  if (vm.count("quiet")) return s.failed ? 1 : s.mismatch ? 3 : 0;  // -q: nothing on stdout; failures still on stderr
  std::cout << what << ": " << s.selected << " points to run (" << filtered << " of the sweep's " << points.size()
            << " filtered), " << s.already_done << " finished before; this run: ok " << s.ok << ", mismatch " << s.mismatch
            << ", failed " << s.failed << "\n";
  if (sharded) std::cout << "when every shard is done: sparsesim sweep --merge " << outDir << "\n";
  else std::cout << "results: " << (fs::path(outDir) / "results.csv").string() << "\n";
  return s.failed ? 1 : s.mismatch ? 3 : 0;
}

}  // namespace sparsesim
