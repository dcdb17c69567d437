#pragma once
// The points of a sweep: the product of its axis groups, each point resolved to a complete
// architecture and network, validated, sized to the iso budget and filtered before anything runs.
// Point ids hash the point's axis values only, so a point keeps its id (and its finished results)
// when values are added to an axis or the sweep is re-run from another folder.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/config/NetworkConfig.h"
#include "sim/resources/ResourceModel.h"
#include "sim/sweep/SweepConfig.h"

namespace sparsesim {

struct SweepPoint {
  size_t index = 0;                    // position in the product order; shards partition these
  std::string id;                      // stable id (pointId)
  std::vector<size_t> combo;           // value index per axis
  std::string arch_file, network_file; // base files of this point
  ArchConfig arch;                     // after the axis values and the iso sizing
  NetworkConfig network;               // after the axis values
  bool filtered = false;
  std::string filter_reason;
  Resources resources;                 // estimate of one copy of the design
  PartFit fit;                         // on the arch's fpga_part
  long long iso_copies = 0;            // copies in the iso budget (0: no iso section)
  std::map<std::string, double> iso_columns;
  std::map<std::string, std::string> iso_labels;  // the sizing's text columns (iso.limit, ...)
};

// Every combination of value indices (one per axis), the first axis group varying slowest.
std::vector<std::vector<size_t>> enumerateCombinations(const SweepConfig& c);
// 16 hex digits of a 64-bit FNV-1a hash of the canonical JSON {axis path: value as written}.
std::string pointId(const SweepConfig& c, const std::vector<size_t>& combo);
// Point indices shard i of n runs (0 <= i < n): round robin, so each shard gets a mix of the axes.
std::vector<size_t> shardIndices(size_t count, int i, int n);

// Where a point's files live under a sweep's output folder.
std::string pointDir(const std::string& outDir, const std::string& id);   // finished: DIR/points/<id>
std::string failedDir(const std::string& outDir, const std::string& id);  // last failure: DIR/failed/<id>
bool pointFinished(const std::string& outDir, const std::string& id);

class SweepPlan {
 public:
  // Throws ConfigError naming the sweep file, the axis and the reason for any point that does not
  // resolve (unknown path, out-of-range value, a layer selector matching nothing, ...).
  static SweepPlan build(const SweepConfig& c);

  const SweepConfig& config() const { return config_; }
  const std::vector<SweepPoint>& points() const { return points_; }
  // Iso column names, in a fixed order (empty without an iso section).
  const std::vector<std::string>& isoColumns() const { return iso_columns_; }
  // The resolved inputs a point runs from (materialised into its folder).
  static nlohmann::ordered_json archJson(const SweepPoint& p);
  static nlohmann::ordered_json networkJson(const SweepPoint& p);
  // Throws ConfigError if a point already finished under outDir was run from other inputs or
  // another seed than this plan gives it (an edited base file, say): such a folder is refused
  // rather than mixed. Points of the folder that this plan lacks are left alone.
  void checkFinishedPoints(const std::string& outDir) const;
  // The record DIR/sweep.json holds: enough to rebuild the results table (--merge) without the
  // sweep file, and to see how each point was made.
  nlohmann::ordered_json record() const;

 private:
  SweepConfig config_;
  std::vector<SweepPoint> points_;
  std::vector<std::string> iso_columns_;
};

}  // namespace sparsesim
