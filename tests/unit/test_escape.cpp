// The name rule (sim/config/Names.h) and the per-format escaping helpers (sim/io/Escape.h):
// shell words are checked by running bash on them, CSV cells by Python's csv module.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/config/Names.h"
#include "sim/io/Escape.h"
#include "sim/io/RegularFile.h"
#include "sim/sweep/SlurmBackend.h"
#include "sim/sweep/SweepConfig.h"

using namespace sparsesim;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

std::string runCapture(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

const char* kHostile[] = {"plain", "sp ace", "it's", "\"dq\"", "$(touch /tmp/x)", "`id`", "a;b", "a&&b|c>d<e", "*?[]", "~user",
                          "#hash", "back\\slash", "$HOME", "!bang", "\xc3\xa9\xe4\xb8\xad", "'", "''", "-n"};

}  // namespace

TEST(Names, AcceptsTheDocumentedSet) {
  for (const char* ok : {"gsc", "dense-16x16", "cs_large", "layer1.0.conv1", "A9", "x-", "a..b"}) EXPECT_EQ(nameProblem(ok), "") << ok;
  EXPECT_EQ(nameProblem(std::string(kMaxNameLength, 'a')), "");
}

TEST(Names, RefusesOthersShowingTheCharacterEscaped) {
  EXPECT_EQ(nameProblem(""), "must not be empty");
  EXPECT_NE(nameProblem("x\ntouch").find("character '\\n' at position 1"), std::string::npos);
  EXPECT_NE(nameProblem("a/b").find("character '/' at position 1"), std::string::npos);
  EXPECT_NE(nameProblem("a b").find("character ' ' at position 1"), std::string::npos);
  EXPECT_NE(nameProblem("it's").find("character '\\'' at position 2"), std::string::npos);
  EXPECT_NE(nameProblem("\x1b[31m").find("character '\\x1b' at position 0"), std::string::npos);
  EXPECT_NE(nameProblem("caf\xc3\xa9").find("character '\\xc3' at position 3"), std::string::npos);
  EXPECT_NE(nameProblem(".hidden").find("must not start with '.'"), std::string::npos);
  EXPECT_NE(nameProblem("-rf").find("must not start with '-'"), std::string::npos);
  EXPECT_NE(nameProblem(std::string(kMaxNameLength + 1, 'a')).find("too long"), std::string::npos);
}

TEST(Names, LoadersApplyTheRule) {
  nlohmann::json net = nlohmann::json::parse(R"({"name": "n", "layers": [{"name": "a b", "type": "linear", "in_channels": 4, "out_channels": 4}]})");
  try {
    networkFromJson(net, "net.json");
    FAIL() << "a layer name with a space was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "layers[0].name");
    EXPECT_NE(e.reason().find("character ' '"), std::string::npos);
  }
}

TEST(Names, EveryShippedConfigStillLoads) {
  const fs::path root = SPARSESIM_SOURCE_DIR "/configs";
  int n = 0;
  for (const auto& e : fs::directory_iterator(root / "arch")) { EXPECT_NO_THROW(loadArch(e.path().string(), {})) << e.path(); ++n; }
  for (const auto& e : fs::directory_iterator(root / "networks")) { EXPECT_NO_THROW(loadNetwork(e.path().string())) << e.path(); ++n; }
  for (const auto& e : fs::directory_iterator(root / "sweeps")) {
    // The sweeps' shared base architecture lives beside them as *-arch.json.
    const std::string f = e.path().string();
    if (f.size() > 10 && f.compare(f.size() - 10, 10, "-arch.json") == 0) EXPECT_NO_THROW(loadArch(f, {})) << f;
    else EXPECT_NO_THROW(loadSweepConfig(f)) << f;
    ++n;
  }
  EXPECT_GE(n, 14);
}

TEST(Escape, ShellQuoteIsOneInertWordForBash) {
  for (const char* s : kHostile) {
    // printf %s of the quoted word must print exactly the original bytes, and nothing runs.
    std::string got = runCapture("bash -c " + shellQuote("printf '%s' " + shellQuote(s)));
    EXPECT_EQ(got, s) << s;
  }
}

TEST(Escape, HtmlEscapesMarkupAndQuotes) {
  EXPECT_EQ(htmlEscape("<script>alert('x')</script> & \"y\""), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;");
  EXPECT_EQ(htmlEscape("plain \xc3\xa9"), "plain \xc3\xa9");
}

TEST(Escape, CsvQuotesAndDefusesFormulas) {
  EXPECT_EQ(csvCell(ordered_json()), "");
  EXPECT_EQ(csvCell(ordered_json(12)), "12");
  EXPECT_EQ(csvCell(ordered_json(-3)), "-3");  // a number, not text: no quote mark
  EXPECT_EQ(csvCell(ordered_json(0.25)), "0.25");
  EXPECT_EQ(csvCell(ordered_json("=HYPERLINK(\"x\")")), "\"'=HYPERLINK(\"\"x\"\")\"");
  EXPECT_EQ(csvCell(ordered_json("+1")), "'+1");
  EXPECT_EQ(csvCell(ordered_json("-1")), "'-1");
  EXPECT_EQ(csvCell(ordered_json("@SUM(A1)")), "'@SUM(A1)");
  EXPECT_EQ(csvCell(ordered_json("a,b\nc")), "\"a,b\nc\"");
  EXPECT_EQ(csvCell(ordered_json("dense-16x16")), "dense-16x16");
  // Python's csv reader gives back the cells (with the guard quote) for every hostile value.
  std::string line;
  for (const char* s : kHostile) line += (line.empty() ? "" : ",") + csvCell(ordered_json(s));
  const fs::path f = fs::temp_directory_path() / ("escape-test-" + std::to_string(::getpid()) + ".csv");
  std::ofstream(f) << line << "\n";
  std::string got = runCapture("/usr/bin/python3 -c \"import csv,sys,json; print(json.dumps(next(csv.reader(open(sys.argv[1], newline='')))))\" " + shellQuote(f.string()));
  fs::remove(f);
  nlohmann::json cells = nlohmann::json::parse(got);
  ASSERT_EQ(cells.size(), std::size(kHostile));
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string want = kHostile[i];
    if (want[0] == '-') want = "'" + want;
    EXPECT_EQ(cells[i].get<std::string>(), want);
  }
}

TEST(Escape, VcdNamesUseTheIdentifierSet) {
  EXPECT_EQ(vcdName("pe_array"), "pe_array");
  EXPECT_EQ(vcdName("a b$c\n"), "a_b_c_");
  EXPECT_EQ(vcdName("0x"), "_0x");
  EXPECT_EQ(vcdName(""), "_");
}

TEST(Escape, SbatchDirectiveQuote) {
  EXPECT_EQ(sbatchDirectiveQuote("/a b/\"c\"\\d#e"), "\"/a b/\\\"c\\\"\\\\d#e\"");
}

TEST(SlurmScript, RefusesControlCharactersAndBadNames) {
  SlurmOptions o;
  o.exe = "/bin/sparsesim";
  o.sweep_file = "/s.json";
  o.out_dir = "/out";
  o.name = "ok";
  EXPECT_NO_THROW(SlurmBackend::check(o));
  SlurmOptions bad = o;
  bad.out_dir = "/out\ntouch x";
  EXPECT_THROW(SlurmBackend::check(bad), ConfigError);
  bad = o;
  bad.name = "x\ny";
  EXPECT_THROW(SlurmBackend::check(bad), ConfigError);
  bad = o;
  bad.sbatch_args = {"--partition=a\rb"};
  EXPECT_THROW(SlurmBackend::check(bad), ConfigError);
}

TEST(RegularFile, RefusesDirectoriesAndFifos) {
  const fs::path d = fs::temp_directory_path() / ("regular-file-test-" + std::to_string(::getpid()));
  fs::create_directories(d);
  EXPECT_THROW(requireRegularFile(d.string(), "layers[0].weights"), ConfigError);
  const fs::path fifo = d / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  try {
    requireRegularFile(fifo.string(), "layers[0].weights");
    ADD_FAILURE() << "a FIFO was accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(e.reason().find("not a regular file"), std::string::npos);
    EXPECT_NE(e.reason().find("(named by layers[0].weights)"), std::string::npos);
  }
  std::ofstream(d / "w.npy") << "x";
  EXPECT_NO_THROW(requireRegularFile((d / "w.npy").string(), ""));
  fs::remove_all(d);
}

TEST(Names, SweepNameDefaultFromTheFileNameIsCheckedToo) {
  try {
    sweepConfigFromText(R"({"arch": "a.json", "network": "n.json", "axes": {"array.rows": [4]}})", "my sweep.json");
    FAIL() << "a default name with a space was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), "name");
    EXPECT_NE(e.reason().find("defaults to the sweep file's name"), std::string::npos) << e.reason();
  }
}
