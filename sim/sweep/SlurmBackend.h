#pragma once
// Runs a sweep as a Slurm job array: DIR/sweep.sbatch holds one array task per shard, each task
// running `sparsesim sweep SWEEP --out DIR --shard $SLURM_ARRAY_TASK_ID/N` on the shared DIR;
// `sparsesim sweep --merge DIR` builds the results table once the array is done.
#include <string>
#include <vector>

namespace sparsesim {

struct SlurmOptions {
  std::string exe;         // absolute path of the sparsesim binary the tasks run
  std::string sweep_file;  // absolute
  std::string out_dir;     // absolute; must be on a file system every node sees
  std::string name;        // the sweep's name (a validated name); the job is sparsesim-<name>
  int tasks = 1;           // array size = number of shards
  int cpus_per_task = 1;   // -j of each task
  unsigned long long seed = 1;
  std::vector<std::string> sbatch_args;  // extra #SBATCH options, e.g. "--partition=short"
};

class SlurmBackend {
 public:
  // Exit-2 errors (ConfigError) for values that cannot go into a script: control characters in
  // a path or an --sbatch option, a name outside the name rule (sim/config/Names.h).
  static void check(const SlurmOptions& o);
  static std::string script(const SlurmOptions& o);
  // Writes DIR/sweep.sbatch (and the DIR/slurm log folder Slurm will not create) and returns its path.
  static std::string writeScript(const SlurmOptions& o);
  // `sbatch --parsable SCRIPT`; returns the job id. Throws std::runtime_error with sbatch's message.
  static std::string submit(const std::string& scriptPath);
};

}  // namespace sparsesim
