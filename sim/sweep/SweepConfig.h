#pragma once
// A sweep file (docs/sweeps.md): base architecture and network files, axes over config values by
// JSON path, zipped groups, filters and an optional iso-resource budget. Parsing checks the file's
// own structure; whether each path exists in the configs is checked by SweepPlan, which resolves
// every point before anything runs.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sparsesim {

enum class AxisKind {
  Arch,         // a value inside the architecture file ("array.rows", "datapath", "cs.mode", ...)
  Network,      // a value inside the network file ("layers[*].weight_sparsity", "layers[2].stride")
  ArchFile,     // the special axis "arch": a list of architecture files
  NetworkFile,  // the special axis "network": a list of network files
};

struct SweepAxis {
  std::string path;                   // as written in the file; also the results column name
  AxisKind kind = AxisKind::Arch;
  std::vector<nlohmann::json> values; // expanded (ranges become lists); files resolved for *File axes
  std::vector<std::string> labels;    // each value as written in results (files: as in the sweep file)
};

// "lhs op rhs" with lhs an axis path, rhs an axis path or a literal; op one of == != < <= > >=.
struct SweepCondition {
  std::string text;
  size_t lhs = 0;                   // axis index
  std::string op;
  std::optional<size_t> rhs_axis;   // axis index, or
  nlohmann::json rhs_literal;       // a number, string or boolean
};

// Most points a sweep may have: each point is resolved and validated before anything runs.
constexpr uint64_t kMaxSweepPoints = 100000;

struct SweepConfig {
  std::string file;         // the sweep file as given (named in every error)
  std::string name;         // default: the file's stem
  std::string description;
  std::string arch;         // base architecture file, resolved against the sweep file's folder; empty with an "arch" axis
  std::string network;      // base network file, likewise; empty with a "network" axis
  std::vector<SweepAxis> axes;               // in file order; the first axis varies slowest
  std::vector<std::vector<size_t>> groups;   // axis indices varying together (zip); every axis is in exactly one group
  bool filter_fits = false;                  // skip points whose design does not fit its arch's fpga_part
  std::vector<SweepCondition> where;         // skip points for which any condition is false
  std::optional<nlohmann::json> iso;         // raw "iso" section (parsed by isoBudgetFromJson)
  uint64_t seed = 1;                         // workload seed of every point (kDefaultSeed)
  bool allow_overclock = false;              // --allow-overclock: points may exceed the part's timing limit
};

SweepConfig loadSweepConfig(const std::string& file);
// `text` is the file's content (key order of "axes" matters: it orders columns and the product).
SweepConfig sweepConfigFromText(const std::string& text, const std::string& file);

// Values of a range object {"from", "to", "step"} or {"from", "to", "times"}, inclusive of "to"
// when a step lands on it (within 1e-9 of a step). Throws ConfigError at file/path.
std::vector<nlohmann::json> expandRange(const nlohmann::json& r, const std::string& file, const std::string& path);

// A value as it appears in a results column: strings bare, numbers and others as JSON.
std::string axisLabel(const nlohmann::json& v);

}  // namespace sparsesim
