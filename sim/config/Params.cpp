#include "sim/config/Params.h"

#include <cmath>
#include <sstream>

namespace sparsesim {

namespace {
// 65536 reads better than 2^16, 2^20 better than 1048576.
std::string integerDoc(long long v) {
  if (v > 65536 && (v & (v - 1)) == 0) {
    int k = 0;
    while ((1LL << k) < v) ++k;
    return "2^" + std::to_string(k);
  }
  return std::to_string(v);
}

std::string realDoc(double v) {
  if (v != 0 && std::fabs(v) >= 1e5) {
    const double e = std::log10(std::fabs(v));
    if (e == std::floor(e)) return std::string(v < 0 ? "-" : "") + "1e" + std::to_string(static_cast<int>(e));
  }
  std::ostringstream os;
  os << v;
  return os.str();
}
}  // namespace

std::string rangeDocInteger(long long lo, long long hi) { return integerDoc(lo) + ".." + integerDoc(hi); }

std::string rangeDocReal(double lo, double hi, bool loOpen, bool hiOpen) {
  return std::string(loOpen ? "(" : "[") + realDoc(lo) + ", " + realDoc(hi) + (hiOpen ? ")" : "]");
}

std::string rangeDocChoice(const std::vector<std::string>& names) {
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "`" : ", `") + n + "`";
  return s;
}

std::string docValue(const nlohmann::ordered_json& v) {
  if (v.is_number_float()) return realDoc(v.get<double>());
  return v.dump();
}

namespace detail {
std::vector<std::string> splitKey(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t dot = key.find('.', start);
    parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}
}  // namespace detail

}  // namespace sparsesim
