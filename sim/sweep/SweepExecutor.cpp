#include "sim/sweep/SweepExecutor.h"

#include <cstdlib>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <algorithm>
#include <map>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/config/ConfigLoader.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/FolderLock.h"
#include "sim/io/OutputError.h"
#include "sim/resources/FpgaPart.h"
#include "sim/run/SharedLayerCache.h"

namespace sparsesim {

using nlohmann::ordered_json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string hostName() {
  char b[256] = {0};
  if (::gethostname(b, sizeof b - 1) != 0) return "host";
  std::string s(b);
  for (char& ch : s) if (ch == '.' || ch == '/') ch = '_';
  return s;
}

std::string duration(double s) {
  char b[32];
  long long t = static_cast<long long>(s + 0.5);
  if (t >= 3600) std::snprintf(b, sizeof b, "%lldh%02lldm", t / 3600, (t / 60) % 60);
  else if (t >= 60) std::snprintf(b, sizeof b, "%lldm%02llds", t / 60, t % 60);
  else std::snprintf(b, sizeof b, "%.1fs", s);
  return b;
}

std::string lastLine(const fs::path& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) last = line;
  return last.size() > 300 ? last.substr(0, 300) + "..." : last;
}

struct Running {
  size_t index;
  fs::path staging;
  Clock::time_point start;
  bool killed = false;
};

}  // namespace

void SweepExecutor::materialise(const SweepPoint& p, const std::string& dir) {
  fs::path d(dir);
  writeFileAtomic((d / "config" / "arch.json").string(), SweepPlan::archJson(p).dump(2) + "\n");
  writeFileAtomic((d / "config" / "network.json").string(), SweepPlan::networkJson(p).dump(2) + "\n");
  auto copyTable = [&](const std::string& kind, const std::string& name) {
    std::string src = resolveConfigFile(kind, name, p.arch.source_file, kind == "fpga" ? "fpga_part" : "energy_table");
    createOutputDirectories((d / kind).string());
    copyOutputFile(src, (d / kind / (name + ".json")).string());
  };
  copyTable("fpga", p.arch.fpga_part);
  copyTable("energy", "asic-45nm-horowitz");
  copyTable("energy", p.arch.energy_table);
}

void removeStaleTemporaries(const std::string& outDir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(outDir, ec)) {
    const std::string n = e.path().filename().string();
    const auto at = n.rfind(".tmp.");
    if (at == std::string::npos || n.find_first_not_of("0123456789", at + 5) != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::atol(n.c_str() + at + 5));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) fs::remove(e.path(), ec);
  }
}

void removeStaleStaging(const std::string& outDir) {
  std::error_code ec;
  const std::string mark = ".partial." + hostName() + ".";
  for (const auto& e : fs::directory_iterator(fs::path(outDir) / "points", ec)) {
    std::string n = e.path().filename().string();
    auto at = n.find(mark);
    if (at == std::string::npos) continue;
    pid_t pid = static_cast<pid_t>(std::atol(n.c_str() + at + mark.size()));
    if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(e.path(), ec);
  }
}

ExecutorSummary SweepExecutor::run() {
  ExecutorSummary sum;
  const auto& points = plan_.points();
  std::vector<size_t> todo;
  for (size_t i : opt_.indices) {
    if (points[i].filtered) continue;
    ++sum.selected;
    if (pointFinished(opt_.out_dir, points[i].id)) ++sum.already_done;
    else todo.push_back(i);
  }
  const bool reuse = opt_.reuse && opt_.run_in_process;
  std::vector<bool> lastOfGroup;  // with reuse, per entry of todo: the last point of its group
  if (reuse) {
    // Points that share their layers run one after another, so each network's shared layers are
    // computed once while they are held (the groups in order of their first point).
    std::map<std::string, size_t> groupOf;
    std::vector<std::pair<size_t, size_t>> order;  // (group, position)
    for (size_t k = 0; k < todo.size(); ++k) {
      const SweepPoint& p = points[todo[k]];
      const std::string g = std::to_string(int(p.arch.compat)) + SweepPlan::networkJson(p).dump();
      order.emplace_back(groupOf.emplace(g, groupOf.size()).first->second, k);
    }
    std::stable_sort(order.begin(), order.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::vector<size_t> grouped;
    for (size_t k = 0; k < order.size(); ++k) {
      grouped.push_back(todo[order[k].second]);
      lastOfGroup.push_back(k + 1 == order.size() || order[k + 1].first != order[k].first);
    }
    todo.swap(grouped);
    SharedLayerCache::instance().setBudgetBytes(opt_.reuse_budget_bytes);
    // The layers computed here run beside the points: one host thread, as the points'.
    if (opt_.jobs > 1) ::setenv("SPARSESIM_THREADS", "1", 1);
  }
  createOutputDirectories((fs::path(opt_.out_dir) / "points").string());
  removeStaleStaging(opt_.out_dir);

  // Signals are blocked and taken synchronously with sigtimedwait, so none arrives while the
  // loop is between a fork and the bookkeeping of its child.
  sigset_t mask, old;
  sigemptyset(&mask);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaddset(&mask, s);
  sigprocmask(SIG_BLOCK, &mask, &old);

  const bool tty = opt_.progress && ::isatty(STDERR_FILENO);
  const std::string suffix = ".partial." + hostName() + "." + std::to_string(::getpid());
  const auto& axes = plan_.config().axes;
  const std::string seed = std::to_string(plan_.config().seed);
  Clock::time_point killedAt;
  std::map<pid_t, Running> running;
  size_t next = 0, finished = 0;
  const auto t0 = Clock::now();
  bool stop = false;

  auto progress = [&](const SweepPoint* p, const std::string& status, double secs) {
    if (!opt_.progress) return;
    size_t done = sum.already_done + finished;
    if (tty) {
      const int width = 30;
      int fill = sum.selected ? static_cast<int>(width * done / sum.selected) : width;
      double el = std::chrono::duration<double>(Clock::now() - t0).count();
      std::string eta = finished ? "ETA " + duration(el / finished * double(todo.size() - finished)) : "ETA --";
      std::fprintf(stderr, "\r[%s%s] %zu/%zu  ok %zu  mismatch %zu  failed %zu  running %zu  %s elapsed  %s\033[K",
                   std::string(fill, '#').c_str(), std::string(width - fill, '.').c_str(), done, sum.selected,
                   sum.ok, sum.mismatch, sum.failed, running.size(), duration(el).c_str(), eta.c_str());
    } else if (p) {
      std::string vals;
      for (size_t a = 0; a < axes.size(); ++a) vals += " " + axes[a].path + "=" + axes[a].labels[p->combo[a]];
      std::fprintf(stderr, "[%zu/%zu] %s %s %s%s\n", done, sum.selected, p->id.c_str(), status.c_str(), duration(secs).c_str(), vals.c_str());
    }
    std::fflush(stderr);
  };

  auto launch = [&](size_t index) {
    const SweepPoint& p = points[index];
    fs::path staging = fs::path(opt_.out_dir) / "points" / (p.id + suffix);
    std::error_code rmEc;
    fs::remove_all(staging, rmEc);
    try {
      materialise(p, staging.string());
    } catch (...) {
      fs::remove_all(staging, rmEc);
      throw;
    }
    if (reuse) {
      try {
        SharedLayerCache::instance().prepare(p.network, p.arch.compat, plan_.config().seed);
      } catch (const std::exception&) {
        // Out of memory, say: the point computes its own layers, as it does alone.
      }
    }
    std::vector<std::string> args = {opt_.exe, "run", "--arch", "config/arch.json", "--network", "config/network.json",
                                     "--out", ".", "--seed", seed, "-q"};
    if (plan_.config().allow_overclock) args.push_back("--allow-overclock");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string stagingStr = staging.string(), log = (staging / "run.log").string();
    const pid_t parent = ::getpid();
    std::fflush(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
    if (pid == 0) {
      // Own process group: a terminal's Ctrl-C reaches only the sweep, which ends its children
      // itself and so tells an interrupted point from a failed one.
      ::setpgid(0, 0);
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) _exit(1);
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd < 0 || ::chdir(stagingStr.c_str()) != 0) _exit(126);
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
      // Points running side by side already use the cores: one host thread each (verification,
      // the sparse-PE engine's folds).
      if (opt_.jobs > 1) ::setenv("SPARSESIM_THREADS", "1", 1);
      if (reuse) {
        // No exec closes the sweep folder's lock (O_CLOEXEC): close this copy's descriptor of it.
        FolderLock::closeInForkedChild();
        // This copy of the sweep process has not elaborated SystemC: it runs the point as
        // `sparsesim run` would, on the layers the sweep process computed before the fork.
        int rc = 1;
        try {
          rc = opt_.run_in_process(std::vector<std::string>(args.begin() + 1, args.end()));
        } catch (...) {
          std::fprintf(stderr, "sparsesim sweep: internal error while running the point\n");
        }
        // Only under a point that ran to its report: a failed point's last log line is its error,
        // which the sweep reads (the note, and the path an exit 4 names).
        if (rc == 0 || rc == 3)
          std::fprintf(stderr, "sweep reuse: %zu layer(s) of this point taken from the sweep's shared workloads\n",
                       SharedLayerCache::instance().hits());
        std::fflush(nullptr);
        _exit(rc);
      }
      ::execv(argv[0], argv.data());
      _exit(127);
    }
    running[pid] = Running{index, staging, Clock::now()};
    // Every point of the group has its copy: the sweep process holds one group's layers at a time
    // (plus what running points still map).
    if (reuse && lastOfGroup.at(next - 1) /* next - 1: this point in todo */) SharedLayerCache::instance().release(p.network, p.arch.compat, plan_.config().seed);
  };

  auto reap = [&](pid_t pid, int st) {
    Running r = running.at(pid);
    running.erase(pid);
    std::error_code ec;
    int rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    // A point that completed before the stop signal reached it is kept, not thrown away.
    if (r.killed && !(WIFEXITED(st) && (rc == 0 || rc == 3))) { fs::remove_all(r.staging, ec); return; }
    if (WIFEXITED(st) && rc == 4) {
      // The point's own outputs could not be written: the folder is unusable for every point.
      // Its message names a path inside the point's folder ("./report.json"): name it under the point.
      const std::string line = lastLine(r.staging / "run.log"), prefix = "error: cannot write output: ";
      fs::remove_all(r.staging, ec);
      const fs::path dest = pointDir(opt_.out_dir, points[r.index].id);
      const size_t sep = line.rfind(": ");
      if (line.rfind(prefix, 0) != 0 || sep < prefix.size()) throw OutputError(dest.string(), "the point's run could not write its outputs (exit 4), and not its log either (" +
                                                                             (r.staging / "run.log").filename().string() +
                                                                             " holds no error line: is the filesystem full?)");
      throw OutputError((dest / line.substr(prefix.size(), sep - prefix.size())).lexically_normal().string(), line.substr(sep + 2));
    }
    const SweepPoint& p = points[r.index];
    double secs = std::chrono::duration<double>(Clock::now() - r.start).count();
    bool report = fs::is_regular_file(r.staging / "report.json", ec);
    std::string status = (rc == 0 && report) ? "ok" : (rc == 3 && report) ? "mismatch" : "failed";
    ordered_json meta;
    meta["id"] = p.id;
    meta["index"] = p.index;
    ordered_json vals = ordered_json::object();
    for (size_t a = 0; a < axes.size(); ++a) vals[axes[a].path] = axes[a].labels[p.combo[a]];
    meta["values"] = vals;
    meta["status"] = status;
    meta["seed"] = plan_.config().seed;
    meta["exit_code"] = rc;
    meta["wall_seconds"] = secs;
    meta["base_arch"] = p.arch_file;
    meta["base_network"] = p.network_file;
    meta["reproduce"] = "cd <this folder> && sparsesim run --arch config/arch.json --network config/network.json --out . --seed " + seed;
    meta["note"] = status == "ok" ? std::string() : status == "mismatch" ? std::string("outputs differ from the reference convolution (see report.json)")
                                                  : "exit " + std::to_string(rc) + ": " + lastLine(r.staging / "run.log");
    try {
      writeFileAtomic((r.staging / "point.json").string(), meta.dump(2) + "\n");
    } catch (...) {
      fs::remove_all(r.staging, ec);
      throw;
    }
    fs::path dest = status == "failed" ? fs::path(failedDir(opt_.out_dir, p.id)) : fs::path(pointDir(opt_.out_dir, p.id));
    if (status == "failed") {
      fs::remove_all(dest, ec);
      fs::create_directories(dest.parent_path());
    } else {
      fs::remove_all(failedDir(opt_.out_dir, p.id), ec);
    }
    fs::rename(r.staging, dest, ec);
    if (ec) fs::remove_all(r.staging, ec);  // another process of the same sweep finished it first
    ++finished;
    (status == "ok" ? sum.ok : status == "mismatch" ? sum.mismatch : sum.failed)++;
    if (opt_.table) { opt_.table->update(r.index); opt_.table->write(); }
    progress(&p, status, secs);
  };

  // An output that cannot be written (a full disk) ends the sweep: no new point starts, the
  // running ones are stopped and their staging removed, and the error is rethrown at the end.
  std::exception_ptr writeError;
  auto stopAll = [&] {
    if (stop) return;
    stop = true;
    killedAt = Clock::now();
    for (auto& kv : running) { kv.second.killed = true; ::kill(kv.first, SIGTERM); }
  };
  auto failWrite = [&](std::exception_ptr e) {
    if (!writeError) writeError = e;
    stopAll();
  };
  progress(nullptr, "", 0);
  for (;;) {
    while (!stop && running.size() < static_cast<size_t>(opt_.jobs) && next < todo.size()) {
      try {
        launch(todo[next++]);
      } catch (const std::exception&) {
        // A full disk (OutputError) or a failed fork: the running points are stopped and the
        // signal mask restored before the error leaves the sweep.
        failWrite(std::current_exception());
      }
    }
    if (running.empty()) break;
    siginfo_t info;
    timespec ts{0, 200 * 1000 * 1000};
    int s = sigtimedwait(&mask, &info, &ts);
    if ((s == SIGINT || s == SIGTERM || s == SIGHUP) && !stop) {
      sum.interrupted = true;
      sum.signal = s;
      stopAll();
    }
    if (stop && std::chrono::duration<double>(Clock::now() - killedAt).count() > 5)
      for (auto& kv : running) ::kill(kv.first, SIGKILL);
    int st = 0;
    pid_t pid;
    while ((pid = ::waitpid(-1, &st, WNOHANG)) > 0)
      if (running.count(pid)) {
        try {
          reap(pid, st);
        } catch (const OutputError&) {
          failWrite(std::current_exception());
        }
      }
    if (tty) progress(nullptr, "", 0);
  }
  if (tty) std::fprintf(stderr, "\n");
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (writeError) std::rethrow_exception(writeError);
  return sum;
}

}  // namespace sparsesim
