#pragma once
#include <functional>
#include <string>
#include <vector>

namespace sparsesim {

// sparsesim sweep SWEEP.json --out DIR [-j N] [--shard i/N] [--backend local|slurm] [--seed S] [--no-reuse] [--reuse-mb M] [-q]
// sparsesim sweep --merge DIR
// Design-space sweeps (docs/sweeps.md). Exit codes: 0 every point ok, 1 a point failed or (merge)
// is missing, 2 bad input (nothing written), 3 a point's outputs mismatched, 128+signal when
// interrupted (re-running the same command resumes).
// runCommand: the command line's entry ("run" and its arguments), through which the points run in
// forked copies of this process when they reuse what they share.
int cmdSweep(const std::vector<std::string>& args, const std::function<int(const std::vector<std::string>&)>& runCommand);

}  // namespace sparsesim
