#include "sim/sweep/SweepConfig.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "sim/config/ConfigLoader.h"
#include "sim/config/JsonReader.h"
#include "sim/config/Names.h"
#include "sim/core/CheckedSize.h"
#include "sim/io/InputFile.h"
#include "sim/run/Runner.h"

namespace sparsesim {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Sweeps with more points than this are almost certainly a typo in a range.
constexpr size_t kMaxAxisValues = 100000;

// A value count computed in floating point, for a message: exact when it is an integer that a
// long long holds, else in scientific notation (never a wrapped integer), "more than 1e308" for inf.
std::string approxCount(double n) {
  if (!std::isfinite(n)) return "more than 1e308";
  if (n < 9e15) return std::to_string(static_cast<long long>(n));
  char b[32];
  std::snprintf(b, sizeof b, "about %.3g", n);
  return b;
}

std::string axisPath(const std::string& key) { return "axes[\"" + key + "\"]"; }

// Decimal steps (0.1) accumulate binary error: 12 significant digits give 0.3, not 0.30000000000000004.
double roundSignificant(double x) {
  char b[40];
  std::snprintf(b, sizeof b, "%.12g", x);
  return std::stod(b);
}

void checkArchPath(const std::string& key, const std::string& file) {
  if (key.find('=') != std::string::npos || key.find_first_of("[] ") != std::string::npos)
    throw ConfigError(file, axisPath(key), "not a JSON path of the architecture (network paths start with \"layers[\")");
  size_t start = 0;
  for (;;) {
    size_t dot = key.find('.', start);
    if (key.substr(start, dot == std::string::npos ? std::string::npos : dot - start).empty())
      throw ConfigError(file, axisPath(key), "empty component in the path");
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
}

std::string resolveAgainst(const std::string& sweepFile, const std::string& p) {
  fs::path x(p);
  return (x.is_absolute() ? x : fs::path(sweepFile).parent_path() / x).lexically_normal().string();
}

std::string requireFile(const std::string& sweepFile, const std::string& path, const std::string& value) {
  if (value.empty()) throw ConfigError(sweepFile, path, "must not be empty");
  std::string r = resolveAgainst(sweepFile, value);
  std::error_code ec;
  if (!fs::exists(r, ec))
    throw ConfigError(sweepFile, path, "no such file \"" + r + "\" (paths are relative to the sweep file's folder)");
  try {
    checkInputFile(r, kMaxJsonFileBytes);
  } catch (const ConfigError& e) {
    throw ConfigError(sweepFile, path, "\"" + r + "\": " + e.reason());
  }
  return r;
}

SweepAxis readAxis(const std::string& key, const json& v, const std::string& file) {
  SweepAxis a;
  a.path = key;
  const std::string where = axisPath(key);
  if (key.empty()) throw ConfigError(file, where, "empty axis path");
  if (key == "arch") a.kind = AxisKind::ArchFile;
  else if (key == "network") a.kind = AxisKind::NetworkFile;
  else if (isNetworkPath(key)) a.kind = AxisKind::Network;
  else { a.kind = AxisKind::Arch; checkArchPath(key, file); }

  std::vector<json> values;
  if (v.is_array()) {
    if (v.empty()) throw ConfigError(file, where, "must not be empty (an axis needs at least one value)");
    values.assign(v.begin(), v.end());
  } else if (v.is_object()) {
    values = expandRange(v, file, where);
  } else {
    throw ConfigError(file, where, std::string("expected a list of values or a range object {\"from\", \"to\", \"step\"}, got ") + v.type_name());
  }
  if (values.size() > kMaxAxisValues)
    throw ConfigError(file, where, "has " + std::to_string(values.size()) + " values; at most " + std::to_string(kMaxAxisValues));
  for (size_t i = 0; i < values.size(); ++i) {
    const json& x = values[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    bool file_axis = a.kind == AxisKind::ArchFile || a.kind == AxisKind::NetworkFile;
    if (file_axis && !x.is_string()) throw ConfigError(file, at, std::string("expected a file name, got ") + x.type_name());
    if (!(x.is_number() || x.is_string() || x.is_boolean()))
      throw ConfigError(file, at, std::string("expected a number, string or boolean, got ") + x.type_name());
    a.labels.push_back(axisLabel(x));
    a.values.push_back(file_axis ? json(requireFile(file, at, x.get<std::string>())) : x);
  }
  return a;
}

size_t axisIndex(const SweepConfig& c, const std::string& name, const std::string& path) {
  std::vector<std::string> names;
  for (size_t i = 0; i < c.axes.size(); ++i) {
    if (c.axes[i].path == name) return i;
    names.push_back(c.axes[i].path);
  }
  std::string hint = closestKey(name, names);
  throw ConfigError(c.file, path, "\"" + name + "\" is not an axis of this sweep" + (hint.empty() ? std::string() : " (did you mean \"" + hint + "\"?)"));
}

void readZip(SweepConfig& c, const json& zip) {
  if (!zip.is_array()) throw ConfigError(c.file, "zip", std::string("expected a list of axis groups, got ") + zip.type_name());
  std::map<size_t, size_t> groupOf;  // axis -> zip group
  std::vector<std::vector<size_t>> zipped;
  for (size_t g = 0; g < zip.size(); ++g) {
    const std::string gp = "zip[" + std::to_string(g) + "]";
    const json& grp = zip[g];
    if (!grp.is_array() || grp.size() < 2) throw ConfigError(c.file, gp, "expected a list of at least two axis paths");
    std::vector<size_t> members;
    for (size_t k = 0; k < grp.size(); ++k) {
      const std::string kp = gp + "[" + std::to_string(k) + "]";
      if (!grp[k].is_string()) throw ConfigError(c.file, kp, std::string("expected an axis path, got ") + grp[k].type_name());
      size_t ai = axisIndex(c, grp[k].get<std::string>(), kp);
      if (groupOf.count(ai)) throw ConfigError(c.file, kp, "axis \"" + c.axes[ai].path + "\" is already in a zip group");
      groupOf[ai] = g;
      if (c.axes[ai].values.size() != c.axes[members.empty() ? ai : members.front()].values.size())
        throw ConfigError(c.file, kp, "zipped axes need the same number of values: \"" + c.axes[members.front()].path + "\" has " +
                                           std::to_string(c.axes[members.front()].values.size()) + ", \"" + c.axes[ai].path + "\" has " +
                                           std::to_string(c.axes[ai].values.size()));
      members.push_back(ai);
    }
    zipped.push_back(members);
  }
  // Groups follow the file order of their first axis, so the product order is the file order.
  std::set<size_t> emitted;
  for (size_t i = 0; i < c.axes.size(); ++i) {
    auto it = groupOf.find(i);
    if (it == groupOf.end()) { c.groups.push_back({i}); continue; }
    if (emitted.insert(it->second).second) c.groups.push_back(zipped[it->second]);
  }
}

// Each point must be distinct: an axis of its own may not repeat a value; a zip group may repeat
// a value on one axis as long as the groups' tuples differ ({16, 8}, {16, 32}).
void checkDistinctValues(const SweepConfig& c) {
  for (const auto& g : c.groups) {
    std::map<std::string, size_t> seen;
    for (size_t v = 0; v < c.axes[g.front()].values.size(); ++v) {
      std::string tuple;
      for (size_t a : g) tuple += c.axes[a].values[v].dump() + "\n";
      auto [it, fresh] = seen.emplace(tuple, v);
      if (fresh) continue;
      if (g.size() == 1)
        throw ConfigError(c.file, axisPath(c.axes[g.front()].path) + "[" + std::to_string(v) + "]",
                          "duplicate value " + c.axes[g.front()].values[v].dump() + " (each point must be distinct)");
      std::string names, vals;
      for (size_t a : g) {
        names += (names.empty() ? "" : ", ") + c.axes[a].path;
        vals += (vals.empty() ? "" : ", ") + c.axes[a].values[v].dump();
      }
      throw ConfigError(c.file, "zip", "the zipped axes (" + names + ") repeat the tuple (" + vals + ") at positions " +
                                           std::to_string(it->second) + " and " + std::to_string(v) + " (each point must be distinct)");
    }
  }
}

// The product is computed, never enumerated, so a sweep of 1e12 points is refused at once.
void checkPointCount(const SweepConfig& c) {
  uint64_t points = 1;
  bool overflow = false;
  std::string factors;
  for (const auto& g : c.groups) {
    const uint64_t n = c.axes[g.front()].values.size();
    factors += (factors.empty() ? "" : " x ") + std::to_string(n);
    auto p = checkedMul(points, n);
    if (!p) overflow = true;
    else points = *p;
  }
  if (!overflow && points <= kMaxSweepPoints) return;
  throw ConfigError(c.file, "axes", "the sweep has " + (overflow ? std::string("more than 2^64") : std::to_string(points)) + " points (" + factors +
                                        " values per axis or zip group); at most " + std::to_string(kMaxSweepPoints));
}

SweepCondition readCondition(const SweepConfig& c, const json& e, const std::string& path) {
  if (!e.is_string()) throw ConfigError(c.file, path, std::string("expected a condition string such as \"array.rows >= array.cols\", got ") + e.type_name());
  SweepCondition cond;
  cond.text = e.get<std::string>();
  static const char* kOps[] = {"<=", ">=", "==", "!=", "<", ">"};
  size_t at = std::string::npos;
  for (const char* op : kOps) {
    size_t p = cond.text.find(op);
    if (p != std::string::npos && (at == std::string::npos || p < at || (p == at && std::string(op).size() > cond.op.size()))) {
      at = p;
      cond.op = op;
    }
  }
  if (at == std::string::npos) throw ConfigError(c.file, path, "no comparison operator (one of == != < <= > >=) in \"" + cond.text + "\"");
  auto trim = [](std::string s) {
    size_t b = s.find_first_not_of(" \t"), e2 = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e2 - b + 1);
  };
  std::string lhs = trim(cond.text.substr(0, at)), rhs = trim(cond.text.substr(at + cond.op.size()));
  if (lhs.empty() || rhs.empty()) throw ConfigError(c.file, path, "expected \"<axis path> <op> <axis path or value>\", got \"" + cond.text + "\"");
  cond.lhs = axisIndex(c, lhs, path);
  for (size_t i = 0; i < c.axes.size(); ++i)
    if (c.axes[i].path == rhs) cond.rhs_axis = i;
  if (!cond.rhs_axis) {
    cond.rhs_literal = json::parse(rhs, nullptr, false);
    if (cond.rhs_literal.is_discarded() || !(cond.rhs_literal.is_number() || cond.rhs_literal.is_string() || cond.rhs_literal.is_boolean()))
      throw ConfigError(c.file, path, "\"" + rhs + "\" is neither an axis nor a literal (a number, a \"quoted string\", true or false)");
    if (cond.op != "==" && cond.op != "!=" && !cond.rhs_literal.is_number())
      throw ConfigError(c.file, path, "operator " + cond.op + " compares numbers; \"" + rhs + "\" is not a number");
  }
  return cond;
}

}  // namespace

std::string axisLabel(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::vector<json> expandRange(const json& r, const std::string& file, const std::string& path) {
  JsonReader rr(r, file, path);
  const bool geometric = rr.has("times");
  if (geometric == rr.has("step")) rr.fail("", "a range has \"from\", \"to\" and exactly one of \"step\" (arithmetic) or \"times\" (geometric)");
  double from = rr.real("from", std::nullopt, -1e15, 1e15);
  double to = rr.real("to", std::nullopt, -1e15, 1e15);
  const json& jf = r["from"];
  bool ints = jf.is_number_integer() && r["to"].is_number_integer();
  if (to < from) rr.fail("to", "is smaller than \"from\"");
  std::vector<json> out;
  if (!geometric) {
    double step = rr.real("step", std::nullopt, 0.0, 1e15, true, false);
    ints = ints && r["step"].is_number_integer();
    double n = std::floor((to - from) / step + 1e-9) + 1;
    if (!(n <= double(kMaxAxisValues))) rr.fail("step", "gives " + approxCount(n) + " values; at most " + std::to_string(kMaxAxisValues));
    for (long long i = 0; i < (long long)n; ++i) {
      double v = roundSignificant(from + double(i) * step);
      out.push_back(ints ? json((long long)std::llround(v)) : json(v));
    }
  } else {
    if (from <= 0) rr.fail("from", "a geometric range (\"times\") starts above 0");
    double times = rr.real("times", std::nullopt, 1.0, 1e6, true, false);
    ints = ints && r["times"].is_number_integer();
    for (double v = from; v <= to * (1 + 1e-9); v = roundSignificant(v * times)) {
      if (out.size() >= kMaxAxisValues) rr.fail("times", "gives more than " + std::to_string(kMaxAxisValues) + " values");
      out.push_back(ints ? json((long long)std::llround(v)) : json(v));
    }
  }
  rr.finish();
  return out;
}

SweepConfig loadSweepConfig(const std::string& file) {
  // The text, not only the parsed JSON: its key order is the order of the axes.
  return sweepConfigFromText(readInputFile(file, kMaxJsonFileBytes), file);
}

SweepConfig sweepConfigFromText(const std::string& text, const std::string& file) {
  json j = parseJsonText(text, file);
  JsonReader top(j, file, "");
  SweepConfig c;
  c.file = file;
  c.name = top.string("name", fs::path(file).stem().string());
  if (c.name.empty()) top.fail("name", "must not be empty");
  if (std::string why = nameProblem(c.name); !why.empty()) top.fail("name", why + (top.has("name") ? "" : " (the name defaults to the sweep file's name: give \"name\")"));
  c.description = top.string("description", std::string());
  c.seed = static_cast<uint64_t>(top.integer("seed", static_cast<int>(kDefaultSeed), 0, 2147483647));

  JsonReader axes = top.object("axes");
  // nlohmann::json sorts keys; the ordered parse recovers the order the user wrote.
  nlohmann::ordered_json oj = nlohmann::ordered_json::parse(text);
  if (oj["axes"].empty()) top.fail("axes", "must name at least one axis");
  for (auto it = oj["axes"].begin(); it != oj["axes"].end(); ++it) {
    axes.allow(it.key());
    c.axes.push_back(readAxis(it.key(), j["axes"][it.key()], file));
  }

  bool archAxis = false, netAxis = false;
  for (const auto& a : c.axes) {
    archAxis = archAxis || a.kind == AxisKind::ArchFile;
    netAxis = netAxis || a.kind == AxisKind::NetworkFile;
  }
  if (archAxis && top.has("arch")) top.fail("arch", "given both as a base file and as an axis; keep one");
  if (netAxis && top.has("network")) top.fail("network", "given both as a base file and as an axis; keep one");
  if (!archAxis) c.arch = requireFile(file, "arch", top.string("arch", std::nullopt));
  if (!netAxis) c.network = requireFile(file, "network", top.string("network", std::nullopt));

  top.allow("zip");
  if (j.contains("zip")) readZip(c, j["zip"]);
  else for (size_t i = 0; i < c.axes.size(); ++i) c.groups.push_back({i});
  checkDistinctValues(c);
  checkPointCount(c);

  if (auto f = top.optionalObject("filters")) {
    f->allow("fits");
    if (f->has("fits")) {
      const json& v = j["filters"]["fits"];
      if (!v.is_boolean()) f->fail("fits", std::string("expected true or false, got ") + v.type_name());
      c.filter_fits = v.get<bool>();
    }
    f->allow("where");
    if (f->has("where")) {
      const json& w = j["filters"]["where"];
      if (!w.is_array()) f->fail("where", std::string("expected a list of conditions, got ") + w.type_name());
      for (size_t i = 0; i < w.size(); ++i) c.where.push_back(readCondition(c, w[i], "filters.where[" + std::to_string(i) + "]"));
    }
    f->finish();
  }
  top.allow("iso");
  if (j.contains("iso")) {
    if (!j["iso"].is_object()) top.fail("iso", std::string("expected an object, got ") + j["iso"].type_name());
    c.iso = j["iso"];
  }
  top.finish();
  return c;
}

}  // namespace sparsesim
