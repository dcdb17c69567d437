#pragma once
// Runs a sweep's points on this machine: each point in its own `sparsesim run` process (SystemC
// elaborates once per process; with reuse, a fork of the sweep process that runs the `run`
// command without exec), up to `jobs` at a time. A point runs in a staging folder that is
// renamed to DIR/points/<id> only when complete, so a finished point is all there or absent;
// points already finished are skipped (resume). SIGINT/SIGTERM stop launching, end the running
// children, remove their staging folders and return with `interrupted` set.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/sweep/ResultsTable.h"
#include "sim/sweep/SweepPlan.h"

namespace sparsesim {

struct ExecutorOptions {
  std::string out_dir;
  std::string exe;            // the sparsesim binary the points run with
  int jobs = 1;
  std::vector<size_t> indices;  // the points this process is responsible for (a shard)
  bool progress = true;       // progress on stderr: a bar on a terminal, else one line per point
  ResultsTable* table = nullptr;  // updated and rewritten after each point (null: shards leave it to --merge)
  // Reuse between points (docs/sweeps.md): the sweep process computes each point's shared layers
  // (sim/run/SharedLayerCache.h, at most reuse_budget_bytes held) before it forks the point, runs
  // the point in the forked copy of itself through run_in_process (the `run` command's entry,
  // given "run" and its arguments), and runs points that share a network, seed and sparsity one
  // after another. Off (or without run_in_process): every point is an exec'd `exe run`.
  bool reuse = false;
  uint64_t reuse_budget_bytes = 0;
  std::function<int(const std::vector<std::string>&)> run_in_process;
};

struct ExecutorSummary {
  size_t selected = 0;     // points of the shard that are not filtered
  size_t already_done = 0; // finished before this run
  size_t ok = 0, mismatch = 0, failed = 0;  // finished in this run
  bool interrupted = false;
  int signal = 0;
};

class SweepExecutor {
 public:
  SweepExecutor(const SweepPlan& plan, ExecutorOptions opt) : plan_(plan), opt_(std::move(opt)) {}
  ExecutorSummary run();

  // Writes a point's inputs into `dir`: config/arch.json and config/network.json (resolved, every
  // default filled in) and copies of the FPGA part and energy tables it resolves to, under
  // fpga/ and energy/, which is where `run` looks first for a config/arch.json. The point thus
  // re-runs identically from its folder alone.
  static void materialise(const SweepPoint& p, const std::string& dir);

 private:
  const SweepPlan& plan_;
  ExecutorOptions opt_;
};

// Removes staging folders of this host whose sweep process is gone (a run killed with SIGKILL).
void removeStaleStaging(const std::string& outDir);
// Removes DIR/<file>.tmp.<pid> files (writeFileAtomic's) of processes that are gone. Only for the
// holder of the folder's exclusive lock: the pid is not qualified by a host.
void removeStaleTemporaries(const std::string& outDir);

}  // namespace sparsesim
