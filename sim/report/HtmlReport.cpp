#include "sim/report/HtmlReport.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

#include "sim/io/Escape.h"
#include "sim/report/Report.h"

namespace sparsesim {

using nlohmann::ordered_json;

namespace {

const char* kStyle =
    "body{font-family:sans-serif;margin:1.5em;color:#222;max-width:1400px}"
    "h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;margin:.5em 0;font-size:.85em}"
    "th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right;vertical-align:top}"
    "th{background:#f0f0f0}td.t,th.t{text-align:left}"
    "tr.bad td{background:#fde}"
    "pre{background:#f6f6f6;padding:.6em;overflow:auto;font-size:.8em;max-height:40em}"
    ".plot svg{max-width:100%;height:auto}.note{color:#666;font-size:.85em}"
    ".scroll{overflow-x:auto}";

std::string h(const std::string& s) { return htmlEscape(s); }

std::string withSeparators(std::string digits) {
  const size_t start = digits[0] == '-' ? 1 : 0;
  for (int i = static_cast<int>(digits.size()) - 3; i > static_cast<int>(start); i -= 3) digits.insert(static_cast<size_t>(i), ",");
  return digits;
}

// A value as table text: integers with thousands separators, reals to 4 significant digits.
std::string fmt(const ordered_json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return h(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_number_integer()) return withSeparators(v.dump());
  if (v.is_number_float()) {
    const double x = v.get<double>();
    // Resource counts are reals holding whole numbers: show them as integers.
    if (x == static_cast<double>(static_cast<long long>(x)) && x > -1e15 && x < 1e15 && (x >= 1000 || x <= -1000 || x == 0))
      return withSeparators(std::to_string(static_cast<long long>(x)));
    char b[48];
    std::snprintf(b, sizeof b, "%.4g", x);
    return b;
  }
  return h(v.dump());
}

const ordered_json& at(const ordered_json& j, std::initializer_list<const char*> path) {
  static const ordered_json null;
  const ordered_json* cur = &j;
  for (const char* k : path) {
    if (!cur->is_object() || !cur->contains(k)) return null;
    cur = &(*cur)[k];
  }
  return *cur;
}

std::string percent(double num, double den) {
  if (den <= 0) return "";
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", 100.0 * num / den);
  return b;
}

double num(const ordered_json& v) { return v.is_number() ? v.get<double>() : 0.0; }

// Issued and useful utilisation of a layer: MACs / (simulated cycles x multipliers).
std::pair<std::string, std::string> utilisation(const ordered_json& layer, double multipliers) {
  const double slots = num(layer.value("simulated_cycles", ordered_json())) * multipliers;
  return {percent(num(layer.value("macs_issued", ordered_json())), slots), percent(num(layer.value("macs_useful", ordered_json())), slots)};
}

std::pair<std::string, std::string> networkUtilisation(const ordered_json& rep) {
  double sim = 0, issued = 0, useful = 0;
  for (const auto& l : at(rep, {"layers"})) {
    sim += num(l.value("simulated_cycles", ordered_json()));
    issued += num(l.value("macs_issued", ordered_json()));
    useful += num(l.value("macs_useful", ordered_json()));
  }
  const double slots = sim * num(at(rep, {"multipliers"}));
  return {percent(issued, slots), percent(useful, slots)};
}

// The largest stall causes of a layer or of the whole network, "cause n, cause n".
std::string topStalls(const std::vector<const ordered_json*>& stallObjects, size_t n) {
  std::vector<std::pair<std::string, double>> sums;
  for (const auto* s : stallObjects) {
    if (!s->is_object()) continue;
    for (auto it = s->begin(); it != s->end(); ++it) {
      auto f = std::find_if(sums.begin(), sums.end(), [&](const auto& p) { return p.first == it.key(); });
      if (f == sums.end()) sums.emplace_back(it.key(), num(it.value()));
      else f->second += num(it.value());
    }
  }
  std::stable_sort(sums.begin(), sums.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (size_t i = 0; i < sums.size() && i < n; ++i) {
    if (sums[i].second <= 0) break;
    out += (out.empty() ? "" : ", ") + h(sums[i].first) + " " + withSeparators(std::to_string(static_cast<long long>(sums[i].second)));
  }
  return out.empty() ? "none" : out;
}

// Every "..._file" or "source..." value in a document: where its constants came from.
void collectSources(const ordered_json& j, const std::string& path, std::vector<std::pair<std::string, std::string>>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string p = path.empty() ? it.key() : path + "." + it.key();
      const std::string& k = it.key();
      const bool named = (k.size() > 5 && k.compare(k.size() - 5, 5, "_file") == 0) || k.rfind("source", 0) == 0 || k == "model";
      if (named && it.value().is_string()) out.emplace_back(p, it.value().get<std::string>());
      else collectSources(it.value(), p, out);
    }
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) collectSources(j[i], path + "[" + std::to_string(i) + "]", out);
  }
}

void sourcesTable(std::ostringstream& o, const ordered_json& rep, const ordered_json& resolved) {
  std::vector<std::pair<std::string, std::string>> src;
  collectSources(resolved, "resolved-config.json", src);
  collectSources(rep, "report.json", src);
  o << "<table><tr><th class=t>field</th><th class=t>source</th></tr>\n";
  for (const auto& [p, v] : src) o << "<tr><td class=t>" << h(p) << "</td><td class=t>" << h(v) << "</td></tr>\n";
  o << "</table>\n";
}

void unitsTable(std::ostringstream& o, const ordered_json& rep) {
  o << "<table><tr><th class=t>quantity</th><th class=t>unit and definition</th></tr>\n";
  const ordered_json& u = at(rep, {"units"});
  if (u.is_object())
    for (auto it = u.begin(); it != u.end(); ++it)
      o << "<tr><td class=t>" << h(it.key()) << "</td><td class=t>" << fmt(it.value()) << "</td></tr>\n";
  o << "<tr><td class=t>utilisation issued / useful</td><td class=t>macs_issued resp. macs_useful / (simulated_cycles x multipliers), in %</td></tr>\n"
    << "<tr><td class=t>lut, ff, dsp, bram36, uram</td><td class=t>6-input LUTs, flip-flops, DSP48E2 slices, 36 Kbit block RAMs, 288 Kbit UltraRAMs of one copy of the design</td></tr>\n"
    << "<tr><td class=t>energy</td><td class=t>J per inference, from the energy table named under Sources</td></tr>\n"
    << "</table>\n";
}

void description(std::ostringstream& o, const char* what, const ordered_json& resolved, const char* key) {
  const ordered_json& d = at(resolved, {key, "description"});
  if (d.is_string() && !d.get<std::string>().empty()) o << "<p><b>" << what << ":</b> " << h(d.get<std::string>()) << "</p>\n";
}

void pre(std::ostringstream& o, const ordered_json& j) { o << "<pre>" << h(j.dump(2)) << "</pre>\n"; }

void plots(std::ostringstream& o, const ReportFolder& f) {
  o << "<h2>Plots</h2>\n";
  if (!f.plot_note.empty()) o << "<p class=note>" << (f.plots.empty() ? "No plots: " : "") << h(f.plot_note) << "</p>\n";
  for (const auto& p : f.plots) o << "<figure class=plot>" << p.svg << "<figcaption class=note>" << h(p.title) << "</figcaption></figure>\n";
}

// The design-level figures of one report, as (label, value) rows.
std::vector<std::pair<std::string, std::string>> summaryRows(const ordered_json& r) {
  auto [ui, uu] = networkUtilisation(r);
  std::vector<const ordered_json*> stalls;
  for (const auto& l : at(r, {"layers"})) stalls.push_back(&at(l, {"stall_cycles"}));
  uint64_t rd = 0, wr = 0;
  for (const auto& l : at(r, {"layers"})) {
    rd += static_cast<uint64_t>(num(l.value("dram_read_bytes", ordered_json())));
    wr += static_cast<uint64_t>(num(l.value("dram_write_bytes", ordered_json())));
  }
  const ordered_json& res = at(r, {"resources"});
  std::string fits = res.is_null() ? "" : (at(res, {"fits"}).is_boolean() && at(res, {"fits"}).get<bool>() ? "yes" : "<b>NO</b>");
  return {
      {"architecture", fmt(at(r, {"arch"}))},
      {"network", fmt(at(r, {"network"}))},
      {"datapath", fmt(at(r, {"datapath"}))},
      {"clock (MHz)", fmt(at(r, {"clock_mhz"}))},
      {"multipliers", fmt(at(r, {"multipliers"}))},
      {"cycles (clock cycles)", fmt(at(r, {"total", "cycles"}))},
      {"latency (s)", fmt(at(r, {"total", "seconds"}))},
      {"inferences/s (1 copy)", fmt(at(r, {"total", "inferences_per_second"}))},
      {"utilisation issued (%)", ui},
      {"utilisation useful (%)", uu},
      {"MACs dense / issued / useful", fmt(at(r, {"total", "macs_dense"})) + " / " + fmt(at(r, {"total", "macs_issued"})) + " / " + fmt(at(r, {"total", "macs_useful"}))},
      {"top stall causes (cycles)", topStalls(stalls, 3)},
      {"DRAM read / write (bytes)", withSeparators(std::to_string(rd)) + " / " + withSeparators(std::to_string(wr))},
      {"FPGA part", fmt(at(res, {"part"}))},
      {"LUT / FF / DSP / BRAM36 / URAM", fmt(at(res, {"lut"})) + " / " + fmt(at(res, {"ff"})) + " / " + fmt(at(res, {"dsp"})) + " / " + fmt(at(res, {"bram36"})) + " / " + fmt(at(res, {"uram"}))},
      {"fits / binding resource / copies per part", fits + " / " + fmt(at(res, {"binding_resource"})) + " / " + fmt(at(res, {"copies_per_part"}))},
      {"energy per inference (J)", fmt(at(r, {"energy", "per_inference_j"}))},
      {"verified against the reference convolution", at(r, {"total", "verified"}).is_boolean() && at(r, {"total", "verified"}).get<bool>() ? "yes" : "<b>NO</b>"},
  };
}

void layerTable(std::ostringstream& o, const ordered_json& r) {
  const double mult = num(at(r, {"multipliers"}));
  o << "<div class=scroll><table><tr><th class=t>layer</th><th class=t>type</th><th>GEMM M x K x N (x groups)</th><th>cycles</th>"
       "<th>simulated cycles</th><th>util. issued (%)</th><th>util. useful (%)</th><th>MACs useful</th><th class=t>top stalls (cycles)</th>"
       "<th>DRAM read (bytes)</th><th>DRAM write (bytes)</th><th>verified</th></tr>\n";
  for (const auto& l : at(r, {"layers"})) {
    const bool ok = l.value("verified", false);
    auto [ui, uu] = utilisation(l, mult);
    const ordered_json& g = at(l, {"gemm"});
    std::string gemm = fmt(at(g, {"M"})) + " x " + fmt(at(g, {"K"})) + " x " + fmt(at(g, {"N"}));
    if (num(at(g, {"groups"})) > 1) gemm += " x " + fmt(at(g, {"groups"}));
    o << "<tr" << (ok ? "" : " class=bad") << "><td class=t>" << fmt(at(l, {"name"})) << "</td><td class=t>" << fmt(at(l, {"type"})) << "</td><td>" << gemm
      << "</td><td>" << fmt(at(l, {"cycles"})) << "</td><td>" << fmt(at(l, {"simulated_cycles"})) << "</td><td>" << ui << "</td><td>" << uu
      << "</td><td>" << fmt(at(l, {"macs_useful"})) << "</td><td class=t>" << topStalls({&at(l, {"stall_cycles"})}, 2) << "</td><td>"
      << fmt(at(l, {"dram_read_bytes"})) << "</td><td>" << fmt(at(l, {"dram_write_bytes"})) << "</td><td>" << (ok ? "yes" : "<b>NO</b>") << "</td></tr>\n";
  }
  o << "</table></div>\n";
}

void renderRun(std::ostringstream& o, const ReportFolder& f) {
  const ordered_json& r = f.reports.front();
  const ordered_json& rc = f.resolved.front();
  description(o, "Architecture", rc, "arch");
  description(o, "Network", rc, "network");
  o << "<h2>Summary</h2>\n<table>\n";
  for (const auto& [k, v] : summaryRows(r)) o << "<tr><th class=t>" << h(k) << "</th><td>" << v << "</td></tr>\n";
  o << "</table>\n<h2>Layers</h2>\n";
  layerTable(o, r);
  plots(o, f);
  o << "<h2>Units</h2>\n";
  unitsTable(o, r);
  o << "<h2>Sources of constants</h2>\n";
  sourcesTable(o, r, rc);
  o << "<h2>Resolved configuration</h2>\n";
  pre(o, rc);
}

void renderCompare(std::ostringstream& o, const ReportFolder& f) {
  o << "<h2>Designs side by side</h2>\n<div class=scroll><table><tr><th class=t></th>";
  for (const auto& l : f.labels) o << "<th>" << h(l) << "</th>";
  o << "</tr>\n";
  std::vector<std::vector<std::pair<std::string, std::string>>> cols;
  for (const auto& r : f.reports) cols.push_back(summaryRows(r));
  for (size_t row = 0; row < cols.front().size(); ++row) {
    o << "<tr><th class=t>" << h(cols.front()[row].first) << "</th>";
    for (const auto& c : cols) o << "<td>" << c[row].second << "</td>";
    o << "</tr>\n";
  }
  o << "</table></div>\n<h2>Cycles per layer (clock cycles)</h2>\n<div class=scroll><table><tr><th class=t>layer</th>";
  for (const auto& l : f.labels) o << "<th>" << h(l) << "</th>";
  o << "</tr>\n";
  const ordered_json& first = at(f.reports.front(), {"layers"});
  for (size_t i = 0; i < first.size(); ++i) {
    o << "<tr><td class=t>" << fmt(at(first[i], {"name"})) << "</td>";
    for (const auto& r : f.reports) {
      const ordered_json& ls = at(r, {"layers"});
      o << "<td>" << (i < ls.size() ? fmt(at(ls[i], {"cycles"})) : std::string()) << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</table></div>\n";
  plots(o, f);
  o << "<h2>Units</h2>\n";
  unitsTable(o, f.reports.front());
  for (size_t i = 0; i < f.reports.size(); ++i) {
    o << "<h2>" << h(f.labels[i]) << "</h2>\n";
    description(o, "Architecture", f.resolved[i], "arch");
    description(o, "Network", f.resolved[i], "network");
    o << "<h3>Layers</h3>\n";
    layerTable(o, f.reports[i]);
    o << "<h3>Sources of constants</h3>\n";
    sourcesTable(o, f.reports[i], f.resolved[i]);
    o << "<details><summary>Resolved configuration</summary>\n";
    pre(o, f.resolved[i]);
    o << "</details>\n";
  }
}

void renderSweep(std::ostringstream& o, const ReportFolder& f) {
  const ordered_json& d = at(f.record, {"description"});
  if (d.is_string() && !d.get<std::string>().empty()) o << "<p><b>Sweep:</b> " << h(d.get<std::string>()) << "</p>\n";
  const ordered_json& cols = at(f.results, {"columns"});
  const ordered_json& rows = at(f.results, {"rows"});
  size_t ok = 0, bad = 0;
  for (const auto& r : rows) (r.value("status", std::string()) == "ok" ? ok : bad) += 1;
  o << "<p>" << rows.size() << " points in the table (" << ok << " ok, " << bad << " not ok); columns and units as in results.csv "
       "(seconds in s, energy in J, resources of one copy, utilisation as a fraction).</p>\n";
  o << "<h2>Results</h2>\n<div class=scroll><table><tr>";
  for (const auto& c : cols) o << "<th>" << fmt(c) << "</th>";
  o << "</tr>\n";
  for (const auto& r : rows) {
    const bool ok1 = r.value("status", std::string()) == "ok";
    o << "<tr" << (ok1 ? "" : " class=bad") << ">";
    for (const auto& c : cols) {
      const ordered_json& v = c.is_string() && r.contains(c.get<std::string>()) ? r[c.get<std::string>()] : ordered_json();
      o << "<td" << (v.is_string() ? " class=t" : "") << ">" << fmt(v) << "</td>";
    }
    o << "</tr>\n";
  }
  o << "</table></div>\n";
  plots(o, f);
  o << "<h2>Sources of constants</h2>\n<p>The sweep file, and every distinct source the finished points' reports and resolved "
       "configurations name (field paths with the point of first use).</p>\n";
  std::vector<std::pair<std::string, std::string>> src;
  collectSources(f.record, "sweep.json", src);
  for (size_t i = 0; i < f.reports.size(); ++i) {
    std::vector<std::pair<std::string, std::string>> more;
    collectSources(f.resolved[i], "points/" + f.labels[i] + "/resolved-config.json", more);
    collectSources(f.reports[i], "points/" + f.labels[i] + "/report.json", more);
    for (auto& m : more)
      if (std::none_of(src.begin(), src.end(), [&](const auto& x) { return x.second == m.second; })) src.push_back(m);
  }
  o << "<table><tr><th class=t>field</th><th class=t>source</th></tr>\n";
  for (const auto& [p, v] : src) o << "<tr><td class=t>" << h(p) << "</td><td class=t>" << h(v) << "</td></tr>\n";
  o << "</table>\n<h2>Sweep plan (sweep.json)</h2>\n<details><summary>axes and points</summary>\n";
  pre(o, f.record);
  o << "</details>\n";
}

}  // namespace

std::string HtmlReport::render(const ReportFolder& f) {
  std::ostringstream o;
  const char* kind = f.kind == ReportFolder::Kind::Run ? "run" : f.kind == ReportFolder::Kind::Compare ? "compare" : "sweep";
  std::string title;
  auto text = [](const ordered_json& v) { return v.is_string() ? v.get<std::string>() : v.is_null() ? std::string() : v.dump(); };
  if (f.kind == ReportFolder::Kind::Run) title = text(at(f.reports.front(), {"network"})) + " on " + text(at(f.reports.front(), {"arch"}));
  else if (f.kind == ReportFolder::Kind::Sweep) title = text(at(f.results, {"sweep"}));
  else title = std::to_string(f.reports.size()) + " designs";
  o << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"
       "<title>sparsesim " << kind << ": " << h(title) << "</title><style>" << kStyle << "</style></head><body>\n"
    << "<h1>sparsesim " << kind << " report: " << h(title) << "</h1>\n"
    << "<p class=note>Written by <code>sparsesim report</code> " << h(sparsesimVersion()) << " from the folder " << h(f.dir) << ".</p>\n";
  if (f.kind == ReportFolder::Kind::Run) renderRun(o, f);
  else if (f.kind == ReportFolder::Kind::Compare) renderCompare(o, f);
  else renderSweep(o, f);
  o << "</body></html>\n";
  return o.str();
}

std::string inlineSvg(const std::string& svgFile) {
  std::ifstream in(svgFile, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t start = text.find("<svg");
  if (start == std::string::npos) return "";
  text = text.substr(start);
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // matplotlib writes neither scripts, handlers nor links to other files; refuse anything that does.
  for (const char* bad : {"<script", "javascript:", "<foreignobject", " onload", " onerror", " onclick", " onmouse", "href=\"http", "<iframe"})
    if (lower.find(bad) != std::string::npos) return "";
  return text;
}

}  // namespace sparsesim
