#include "sim/config/ScaleSimTopology.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>

#include "sim/config/Names.h"
#include "sim/core/ConfigError.h"
#include "sim/io/InputFile.h"

namespace sparsesim {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// The largest dimension a network file accepts (ConfigLoader's kMaxDim).
constexpr long long kMaxDim = 1 << 20;
// Layers one topology may expand to (a DP row is one layer per channel): MobileNet's rows give a
// few thousand; the bound keeps a hostile file from building millions.
constexpr size_t kMaxLayers = 16384;

std::string trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// SCALE-Sim splits rows on every comma (no quoting), and so does this reader.
std::vector<std::string> splitFields(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    out.push_back(trim(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

enum class Form { Conv, Gemm };

// The shape columns of each form after the layer name, as SCALE-Sim's header names them.
const std::vector<std::string>& shapeColumns(Form f) {
  static const std::vector<std::string> conv = {"IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width",
                                                "Channels", "Num Filter", "Strides"};
  static const std::vector<std::string> gemm = {"M", "N", "K"};
  return f == Form::Conv ? conv : gemm;
}

struct Reader {
  explicit Reader(const std::string& f) : file(f) {}
  const std::string& file;
  ScaleSimTopology out;
  Form form = Form::Conv;
  bool strideWidthColumn = false;  // SCALE-Sim's own writer emits "Stride height, Stride width"
  std::vector<std::string> header;
  std::map<std::string, int> firstLine;  // layer name -> line it was defined on
  std::set<std::string> used;
  int extraRows = 0;
  std::vector<int> bareRows;
  int renamed = 0;

  std::string where(int line, size_t col) const {
    std::string name = col == 0 ? (form == Form::Conv ? "Layer name" : "Layer")
                                : col <= shapeColumns(form).size() ? shapeColumns(form)[col - 1] : "Stride width";
    return "line " + std::to_string(line) + ", column " + std::to_string(col + 1) + " (" + name + ")";
  }
  [[noreturn]] void fail(int line, size_t col, const std::string& why) const { throw ConfigError(file, where(line, col), why); }

  void readHeader(const std::string& text) {
    header = splitFields(text);
    const std::string second = header.size() > 1 ? lower(header[1]) : "";
    if (second == "m") {
      form = Form::Gemm;
      for (size_t c = 1; c <= 3; ++c)
        if (header.size() <= c || lower(header[c]) != lower(shapeColumns(form)[c - 1]))
          fail(1, c, "a GEMM topology header reads \"Layer, M, N, K,\"; this column is \"" +
                         (header.size() > c ? header[c] : std::string()) + "\"");
    } else if (second.find("ifmap") != std::string::npos) {
      form = Form::Conv;
      if (header.size() < 8) fail(1, header.size(), "a conv topology header has 8 columns up to Strides; this one has " + std::to_string(header.size()));
      strideWidthColumn = header.size() > 8 && lower(header[8]) == "stride width";
    } else {
      throw ConfigError(file, "line 1", "not a SCALE-Sim topology header: expected \"Layer name, IFMAP Height, IFMAP Width, "
                                        "Filter Height, Filter Width, Channels, Num Filter, Strides,\" (conv) or "
                                        "\"Layer, M, N, K,\" (GEMM)");
    }
  }

  int number(const std::vector<std::string>& f, int line, size_t col) const {
    if (col >= f.size() || f[col].empty()) fail(line, col, "missing value");
    const std::string& s = f[col];
    if (!std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      fail(line, col, "\"" + s + "\" is not a whole number");
    if (s.size() > 8 || std::stoll(s) > kMaxDim) fail(line, col, s + " exceeds " + std::to_string(kMaxDim));
    const int v = std::stoi(s);
    if (v < 1) fail(line, col, "must be at least 1");
    return v;
  }

  // A network layer name: SCALE-Sim's names may hold spaces and quotes and repeat; ours may not.
  std::string layerName(const std::string& raw, int line) {
    std::string n = raw;
    for (char& c : n)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-')) c = '_';
    while (!n.empty() && (n[0] == '.' || n[0] == '-')) n[0] = '_';
    if (n.size() > kMaxNameLength) n.resize(kMaxNameLength);
    std::string unique = n;
    for (int k = 2; used.count(unique); ++k) {
      std::string suffix = "_" + std::to_string(k);
      unique = n.substr(0, std::min(n.size(), kMaxNameLength - suffix.size())) + suffix;
    }
    if (unique != raw) {
      ++renamed;
      out.notes.push_back("line " + std::to_string(line) + ": layer \"" + raw + "\" is named \"" + unique + "\" (" +
                          (used.count(n) ? "the name repeats line " + std::to_string(firstLine[n]) : std::string(kNameRule)) + ")");
    }
    used.insert(unique);
    firstLine.emplace(n, line);
    return unique;
  }

  void readRow(const std::string& text, int line) {
    std::vector<std::string> f = splitFields(text);
    if (std::all_of(f.begin(), f.end(), [](const std::string& s) { return s.empty(); })) {
      bareRows.push_back(line);
      return;
    }
    if (f[0].empty()) fail(line, 0, "missing layer name");
    const size_t shapeEnd = 1 + shapeColumns(form).size() + (strideWidthColumn ? 1 : 0);
    std::vector<int> v;
    for (size_t c = 1; c < shapeEnd; ++c) v.push_back(number(f, line, c));
    if (std::any_of(f.begin() + std::min(f.size(), shapeEnd), f.end(), [](const std::string& s) { return !s.empty(); })) ++extraRows;
    if (form == Form::Gemm) {
      // SCALE-Sim's GEMM mode runs M x K times K x N as a layer of an M x K ifmap, a 1 x K filter,
      // one channel and N filters: M output pixels, a window of K, N columns (topology_utils.py,
      // load_arrays_gemm). The linear layer is that GEMM: in_h = M rows, in_channels = K.
      out.network["layers"].push_back({{"name", layerName(f[0], line)}, {"type", "linear"}, {"in_channels", v[2]},
                                       {"out_channels", v[1]}, {"in_h", v[0]}, {"weight_sparsity", 0.0},
                                       {"activation_density", 1.0}});
      return;
    }
    const int inH = v[0], inW = v[1], kH = v[2], kW = v[3], channels = v[4], filters = v[5], stride = v[6];
    if (strideWidthColumn && v[7] != stride)
      fail(line, 8, "stride width " + std::to_string(v[7]) + " differs from stride height " + std::to_string(stride) +
                        "; a layer has one stride for both dimensions");
    // SCALE-Sim refuses these too (its "Filter height cannot be larger than IFMAP height").
    if (kH > inH) fail(line, 3, "Filter Height " + std::to_string(kH) + " exceeds IFMAP Height " + std::to_string(inH) + " (no padding)");
    if (kW > inW) fail(line, 4, "Filter Width " + std::to_string(kW) + " exceeds IFMAP Width " + std::to_string(inW) + " (no padding)");
    auto conv = [&](const std::string& name, int c) {
      return json{{"name", name}, {"type", "conv2d"}, {"in_channels", c}, {"out_channels", filters}, {"in_h", inH},
                  {"in_w", inW}, {"kernel_h", kH}, {"kernel_w", kW}, {"stride", stride}, {"padding", 0},
                  {"weight_sparsity", 0.0}, {"activation_density", 1.0}};
    };
    // SCALE-Sim's rule for depthwise layers: a name containing "DP" runs as one single-channel
    // layer per channel, named <name>Channel_<i> (topology_utils.py, load_arrays_conv).
    if (f[0].find("DP") != std::string::npos) {
      if (out.network["layers"].size() + channels > kMaxLayers)
        fail(line, 5, "a DP row becomes one layer per channel: " + std::to_string(channels) + " more layers exceed " +
                          std::to_string(kMaxLayers) + " in one topology");
      out.notes.push_back("line " + std::to_string(line) + ": \"" + f[0] + "\" contains \"DP\": as in SCALE-Sim, " +
                          std::to_string(channels) + " single-channel layers " + f[0] + "Channel_0.." +
                          std::to_string(channels - 1));
      for (int c = 0; c < channels; ++c) out.network["layers"].push_back(conv(layerName(f[0] + "Channel_" + std::to_string(c), line), 1));
      return;
    }
    out.network["layers"].push_back(conv(layerName(f[0], line), channels));
  }

  void finish(size_t lines) {
    if (!out.network.contains("layers")) throw ConfigError(file, "line " + std::to_string(lines), "no layer rows after the header");
    const size_t shapeEnd = 1 + shapeColumns(form).size() + (strideWidthColumn ? 1 : 0);
    std::vector<std::string> named;
    for (size_t c = shapeEnd; c < header.size(); ++c)
      if (!header[c].empty()) named.push_back(header[c]);
    if (!named.empty() || extraRows > 0) {
      std::string names;
      for (const auto& n : named) names += (names.empty() ? "" : ", ") + n;
      out.notes.push_back("columns after " + std::string(form == Form::Conv ? "Strides" : "K") +
                          (names.empty() ? std::string() : " (" + names + ")") + " are not shape fields: ignored (" +
                          std::to_string(extraRows) + " rows hold values there)");
    }
    if (!bareRows.empty()) {
      std::string rows;
      for (int r : bareRows) rows += (rows.empty() ? "" : ", ") + std::to_string(r);
      out.notes.push_back("rows of bare commas ignored: line" + std::string(bareRows.size() > 1 ? "s " : " ") + rows);
    }
  }
};

}  // namespace

bool isScaleSimTopologyFile(const std::string& file) { return lower(fs::path(file).extension().string()) == ".csv"; }

ScaleSimTopology readScaleSimTopology(const std::string& file) {
  return parseScaleSimTopology(readInputFile(file, kMaxJsonFileBytes, "topology file"), file);
}

ScaleSimTopology parseScaleSimTopology(const std::string& text, const std::string& file) {
  // A topology is text: a NUL byte (a binary file, a truncated write) is named where it is,
  // not reported as whatever field it happens to fall in.
  if (const size_t nul = text.find('\0'); nul != std::string::npos) {
    const size_t lineStart = text.rfind('\n', nul);
    const size_t line = 1 + size_t(std::count(text.begin(), text.begin() + long(nul), '\n'));
    const size_t column = nul - (lineStart == std::string::npos ? 0 : lineStart + 1) + 1;
    throw ConfigError(file, "line " + std::to_string(line) + ", byte " + std::to_string(column), "NUL byte: a topology file is text");
  }
  Reader r(file);
  std::string stem = fs::path(file).stem().string();
  std::string name;
  for (char c : stem) name += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.') ? c : '_';
  if (name.empty() || name[0] == '.' || name[0] == '-') name = "topology" + name;
  if (name.size() > kMaxNameLength) name.resize(kMaxNameLength);
  size_t start = 0;
  int line = 0;
  bool headerRead = false;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string row = trim(text.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    ++line;
    start = nl == std::string::npos ? text.size() + 1 : nl + 1;
    if (!headerRead) {
      // SCALE-Sim takes the first line as the header, whatever it holds.
      r.readHeader(row);
      headerRead = true;
    } else if (!row.empty()) {  // blank rows are skipped, as SCALE-Sim does
      r.readRow(row, line);
    }
  }
  r.finish(static_cast<size_t>(line));
  json& n = r.out.network;
  n["name"] = name;
  n["description"] = std::string("SCALE-Sim ") + (r.form == Form::Conv ? "conv" : "GEMM") + " topology " +
                     fs::path(file).filename().string() +
                     ": independent layers, no padding, weight_sparsity 0, activation_density 1";
  return std::move(r.out);
}

}  // namespace sparsesim
