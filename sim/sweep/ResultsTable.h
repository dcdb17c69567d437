#pragma once
// DIR/results.csv and DIR/results.json: one row per finished point (ok, mismatch, failed) or
// filtered point, in the sweep's product order; points not run yet have no row. Built from
// DIR/sweep.json (the plan record) and the point folders alone, so `--merge` needs no sweep file.
// Columns and units: docs/sweeps.md.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace sparsesim {

class ResultsTable {
 public:
  ResultsTable(nlohmann::json record, std::string outDir);

  const std::vector<std::string>& columns() const { return columns_; }
  // (Re-)reads every point's state from disk.
  void scan();
  // Re-reads one point (by plan index) after it finished or failed.
  void update(size_t index);
  // Writes both files atomically (readers see the old table or the new one).
  void write() const;

  struct Counts { size_t ok = 0, mismatch = 0, failed = 0, filtered = 0, pending = 0; };
  Counts counts() const;
  // Ids of points without a row yet.
  std::vector<std::string> pending() const;
  const std::optional<nlohmann::ordered_json>& row(size_t index) const { return rows_.at(index); }

 private:
  std::optional<nlohmann::ordered_json> readRow(size_t index) const;
  nlohmann::json record_;
  std::string out_;
  std::vector<std::string> columns_;
  std::vector<std::optional<nlohmann::ordered_json>> rows_;
};

}  // namespace sparsesim
