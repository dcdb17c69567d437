#include "sim/sweep/ResultsTable.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "models/common/LayerStats.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/Escape.h"
#include "sim/io/InputFile.h"
#include "sim/sweep/SweepPlan.h"

namespace sparsesim {

using nlohmann::json;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

// Columns after the axis values, in this order (docs/sweeps.md lists their units).
const char* kColumns[] = {"arch", "network", "datapath", "cycles", "seconds", "inferences_per_second", "lut", "ff", "dsp",
                          "bram36", "uram", "fits", "binding_resource", "copies_per_part", "full_chip_inferences_per_second",
                          "energy_per_inference_j", "inferences_per_joule", "macs_issued", "macs_useful",
                          "utilization_issued", "utilization_useful", "dram_read_bytes", "dram_write_bytes",
                          "dram_weight_read_bytes", "weight_stored_bytes", "weight_resident_fraction", "stall_*", "stall_other", "verified", "report"};
// "stall_*": one column per stall cause (models/common/LayerStats.h, in name order); a cause a
// report holds that the table does not know (an older report) is counted in stall_other so no
// stall cycle is lost from the table.

// The special axes "arch" and "network" list files; their columns are named apart from the
// "arch" and "network" columns, which hold the names inside the files.
std::string axisColumn(const std::string& path) {
  return path == "arch" ? "arch_file" : path == "network" ? "network_file" : path;
}

std::optional<json> readJson(const fs::path& p) {
  auto text = tryReadInputFile(p.string(), kMaxJsonFileBytes);
  if (!text) return std::nullopt;
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

// A missing field is an empty cell, not an error: reports of older versions may lack one.
ordered_json at(const json& j, std::initializer_list<const char*> path) {
  const json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return nullptr;
    cur = &(*cur)[k];
  }
  return ordered_json::parse(cur->dump());
}

// Per-network sums of the per-layer figures: DRAM bytes by direction, stall cycles by cause,
// and both utilisations over the whole network (MACs / (simulated cycles x multipliers), the
// per-layer definition of report.json's "utilization" applied to the sums).
void addLayerSums(const json& rep, ordered_json& row) {
  if (!rep.contains("layers") || !rep["layers"].is_array()) return;
  uint64_t read = 0, write = 0, simulated = 0, issued = 0, useful = 0;
  std::map<std::string, uint64_t> stalls;
  for (StallCause c : allStallCauses()) stalls[statInfo(c).name] = 0;
  uint64_t other = 0;
  for (const auto& l : rep["layers"]) {
    read += l.value("dram_read_bytes", uint64_t{0});
    write += l.value("dram_write_bytes", uint64_t{0});
    simulated += l.value("simulated_cycles", uint64_t{0});
    issued += l.value("macs_issued", uint64_t{0});
    useful += l.value("macs_useful", uint64_t{0});
    if (l.contains("stall_cycles") && l["stall_cycles"].is_object())
      for (auto it = l["stall_cycles"].begin(); it != l["stall_cycles"].end(); ++it) {
        auto s = stalls.find(it.key());
        (s == stalls.end() ? other : s->second) += it.value().get<uint64_t>();
      }
  }
  row["dram_read_bytes"] = read;
  row["dram_write_bytes"] = write;
  for (const auto& [cause, n] : stalls) row["stall_" + cause] = n;
  row["stall_other"] = other;
  const double slots = double(simulated) * rep.value("multipliers", 0.0);
  if (slots > 0) {
    row["utilization_issued"] = double(issued) / slots;
    row["utilization_useful"] = double(useful) / slots;
  }
}

}  // namespace

ResultsTable::ResultsTable(json record, std::string outDir) : record_(std::move(record)), out_(std::move(outDir)) {
  columns_ = {"point", "status"};
  for (const auto& a : record_["axes"]) columns_.push_back(axisColumn(a["path"].get<std::string>()));
  // A result column an axis already names (the "datapath" axis) appears once, as the axis.
  for (const char* c : kColumns) {
    if (std::string(c) == "stall_*") {
      for (StallCause sc : allStallCauses()) columns_.push_back(std::string("stall_") + statInfo(sc).name);
    } else if (std::find(columns_.begin(), columns_.end(), c) == columns_.end()) {
      columns_.push_back(c);
    }
  }
  bool asicBudget = false;
  for (const auto& c : record_["iso_columns"]) {
    columns_.push_back(c.get<std::string>());
    asicBudget = asicBudget || c.get<std::string>() == "iso.asic_area_mm2";
  }
  // Throughput per silicon area of an ASIC budget (docs/asic-iso-area.md defines both).
  if (asicBudget)
    for (const char* c : {"iso.dense_macs_per_s_per_mm2", "iso.useful_macs_per_s_per_mm2"}) columns_.push_back(c);
  columns_.push_back("note");
  rows_.resize(record_["points"].size());
}

void ResultsTable::scan() {
  for (size_t i = 0; i < rows_.size(); ++i) rows_[i] = readRow(i);
}

void ResultsTable::update(size_t index) { rows_.at(index) = readRow(index); }

std::optional<ordered_json> ResultsTable::readRow(size_t index) const {
  const json& p = record_["points"][index];
  const std::string id = p["id"].get<std::string>();
  ordered_json row = ordered_json::object();
  for (const auto& c : columns_) row[c] = nullptr;
  row["point"] = id;
  for (auto it = p["values"].begin(); it != p["values"].end(); ++it) row[axisColumn(it.key())] = ordered_json::parse(it.value().dump());
  row["arch"] = p["arch"].get<std::string>();
  row["network"] = p["network"].get<std::string>();
  row["datapath"] = p["datapath"].get<std::string>();
  // The plan's estimate; a finished point's report replaces it (same model, same design).
  for (const char* k : {"lut", "ff", "dsp", "bram36", "uram", "fits", "binding_resource", "copies_per_part"}) row[k] = at(p, {"resources", k});
  if (p.contains("iso"))
    for (auto it = p["iso"].begin(); it != p["iso"].end(); ++it) row[it.key()] = ordered_json::parse(it.value().dump());

  if (p["filtered"].get<bool>()) {
    row["status"] = "filtered";
    row["note"] = p.value("filter_reason", std::string());
    return row;
  }
  fs::path dir = pointDir(out_, id);
  std::optional<json> meta = readJson(dir / "point.json");
  if (!meta) {
    meta = readJson(fs::path(failedDir(out_, id)) / "point.json");
    if (!meta) return std::nullopt;
    row["status"] = "failed";
    row["note"] = meta->value("note", std::string());
    return row;
  }
  row["status"] = meta->value("status", std::string("failed"));
  row["note"] = meta->value("note", std::string());
  std::optional<json> rep = readJson(dir / "report.json");
  if (!rep) return row;
  row["cycles"] = at(*rep, {"total", "cycles"});
  row["seconds"] = at(*rep, {"total", "seconds"});
  row["inferences_per_second"] = at(*rep, {"total", "inferences_per_second"});
  // A layer-pipelined run: one copy is the whole pipeline (every engine; docs/pipelined.md).
  for (const char* k : {"lut", "ff", "dsp", "bram36", "uram", "fits", "binding_resource", "copies_per_part"})
    row[k] = rep->contains("pipeline") ? at(*rep, {"pipeline", "resources", k}) : at(*rep, {"resources", k});
  // Throughput of the whole budget: the iso copies when the sweep sizes to a budget, else as
  // many copies of the design as fit the part.
  ordered_json copies = p.contains("iso_copies") ? ordered_json(p["iso_copies"].get<long long>()) : row["copies_per_part"];
  if (row["inferences_per_second"].is_number() && copies.is_number())
    row["full_chip_inferences_per_second"] = row["inferences_per_second"].get<double>() * copies.get<double>();
  row["energy_per_inference_j"] = at(*rep, {"energy", "per_inference_j"});
  row["inferences_per_joule"] = at(*rep, {"energy", "inferences_per_joule"});
  row["macs_issued"] = at(*rep, {"total", "macs_issued"});
  row["macs_useful"] = at(*rep, {"total", "macs_useful"});
  addLayerSums(*rep, row);
  // The run's weight residency (memory.weights, docs/memory.md).
  row["dram_weight_read_bytes"] = at(*rep, {"total", "dram_weight_read_bytes"});
  row["weight_stored_bytes"] = at(*rep, {"total", "weight_residency", "stored_bytes"});
  row["weight_resident_fraction"] = at(*rep, {"total", "weight_residency", "resident_fraction"});
  // Dense-equivalent MACs (every weight x every activation) and useful MACs (both operands
  // non-zero) per second of all copies, per mm^2 of their area at the budget's node.
  if (row.contains("iso.dense_macs_per_s_per_mm2") && row["full_chip_inferences_per_second"].is_number() &&
      row["iso.asic_area_mm2"].is_number() && row["iso.asic_area_mm2"].get<double>() > 0) {
    const double perMm2 = row["full_chip_inferences_per_second"].get<double>() / row["iso.asic_area_mm2"].get<double>();
    const ordered_json dense = at(*rep, {"total", "macs_dense"});
    if (dense.is_number()) row["iso.dense_macs_per_s_per_mm2"] = dense.get<double>() * perMm2;
    if (row["macs_useful"].is_number()) row["iso.useful_macs_per_s_per_mm2"] = row["macs_useful"].get<double>() * perMm2;
  }
  row["verified"] = at(*rep, {"total", "verified"});
  row["report"] = (fs::path("points") / id / "report.json").string();
  return row;
}

void ResultsTable::write() const {
  std::ostringstream csv;
  for (size_t c = 0; c < columns_.size(); ++c) csv << (c ? "," : "") << csvCell(columns_[c]);
  csv << "\n";
  ordered_json rows = ordered_json::array();
  for (const auto& r : rows_) {
    if (!r) continue;
    for (size_t c = 0; c < columns_.size(); ++c) csv << (c ? "," : "") << csvCell((*r)[columns_[c]]);
    csv << "\n";
    rows.push_back(*r);
  }
  ordered_json j;
  j["sweep"] = record_.value("name", std::string());
  j["columns"] = columns_;
  j["rows"] = rows;
  writeFileAtomic((fs::path(out_) / "results.csv").string(), csv.str());
  writeFileAtomic((fs::path(out_) / "results.json").string(), j.dump(1) + "\n");
}

ResultsTable::Counts ResultsTable::counts() const {
  Counts n;
  for (const auto& r : rows_) {
    if (!r) { ++n.pending; continue; }
    std::string s = (*r)["status"].get<std::string>();
    if (s == "ok") ++n.ok;
    else if (s == "mismatch") ++n.mismatch;
    else if (s == "filtered") ++n.filtered;
    else ++n.failed;
  }
  return n;
}

std::vector<std::string> ResultsTable::pending() const {
  std::vector<std::string> ids;
  for (size_t i = 0; i < rows_.size(); ++i)
    if (!rows_[i]) ids.push_back(record_["points"][i]["id"].get<std::string>());
  return ids;
}

}  // namespace sparsesim
