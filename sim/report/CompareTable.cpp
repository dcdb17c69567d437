#include "sim/report/CompareTable.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>
#include <map>
#include <set>

namespace sparsesim {

using nlohmann::json;

std::string withThousands(uint64_t v) {
  std::string s = std::to_string(v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

namespace {

constexpr size_t kRowLabelWidth = 28;
constexpr size_t kMaxColumnWidth = 28;

std::string fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

// Rates at or above 1000 read best as whole numbers with separators; smaller ones keep 4 digits.
std::string rate(double v) { return v >= 1000 ? withThousands(static_cast<uint64_t>(v + 0.5)) : fmt("%.4g", v); }

std::string clip(const std::string& s, size_t w) { return s.size() > w ? s.substr(0, w - 1) + "~" : s; }

// Per design: the sums over layers the totals section of report.json does not hold.
struct DesignSums {
  uint64_t simulated_cycles = 0, macs_issued = 0, macs_useful = 0, dram_read = 0, dram_write = 0;
  std::map<std::string, uint64_t> stalls;
};

DesignSums sums(const json& r) {
  DesignSums s;
  for (const auto& l : r["layers"]) {
    s.simulated_cycles += l["simulated_cycles"].get<uint64_t>();
    s.macs_issued += l["macs_issued"].get<uint64_t>();
    s.macs_useful += l["macs_useful"].get<uint64_t>();
    s.dram_read += l["dram_read_bytes"].get<uint64_t>();
    s.dram_write += l["dram_write_bytes"].get<uint64_t>();
    for (const auto& [cause, n] : l["stall_cycles"].items()) s.stalls[cause] += n.get<uint64_t>();
  }
  return s;
}

}  // namespace

void printCompareTable(const std::vector<CompareColumn>& designs, const std::string& networkFile, std::ostream& os) {
  std::vector<DesignSums> s;
  for (const auto& d : designs) s.push_back(sums(d.report));
  std::vector<size_t> width;
  for (const auto& d : designs) {
    const bool fits = d.report["resources"]["fits"].get<bool>();
    width.push_back(std::max<size_t>(14, std::min(kMaxColumnWidth, d.label.size() + (fits ? 0 : 2))) + 2);
  }
  auto row = [&](const std::string& label, auto cell) {
    os << std::left << std::setw(static_cast<int>(kRowLabelWidth)) << clip(label, kRowLabelWidth - 1);
    for (size_t i = 0; i < designs.size(); ++i) os << std::right << std::setw(static_cast<int>(width[i])) << clip(cell(i), width[i] - 2);
    os << "\n";
  };

  os << "network " << networkFile << ": " << designs.size() << " designs, one column each (cycles and stall cycles at each design's own clock;\n"
     << "constants from each architecture file and the tables it names; * = does not fit its FPGA part)\n\n";
  row("", [&](size_t i) {
    return designs[i].report["resources"]["fits"].get<bool>() ? designs[i].label : "* " + designs[i].label;
  });
  const json& first = designs.front().report["layers"];
  for (size_t l = 0; l < first.size(); ++l)
    row(first[l]["name"].get<std::string>() + " cycles", [&](size_t i) {
      const json& x = designs[i].report["layers"][l];
      return withThousands(x["cycles"].get<uint64_t>()) + (x["verified"].get<bool>() ? "" : " !");
    });
  row("total cycles", [&](size_t i) { return withThousands(designs[i].report["total"]["cycles"].get<uint64_t>()); });
  row("clock (MHz)", [&](size_t i) { return fmt("%.6g", designs[i].report["clock_mhz"].get<double>()); });
  row("inferences/s", [&](size_t i) { return rate(designs[i].report["total"]["inferences_per_second"].get<double>()); });
  row("multipliers", [&](size_t i) { return withThousands(designs[i].report.value("multipliers", uint64_t(0))); });
  auto util = [&](size_t i, uint64_t macs) {
    const double slots = double(s[i].simulated_cycles) * double(designs[i].report.value("multipliers", uint64_t(0)));
    return fmt("%.1f", slots > 0 ? 100.0 * double(macs) / slots : 0.0);
  };
  row("util issued (% of MACs)", [&](size_t i) { return util(i, s[i].macs_issued); });
  row("util useful (% of MACs)", [&](size_t i) { return util(i, s[i].macs_useful); });
  // The largest causes of each design, listed for every design so the columns line up.
  std::set<std::string> causes;
  for (const auto& d : s) {
    std::vector<std::pair<uint64_t, std::string>> byCount;
    for (const auto& [c, n] : d.stalls)
      if (n > 0) byCount.emplace_back(n, c);
    std::sort(byCount.rbegin(), byCount.rend());
    for (size_t k = 0; k < byCount.size() && k < kCompareTopStalls; ++k) causes.insert(byCount[k].second);
  }
  for (const auto& c : causes)
    row("stall " + c, [&](size_t i) {
      auto it = s[i].stalls.find(c);
      return it == s[i].stalls.end() ? std::string("-") : withThousands(it->second);
    });
  row("DRAM read (bytes)", [&](size_t i) { return withThousands(s[i].dram_read); });
  row("DRAM write (bytes)", [&](size_t i) { return withThousands(s[i].dram_write); });
  row("FPGA part", [&](size_t i) { return designs[i].report["resources"]["part"].get<std::string>(); });
  row("fits", [&](size_t i) { return designs[i].report["resources"]["fits"].get<bool>() ? std::string("yes") : std::string("NO"); });
  row("binding resource", [&](size_t i) { return designs[i].report["resources"]["binding_resource"].get<std::string>(); });
  row("copies per part", [&](size_t i) { return withThousands(static_cast<uint64_t>(std::max<long long>(0, designs[i].report["resources"]["copies_per_part"].get<long long>()))); });
  row("energy/inference (uJ)", [&](size_t i) { return fmt("%.4g", 1e6 * designs[i].report["energy"]["per_inference_j"].get<double>()); });
  row("verified", [&](size_t i) { return designs[i].report["total"]["verified"].get<bool>() ? std::string("yes") : std::string("NO"); });
  os << "\n";
  for (const auto& d : designs) {
    const bool fits = d.report["resources"]["fits"].get<bool>();
    os << (fits ? "" : "* ") << d.label << " (" << d.arch_file << ", energy table " << d.report["energy"]["table"].get<std::string>()
       << (fits ? "" : "; does not fit " + d.report["resources"]["part"].get<std::string>() + ", binding " +
                           d.report["resources"]["binding_resource"].get<std::string>())
       << "): " << d.report_file << "\n";
  }
}

}  // namespace sparsesim
