#include "sim/sweep/SlurmBackend.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/core/ConfigError.h"
#include "sim/config/Names.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/Escape.h"

namespace sparsesim {

namespace fs = std::filesystem;

namespace {
// Slurm expands %A, %a, %j ... in --output; a '%' of the folder name is written as "%%".
std::string slurmFilenamePattern(const std::string& s) {
  std::string out;
  for (char ch : s) out += ch == '%' ? std::string("%%") : std::string(1, ch);
  return out;
}

void refuseControlChars(const std::string& value, const std::string& option) {
  if (!hasControlChar(value)) return;
  std::string shown;
  for (char ch : value) shown += escapedChar(static_cast<unsigned char>(ch));
  throw ConfigError("", option, "\"" + shown + "\" holds a control character, which cannot go into a Slurm script");
}
}  // namespace

void SlurmBackend::check(const SlurmOptions& o) {
  refuseControlChars(o.exe, "sparsesim binary path");
  refuseControlChars(o.sweep_file, "sweep");
  refuseControlChars(o.out_dir, "--out");
  if (std::string why = nameProblem(o.name); !why.empty()) throw ConfigError(o.sweep_file, "name", why);
  for (const auto& a : o.sbatch_args) refuseControlChars(a, "--sbatch");
}

// Every value is checked or quoted here: the job name is built from a validated sweep name,
// paths are single-quoted for bash and double-quoted for sbatch's directive parser, numbers are
// numbers, and no value may hold a control character, so no value can start a line of its own.
std::string SlurmBackend::script(const SlurmOptions& o) {
  check(o);
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# Written by `sparsesim sweep --backend slurm`: one array task per shard of the sweep.\n"
    << "# Re-submitting it resumes (finished points are skipped). When every task is done:\n"
    << "#   " << shellQuote(o.exe) << " sweep --merge " << shellQuote(o.out_dir) << "\n"
    << "#SBATCH --job-name=sparsesim-" << o.name << "\n"
    << "#SBATCH --array=0-" << (o.tasks - 1) << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=" << o.cpus_per_task << "\n"
    << "#SBATCH --output=" << sbatchDirectiveQuote(slurmFilenamePattern((fs::path(o.out_dir) / "slurm").string()) + "/%A_%a.out") << "\n";
  // Options the user gave on the command line (--sbatch): each is one quoted argument of sbatch.
  for (const auto& a : o.sbatch_args) s << "#SBATCH " << sbatchDirectiveQuote(a) << "\n";
  s << "set -eu\n"
    << "export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1\n"
    << "exec " << shellQuote(o.exe) << " sweep " << shellQuote(o.sweep_file) << " --out " << shellQuote(o.out_dir)
    << " --shard \"${SLURM_ARRAY_TASK_ID}/" << o.tasks << "\" -j \"${SLURM_CPUS_PER_TASK:-" << o.cpus_per_task
    << "}\" --seed " << o.seed << "\n";
  return s.str();
}

std::string SlurmBackend::writeScript(const SlurmOptions& o) {
  fs::create_directories(fs::path(o.out_dir) / "slurm");
  std::string path = (fs::path(o.out_dir) / "sweep.sbatch").string();
  writeFileAtomic(path, script(o));
  fs::permissions(path, fs::perms::owner_exec | fs::perms::group_exec, fs::perm_options::add);
  return path;
}

std::string SlurmBackend::submit(const std::string& scriptPath) {
  int out[2];
  if (::pipe(out) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::execlp("sbatch", "sbatch", "--parsable", scriptPath.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ::close(out[1]);
  std::string text;
  char buf[256];
  for (ssize_t n; (n = ::read(out[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  ::close(out[0]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 1;
  if (rc == 127) throw std::runtime_error("sbatch not found on PATH; submit " + scriptPath + " on a Slurm login node");
  if (rc != 0) throw std::runtime_error("sbatch failed (exit " + std::to_string(rc) + "); the script is " + scriptPath);
  // --parsable prints "jobid" or "jobid;cluster".
  std::string id = text.substr(0, text.find_first_of(";\n"));
  if (id.empty()) throw std::runtime_error("sbatch printed no job id");
  return id;
}

}  // namespace sparsesim
