#include "sim/sweep/SweepPlan.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigJson.h"
#include "sim/config/ConfigLoader.h"
#include "sim/config/JsonReader.h"
#include "sim/io/InputFile.h"
#include "sim/resources/FpgaPart.h"
#include "sim/run/ArchCosts.h"
#include "sim/run/Runner.h"
#include "sim/sweep/IsoSizing.h"

namespace sparsesim {

using nlohmann::json;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

uint64_t fnv1a(const std::string& s, uint64_t h = 1469598103934665603ull) {
  for (unsigned char ch : s) { h ^= ch; h *= 1099511628211ull; }
  return h;
}

std::string hex64(uint64_t h) {
  char b[17];
  std::snprintf(b, sizeof b, "%016llx", static_cast<unsigned long long>(h));
  return b;
}

std::string describe(const SweepConfig& c, const std::vector<size_t>& combo) {
  std::string s;
  for (size_t a = 0; a < c.axes.size(); ++a) s += (a ? ", " : "") + c.axes[a].path + "=" + c.axes[a].labels[combo[a]];
  return "{" + s + "}";
}

// Resolver::resolve's `only` for "apply no axis".
constexpr size_t kNoAxis = static_cast<size_t>(-1);

std::string axisRef(const SweepAxis& a) { return "axes[\"" + a.path + "\"]"; }

// Wildcard layer paths first, so "layers[2].x" refines "layers[*].x" whatever the file order.
std::vector<size_t> applyOrder(const SweepConfig& c) {
  std::vector<size_t> order;
  for (int pass = 0; pass < 2; ++pass)
    for (size_t a = 0; a < c.axes.size(); ++a) {
      bool wildcard = c.axes[a].path.compare(0, 9, "layers[*]") == 0;
      if ((pass == 0) == wildcard) order.push_back(a);
    }
  return order;
}

struct Resolver {
  const SweepConfig& c;
  std::map<std::string, json> files;
  std::map<std::string, FpgaPart> parts;

  // network: a SCALE-Sim topology (.csv) is read as the network JSON it stands for.
  const json& read(const std::string& f, bool network = false) {
    auto it = files.find(f);
    if (it == files.end()) it = files.emplace(f, network ? readNetworkJson(f) : readJsonFile(f)).first;
    return it->second;
  }
  std::string fileOf(AxisKind k, const std::vector<size_t>& combo) {
    for (size_t a = 0; a < c.axes.size(); ++a)
      if (c.axes[a].kind == k) return c.axes[a].values[combo[a]].get<std::string>();
    return k == AxisKind::ArchFile ? c.arch : c.network;
  }
  // `only`: apply just that axis (to find which axis a failing point should blame).
  void resolve(SweepPoint& p, std::optional<size_t> only) {
    json aj = read(p.arch_file), nj = read(p.network_file, true);
    for (size_t a : applyOrder(c)) {
      if (only && a != *only) continue;
      const SweepAxis& ax = c.axes[a];
      const std::string assignment = ax.path + "=" + ax.values[p.combo[a]].dump();
      if (ax.kind == AxisKind::Arch) applyOverride(aj, p.arch_file, assignment);
      else if (ax.kind == AxisKind::Network) applyNetworkOverride(nj, p.network_file, assignment);
    }
    stage = AxisKind::ArchFile;
    p.arch = archFromJson(aj, p.arch_file);
    // A sweep may switch one file between datapaths: sections for the others are expected here.
    applyDatapathDefaults(p.arch);
    stage = AxisKind::NetworkFile;
    p.network = networkFromJson(nj, p.network_file);
    validateRun(p.arch, p.network, c.allow_overclock);  // the timing limit too (timing.fmax_mhz)
  }
  AxisKind stage = AxisKind::ArchFile;  // which file the last resolve was reading when it failed
  const FpgaPart& part(const ArchConfig& a) {
    std::string f = resolveConfigFile("fpga", a.fpga_part, a.source_file, "fpga_part");
    auto it = parts.find(f);
    if (it == parts.end()) it = parts.emplace(f, loadFpgaPart(f)).first;
    return it->second;
  }
};

bool holds(const SweepConfig& c, const SweepCondition& cond, const std::vector<size_t>& combo, const std::string& path) {
  const json& l = c.axes[cond.lhs].values[combo[cond.lhs]];
  const json& r = cond.rhs_axis ? c.axes[*cond.rhs_axis].values[combo[*cond.rhs_axis]] : cond.rhs_literal;
  if (l.is_number() && r.is_number()) {
    double x = l.get<double>(), y = r.get<double>();
    if (cond.op == "==") return x == y;
    if (cond.op == "!=") return x != y;
    if (cond.op == "<") return x < y;
    if (cond.op == "<=") return x <= y;
    if (cond.op == ">") return x > y;
    return x >= y;
  }
  if (cond.op == "==") return l == r;
  if (cond.op == "!=") return l != r;
  throw ConfigError(c.file, path, "operator " + cond.op + " compares numbers; \"" + cond.text + "\" meets " + l.dump() + " and " + r.dump());
}

}  // namespace

std::vector<std::vector<size_t>> enumerateCombinations(const SweepConfig& c) {
  std::vector<std::vector<size_t>> out(1, std::vector<size_t>(c.axes.size(), 0));
  for (const auto& g : c.groups) {
    const size_t n = c.axes[g.front()].values.size();
    std::vector<std::vector<size_t>> next;
    next.reserve(out.size() * n);
    for (const auto& partial : out)
      for (size_t v = 0; v < n; ++v) {
        next.push_back(partial);
        for (size_t a : g) next.back()[a] = v;
      }
    out.swap(next);
  }
  return out;
}

std::string pointId(const SweepConfig& c, const std::vector<size_t>& combo) {
  json key = json::object();  // sorted keys: the id does not depend on the order axes are written in
  for (size_t a = 0; a < c.axes.size(); ++a) key[c.axes[a].path] = c.axes[a].labels[combo[a]];
  return hex64(fnv1a(key.dump()));
}

std::vector<size_t> shardIndices(size_t count, int i, int n) {
  std::vector<size_t> out;
  for (size_t k = static_cast<size_t>(i); k < count; k += static_cast<size_t>(n)) out.push_back(k);
  return out;
}

std::string pointDir(const std::string& outDir, const std::string& id) { return (fs::path(outDir) / "points" / id).string(); }
std::string failedDir(const std::string& outDir, const std::string& id) { return (fs::path(outDir) / "failed" / id).string(); }
bool pointFinished(const std::string& outDir, const std::string& id) {
  std::error_code ec;
  return fs::is_regular_file(fs::path(pointDir(outDir, id)) / "point.json", ec);
}

SweepPlan SweepPlan::build(const SweepConfig& c) {
  SweepPlan plan;
  plan.config_ = c;
  std::optional<IsoBudget> budget;
  if (c.iso) budget = isoBudgetFromJson(*c.iso, c.file, "iso");

  Resolver res{c, {}, {}, AxisKind::ArchFile};
  auto combos = enumerateCombinations(c);
  std::map<std::string, size_t> ids;
  std::set<std::string> isoNames;
  for (size_t i = 0; i < combos.size(); ++i) {
    SweepPoint p;
    p.index = i;
    p.combo = combos[i];
    p.id = pointId(c, p.combo);
    if (!ids.emplace(p.id, i).second)
      throw ConfigError(c.file, "axes", "points " + describe(c, combos[ids[p.id]]) + " and " + describe(c, p.combo) + " have the same id; make their values distinct");
    p.arch_file = res.fileOf(AxisKind::ArchFile, p.combo);
    p.network_file = res.fileOf(AxisKind::NetworkFile, p.combo);
    try {
      res.resolve(p, std::nullopt);
    } catch (const ConfigError& e) {
      // A base file that fails with no axis applied is that file's fault (or its file axis's).
      SweepPoint bare = p;
      try { res.resolve(bare, kNoAxis); } catch (const ConfigError& e0) {
        AxisKind k = res.stage;
        for (size_t a = 0; a < c.axes.size(); ++a)
          if (c.axes[a].kind == k) throw ConfigError(c.file, axisRef(c.axes[a]), "value " + c.axes[a].values[p.combo[a]].dump() + ": " + e0.what());
        throw ConfigError(c.file, k == AxisKind::NetworkFile ? "network" : "arch", e0.what());
      }
      // Else blame the one axis that fails on its own; otherwise the combination.
      for (size_t a = 0; a < c.axes.size(); ++a) {
        SweepPoint q = p;
        try { res.resolve(q, a); } catch (const ConfigError& e1) {
          throw ConfigError(c.file, axisRef(c.axes[a]), "value " + c.axes[a].values[p.combo[a]].dump() + ": " + e1.what());
        }
      }
      throw ConfigError(c.file, "axes", "point " + describe(c, p.combo) + ": " + e.what());
    }
    for (size_t w = 0; w < c.where.size() && !p.filtered; ++w)
      if (!holds(c, c.where[w], p.combo, "filters.where[" + std::to_string(w) + "]")) {
        p.filtered = true;
        p.filter_reason = "where: " + c.where[w].text;
      }
    if (budget && !p.filtered) {
      try {
        IsoSizing s = sizeToBudget(p.arch, *budget);
        p.arch = s.arch;
        p.iso_copies = s.copies;
        p.iso_columns = s.columns;
        p.iso_labels = s.labels;
        for (const auto& kv : s.columns) isoNames.insert(kv.first);
        for (const auto& kv : s.labels) isoNames.insert(kv.first);
        validateRun(p.arch, p.network, c.allow_overclock);
      } catch (const ConfigError& e) {
        // An ASIC area is chosen to compare datapaths at: one too small for a datapath is an
        // input error (exit 2, docs/asic-area.md).
        if (budget->asic_area_mm2 > 0) throw;
        // A datapath that cannot fit an FPGA budget at all is a result of the comparison, not an input error.
        p.filtered = true;
        p.filter_reason = std::string("iso: ") + e.what();
      }
    }
    p.resources = estimateResources(p.arch).total;
    p.fit = fitOnPart(p.resources, res.part(p.arch));
    if (c.filter_fits && !p.filtered && !p.fit.fits) {
      p.filtered = true;
      p.filter_reason = "fits: does not fit " + p.arch.fpga_part + " (binding " + p.fit.binding_resource + ")";
    }
    plan.points_.push_back(std::move(p));
  }
  // Known iso columns in a readable order, then any others the sizing reports.
  for (const char* k : {"iso.rows", "iso.cols", "iso.multipliers", "iso.copies", "iso.utilization", "iso.dsp", "iso.lut", "iso.ff", "iso.bram36", "iso.uram"})
    if (isoNames.erase(k)) plan.iso_columns_.push_back(k);
  plan.iso_columns_.insert(plan.iso_columns_.end(), isoNames.begin(), isoNames.end());
  return plan;
}

void SweepPlan::checkFinishedPoints(const std::string& outDir) const {
  for (const auto& p : points_) {
    if (!pointFinished(outDir, p.id)) continue;
    fs::path dir = pointDir(outDir, p.id);
    auto same = [&](const fs::path& f, const ordered_json& want) {
      auto text = tryReadInputFile(f.string(), kMaxJsonFileBytes);
      ordered_json have = text ? ordered_json::parse(*text, nullptr, false) : ordered_json(nullptr);
      return text && !have.is_discarded() && have == want;
    };
    auto metaText = tryReadInputFile((dir / "point.json").string(), kMaxJsonFileBytes);
    json m = metaText ? json::parse(*metaText, nullptr, false) : json(json::value_t::discarded);
    bool seedOk = !m.is_discarded() && m.value("seed", uint64_t(0)) == config_.seed;
    if (!seedOk || !same(dir / "config" / "arch.json", archJson(p)) || !same(dir / "config" / "network.json", networkJson(p)))
      throw ConfigError(dir.string(), "", "this finished point " + describe(config_, p.combo) + " was run with " +
                                              (seedOk ? "other inputs" : "another seed") + " than the sweep now gives it; use another --out, or delete " +
                                              dir.string() + " to run it again");
  }
}

ordered_json SweepPlan::archJson(const SweepPoint& p) {
  ordered_json j = toJson(p.arch);
  j.erase("source_file");  // provenance, not a config key; the point's record names the base file
  return j;
}

ordered_json SweepPlan::networkJson(const SweepPoint& p) {
  ordered_json j = toJson(p.network);
  j.erase("source_file");
  // Weights files resolve against the network file's folder; the copy lives elsewhere.
  for (auto& l : j["layers"])
    if (l.contains("weights")) l["weights"] = fs::absolute(l["weights"].get<std::string>()).lexically_normal().string();
  return j;
}

ordered_json SweepPlan::record() const {
  const SweepConfig& c = config_;
  ordered_json r;
  r["sweep_file"] = fs::absolute(c.file).lexically_normal().string();
  r["name"] = c.name;
  r["description"] = c.description;
  r["seed"] = c.seed;
  r["arch"] = c.arch.empty() ? ordered_json(nullptr) : ordered_json(fs::absolute(c.arch).lexically_normal().string());
  r["network"] = c.network.empty() ? ordered_json(nullptr) : ordered_json(fs::absolute(c.network).lexically_normal().string());
  ordered_json axes = ordered_json::array();
  for (const auto& a : c.axes) {
    ordered_json v = ordered_json::array();
    for (const auto& x : a.values) v.push_back(ordered_json::parse(x.dump()));
    axes.push_back({{"path", a.path}, {"values", v}});
  }
  r["axes"] = axes;
  ordered_json groups = ordered_json::array();
  for (const auto& g : c.groups) {
    ordered_json names = ordered_json::array();
    for (size_t a : g) names.push_back(c.axes[a].path);
    groups.push_back(names);
  }
  r["groups"] = groups;
  ordered_json where = ordered_json::array();
  for (const auto& w : c.where) where.push_back(w.text);
  r["filters"] = {{"fits", c.filter_fits}, {"where", where}};
  r["iso"] = c.iso ? ordered_json::parse(c.iso->dump()) : ordered_json(nullptr);
  r["iso_columns"] = iso_columns_;
  ordered_json pts = ordered_json::array();
  for (const auto& p : points_) {
    ordered_json x;
    x["id"] = p.id;
    x["index"] = p.index;
    ordered_json vals = ordered_json::object();
    for (size_t a = 0; a < c.axes.size(); ++a) {
      const SweepAxis& ax = c.axes[a];
      bool file = ax.kind == AxisKind::ArchFile || ax.kind == AxisKind::NetworkFile;
      vals[ax.path] = file ? ordered_json(ax.labels[p.combo[a]]) : ordered_json::parse(ax.values[p.combo[a]].dump());
    }
    x["values"] = vals;
    x["arch"] = p.arch.name;
    x["network"] = p.network.name;
    x["datapath"] = toString(p.arch.datapath);
    x["filtered"] = p.filtered;
    if (p.filtered) x["filter_reason"] = p.filter_reason;
    x["resources"] = {{"lut", p.resources.lut}, {"ff", p.resources.ff}, {"dsp", p.resources.dsp}, {"bram36", p.resources.bram36},
                      {"uram", p.resources.uram}, {"fits", p.fit.fits}, {"binding_resource", p.fit.binding_resource},
                      {"copies_per_part", p.fit.copies_per_part}};
    if (c.iso) {
      x["iso_copies"] = p.iso_copies;
      ordered_json cols = ordered_json::object();
      for (const auto& kv : p.iso_columns) cols[kv.first] = kv.second;
      for (const auto& kv : p.iso_labels) cols[kv.first] = kv.second;
      x["iso"] = cols;
    }
    pts.push_back(x);
  }
  r["points"] = pts;
  return r;
}

}  // namespace sparsesim
