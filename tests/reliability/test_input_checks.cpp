// Unit tests of the input-side reliability classes: duplicate-key paths, bytes after the
// document, input file checks, overflow-checked sizes, checks moved before the run (CS SRAM,
// sweep size), the .npy header parser and range messages.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/config/JsonReader.h"
#include "sim/core/CheckedSize.h"
#include "sim/io/InputFile.h"
#include "sim/io/NpyHeader.h"
#include "sim/sweep/SweepConfig.h"
#include "sim/workload/CsSramFit.h"
#include "sim/workload/LayerMemory.h"

using namespace sparsesim;
namespace fs = std::filesystem;

namespace {

fs::path scratch() {
  fs::path d = fs::temp_directory_path() / ("sparsesim-test-reliability-" + std::to_string(::getpid()));
  fs::create_directories(d);
  return d;
}

ConfigError parseError(const std::string& text) {
  try {
    parseJsonText(text, "f.json");
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << text;
  return ConfigError("", "", "");
}

ConfigError fileError(const std::string& file, uint64_t limit = kMaxJsonFileBytes) {
  try {
    readInputFile(file, limit);
  } catch (const ConfigError& e) {
    return e;
  }
  ADD_FAILURE() << "no error for " << file;
  return ConfigError("", "", "");
}

std::string npy(int major, const std::string& header, const std::string& data = "") {
  std::string b = "\x93NUMPY";
  b += static_cast<char>(major);
  b += '\0';
  const size_t n = header.size();
  b += static_cast<char>(n & 0xff);
  b += static_cast<char>((n >> 8) & 0xff);
  if (major >= 2) b += std::string("\0\0", 2);
  return b + header + data;
}

std::string npyError(const std::string& bytes) {
  try {
    parseNpyHeader(bytes);
  } catch (const NpyFormatError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

}  // namespace

TEST(Reliability, DuplicateKeyNamesFullPath) {
  EXPECT_EQ(parseError(R"({"array": {"rows": 1, "rows": 2}})").path(), "array.rows");
  EXPECT_EQ(parseError(R"({"layers": [{"a": 1}, {"stride": 1, "stride": 2}]})").path(), "layers[1].stride");
  EXPECT_EQ(parseError(R"({"axes": {"array.rows": [4], "array.rows": [8]}})").path(), "axes[\"array.rows\"]");
  EXPECT_EQ(parseError(R"({"m": [[1, 2], [{"x": 1, "x": 2}]]})").path(), "m[1][0].x");
  EXPECT_EQ(parseError(R"({"a": [1, [2, 3], {"b": 4}], "c": {"d": 1, "d": 1}})").path(), "c.d");
  EXPECT_EQ(parseError(R"({"name": "a", "name": "b"})").path(), "name");
}

TEST(Reliability, BytesAfterTheDocumentAreRefusedWithPosition) {
  EXPECT_NE(parseError(std::string("{\"a\": 1}\0", 9)).reason().find("NUL byte at line 1, column 9"), std::string::npos);
  EXPECT_NE(parseError(std::string("{\"a\": 1}\n \0{\"b\": 2}", 19)).reason().find("line 2, column 2"), std::string::npos);
  EXPECT_NE(parseError("{\"a\": 1}\n\nx").reason().find("line 3, column 1"), std::string::npos);
  EXPECT_NE(parseError(std::string("{\"a\": \"x\0y\"}", 12)).reason().find("NUL byte"), std::string::npos);
  EXPECT_NO_THROW(parseJsonText("{\"a\": 1}\n \t\r\n", "f.json"));
}

TEST(Reliability, OnlyBoundedRegularFilesAreRead) {
  const fs::path d = scratch();
  EXPECT_NE(fileError("/dev/zero").reason().find("character device"), std::string::npos);
  EXPECT_NE(fileError(d.string()).reason().find("a directory"), std::string::npos);
  const std::string fifo = (d / "pipe.json").string();
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(fileError(fifo).reason().find("named pipe"), std::string::npos);  // and returns: no open() waits
  const std::string big = (d / "big.json").string();
  { std::ofstream(big) << "{}"; }
  fs::resize_file(big, 3u << 20);
  EXPECT_NE(fileError(big, 1u << 20).reason().find("3145728 bytes, more than the 1 MiB"), std::string::npos);
  EXPECT_NE(fileError((d / "absent.json").string()).reason().find("cannot open file: No such file"), std::string::npos);
  { std::ofstream(d / "ok.json") << "{\"a\": 1}"; }
  EXPECT_EQ(readInputFile((d / "ok.json").string(), 8), "{\"a\": 1}");
  EXPECT_FALSE(tryReadInputFile("/dev/zero", 8).has_value());
}

TEST(Reliability, SizeArithmeticIsOverflowChecked) {
  EXPECT_EQ(checkedProduct({1ull << 32, 1ull << 31}).value(), 1ull << 63);
  EXPECT_FALSE(checkedProduct({1ull << 32, 1ull << 32}).has_value());
  EXPECT_EQ(checkedProduct({1ull << 40, 0, 1ull << 40}).value(), 0u);  // a zero dimension is empty, not an overflow
  EXPECT_FALSE(checkedAdd(~0ull, 1).has_value());
  LayerGeometry g;
  g.in_c = g.out_c = 1 << 20;
  g.in_h = g.in_w = g.kh = g.kw = 4096;
  g.out_h = g.out_w = 1;
  EXPECT_FALSE(layerMemoryBytes(g).has_value());  // 2^64 weights
  EXPECT_THROW(checkLayerMemory(g, "n.json", "layers[0]"), ConfigError);
  try {
    checkLayerMemory(g, "n.json", "layers[3]");
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "layers[3]");
    EXPECT_NE(e.reason().find("more than 2^64 bytes"), std::string::npos);
  }
  LayerGeometry small;
  small.in_c = small.out_c = 2;
  small.in_h = small.in_w = small.out_h = small.out_w = 6;
  small.kh = small.kw = 3;
  // 6*6*3*3*2 lowered + 6*6*2*4 output + 2*6*6 input + 2*2*3*3 weights
  EXPECT_EQ(layerMemoryBytes(small).value(), 648u + 288u + 72u + 36u);
  EXPECT_NO_THROW(checkLayerMemory(small, "n.json", "layers[0]"));
}

TEST(Reliability, CsSramTooSmallIsFoundFromShapes) {
  ArchConfig a;
  a.datapath = DatapathKind::Cs;
  a.source_file = "cs.json";
  LayerGeometry g;
  g.K = 18;
  g.N = 4;
  a.cs.sram.banks = 1;
  a.cs.sram.depth = 18;
  EXPECT_EQ(csSmallestSliceWords(g, a.cs), 18u);  // 8 + 2 id bits fit one 72-bit word
  EXPECT_NO_THROW(checkCsSramFits(a, g, "c1", "layers[0]"));
  a.cs.sram.depth = 17;
  try {
    checkCsSramFits(a, g, "c1", "layers[0]");
    ADD_FAILURE() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.file(), "cs.json");
    EXPECT_EQ(e.path(), "cs.sram");
    EXPECT_NE(e.reason().find("layer \"c1\" (layers[0])"), std::string::npos);
  }
  a.cs.sram.word_bits = 8;  // 8 + ceil(log2(4)) bits: two 8-bit words a column
  a.cs.sram.depth = 35;
  EXPECT_EQ(csSmallestSliceWords(g, a.cs), 36u);
  EXPECT_THROW(checkCsSramFits(a, g, "c1", "layers[0]"), ConfigError);
  a.cs.mode = CsMode::DenseDense;  // one kernel per pack: no kernel ID, one word
  EXPECT_EQ(csSmallestSliceWords(g, a.cs), 18u);
  a.datapath = DatapathKind::Dense;  // other datapaths have no such SRAM
  a.cs.sram.depth = 1;
  EXPECT_NO_THROW(checkCsSramFits(a, g, "c1", "layers[0]"));
}

TEST(Reliability, HugeSweepIsRefusedBeforeEnumerating) {
  const fs::path d = scratch();
  { std::ofstream(d / "a.json") << "{}"; }
  { std::ofstream(d / "n.json") << "{}"; }
  const std::string f = (d / "s.json").string();
  auto err = [&](const std::string& axes, const std::string& extra = "") {
    try {
      sweepConfigFromText(R"({"arch": "a.json", "network": "n.json", "axes": )" + axes + extra + "}", f);
    } catch (const ConfigError& e) {
      return e.path() + ": " + e.reason();
    }
    return std::string("accepted");
  };
  const std::string r1000 = R"({"from": 1, "to": 1000, "step": 1})";
  EXPECT_NE(err("{\"a.x\": " + r1000 + ", \"a.y\": " + r1000 + ", \"a.z\": " + r1000 + ", \"a.w\": " + r1000 + "}")
                .find("axes: the sweep has 1000000000000 points"), std::string::npos);
  std::string seven = "{";
  for (const char* k : {"a.a", "a.b", "a.c", "a.d", "a.e", "a.f", "a.g"}) seven += std::string(seven.size() > 1 ? ", " : "") + "\"" + k + "\": " + r1000;
  EXPECT_NE(err(seven + "}").find("more than 2^64 points"), std::string::npos);  // 1000^7 = 1e21
  // Zipped axes count once: 1000 x 1000 zipped is 1000 points.
  EXPECT_EQ(err("{\"a.x\": " + r1000 + ", \"a.y\": " + r1000 + "}", R"(, "zip": [["a.x", "a.y"]])"), "accepted");
  EXPECT_NE(err("{\"a.x\": " + r1000 + ", \"a.y\": {\"from\": 1, \"to\": 101, \"step\": 1}}").find("101000 points"), std::string::npos);
}

TEST(Reliability, RangeMessagesNeverPrintWrappedCounts) {
  auto msg = [](const std::string& r) {
    try {
      expandRange(nlohmann::json::parse(r), "s.json", "axes[\"x\"]");
    } catch (const ConfigError& e) {
      return e.reason();
    }
    return std::string("accepted");
  };
  EXPECT_EQ(msg(R"({"from": -1e15, "to": 1e15, "step": 1e-15})"), "gives about 2e+30 values; at most 100000");
  EXPECT_EQ(msg(R"({"from": 0, "to": 1, "step": 5e-324})"), "gives more than 1e308 values; at most 100000");
  EXPECT_EQ(msg(R"({"from": 0, "to": 1000000, "step": 1})"), "gives 1000001 values; at most 100000");
  EXPECT_EQ(msg(R"({"from": 0, "to": 1, "step": 1e-300})").find('-'), std::string::npos);
}

TEST(Reliability, NpyHeaderIsParsedStrictly) {
  const std::string good = "{'descr': '|i1', 'fortran_order': False, 'shape': (4, 2, 3, 3), }\n";
  for (int v : {1, 2, 3}) {
    NpyHeader h = parseNpyHeader(npy(v, good));
    EXPECT_EQ(h.major, v);
    EXPECT_EQ(h.shape, (std::vector<uint64_t>{4, 2, 3, 3}));
    EXPECT_EQ(h.data_offset, 6 + 2 + (v == 1 ? 2u : 4u) + good.size());
  }
  // A header length whose low byte is >= 128 (read unsigned).
  std::string longHeader = good.substr(0, good.size() - 1) + std::string(200 - good.size(), ' ') + "\n";
  EXPECT_EQ(parseNpyHeader(npy(1, longHeader)).data_offset, 10u + 200u);
  EXPECT_NE(npyError(npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (4.0, 2)}")).find("shape dimension 4.0 is not an integer"),
            std::string::npos);
  EXPECT_NE(npyError(npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (4, 2.5)}")).find("2.5 is not an integer"), std::string::npos);
  EXPECT_NE(npyError(npy(4, good)).find("unsupported .npy format version 4.0"), std::string::npos);
  EXPECT_NE(npyError(npy(1, "{'descr': '|i1', 'shape': (4,)}")).find("not exactly"), std::string::npos);
  EXPECT_NE(npyError(npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (-2, 3)}")).find("negative"), std::string::npos);
  EXPECT_NE(npyError(npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (4)}")).find("not a tuple"), std::string::npos);
  EXPECT_NE(npyError(npy(3, "{'descr': '|i1', 'fortran_order': False, 'shape': (2L,)}")).find("after the integer"), std::string::npos);
  EXPECT_EQ(parseNpyHeader(npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (2L,)}")).shape, std::vector<uint64_t>{2});
  EXPECT_EQ(parseNpyHeader(npy(1, "{'shape': (), 'descr': 'b', 'fortran_order': True}")).shape.size(), 0u);
  EXPECT_TRUE(isInt8Descr("|i1") && isInt8Descr("<i1") && isInt8Descr("b") && isInt8Descr("int8"));
  EXPECT_FALSE(isInt8Descr("|u1") || isInt8Descr("|b1") || isInt8Descr("<i2") || isInt8Descr("|int8"));
}

// Class 7 on the chained post-ops: a requant scale that cannot requantise (every output saturated,
// or every output 0) is refused with its path; the ends of the range are accepted.
TEST(Reliability, RequantScaleHasAMeaningfulRange) {
  auto net = [](const nlohmann::json& scale) {
    nlohmann::json j = nlohmann::json::parse(R"({"name": "n", "chain": true, "input": {"channels": 2, "height": 4, "width": 4},
      "layers": [{"name": "c", "type": "conv2d", "out_channels": 2, "kernel_h": 1, "kernel_w": 1}]})");
    j["layers"][0]["requant"] = {{"scale", scale}};
    return j;
  };
  for (const auto& [scale, path] : std::vector<std::pair<nlohmann::json, std::string>>{
           {5e-324, "layers[0].requant.scale"}, {1.0 / 512, "layers[0].requant.scale"}, {1e308, "layers[0].requant.scale"},
           {nlohmann::json::array({1.0, 4294967297.0}), "layers[0].requant.scale[1]"}}) {
    try {
      networkFromJson(net(scale), "n.json");
      ADD_FAILURE() << "scale " << scale.dump() << " accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.path(), path) << e.what();
      EXPECT_NE(e.reason().find("out of range [2^-8, 2^32]"), std::string::npos) << e.what();
    }
  }
  for (double ok : {1.0 / 256, 4294967296.0}) EXPECT_NO_THROW(networkFromJson(net(ok), "n.json")) << ok;
}

// Class 9: one --set path given two values is a contradiction, named with the option; the same
// value twice and different paths (a general and a specific layer path) are fine.
TEST(Reliability, SetPathGivenTwoValuesIsRefused) {
  std::vector<std::string> arch, net;
  try {
    splitOverrides({"array.rows=8", "memory.ifmap_kb=64", "array.rows=16"}, arch, net);
    ADD_FAILURE() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "--set array.rows");
    EXPECT_NE(e.reason().find("given twice, as \"8\" and as \"16\""), std::string::npos) << e.what();
  }
  arch.clear();
  EXPECT_NO_THROW(splitOverrides({"array.rows=8", "array.rows=8", "layers[*].weight_sparsity=0.5", "layers[c1].weight_sparsity=0.7"}, arch, net));
  EXPECT_EQ(net.size(), 2u);
}
