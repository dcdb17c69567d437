#pragma once
// Helpers for the sod / sparse_pe end-to-end tests. A process may elaborate SystemC once, so a
// test that compares two datapaths runs one of them in a forked child (before the parent
// elaborates anything) and reads its report back through a pipe.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "sim/config/ConfigLoader.h"
#include "sim/report/Report.h"
#include "sim/run/Runner.h"

namespace sparsesim::e2e {

inline std::string sourcePath(const std::string& rel) { return std::string(SPARSESIM_SOURCE_DIR) + "/" + rel; }

// runSimulation in a child process; returns buildReport's JSON of the run.
inline nlohmann::json reportInChild(const ArchConfig& a, const NetworkConfig& n, const RunOptions& o = RunOptions()) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    close(fds[0]);
    int rc = 0;
    try {
      std::string s = buildReport(runSimulation(a, n, o)).dump();
      size_t off = 0;
      while (off < s.size()) {
        ssize_t w = write(fds[1], s.data() + off, s.size() - off);
        if (w <= 0) { rc = 2; break; }
        off += size_t(w);
      }
    } catch (...) {
      rc = 1;
    }
    close(fds[1]);
    _exit(rc);
  }
  close(fds[1]);
  std::string s;
  char buf[65536];
  for (;;) {
    ssize_t r = read(fds[0], buf, sizeof buf);
    if (r <= 0) break;
    s.append(buf, size_t(r));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("child simulation failed");
  return nlohmann::json::parse(s);
}

inline uint64_t stall(const LayerResult& l, const std::string& cause) {
  for (const auto& [c, n] : l.stall_cycles.entries())
    if (cause == statInfo(c).name) return n;
  return 0;
}
inline uint64_t stall(const nlohmann::json& l, const std::string& cause) {
  return l["stall_cycles"].contains(cause) ? l["stall_cycles"][cause].get<uint64_t>() : 0;
}

inline LayerConfig convLayer(const std::string& name, int cin, int cout, int hw, int k, int pad, double ws, double ad) {
  LayerConfig l;
  l.name = name;
  l.type = LayerType::Conv2d;
  l.in_channels = cin;
  l.out_channels = cout;
  l.in_h = l.in_w = hw;
  l.kernel_h = l.kernel_w = k;
  l.padding = pad;
  l.weight_sparsity = ws;
  l.activation_density = ad;
  return l;
}

inline LayerConfig linearLayer(const std::string& name, int in, int out, int rows, double ws, double ad) {
  LayerConfig l;
  l.name = name;
  l.type = LayerType::Linear;
  l.in_channels = in;
  l.out_channels = out;
  l.in_h = rows;
  l.in_w = 1;
  l.weight_sparsity = ws;
  l.activation_density = ad;
  return l;
}

inline NetworkConfig withSparsity(NetworkConfig n, double ws, double ad) {
  for (auto& l : n.layers) {
    l.weight_sparsity = ws;
    l.activation_density = ad;
  }
  return n;
}

}  // namespace sparsesim::e2e
