// Unit tests of the output-side reliability classes: strict command-line values, result sets
// staged and committed as a unit (exit 4 on a write failure), and the sweep folder lock.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli/CliValues.h"
#include "sim/core/ConfigError.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/FolderLock.h"
#include "sim/io/OutputError.h"
#include "sim/io/StagedDir.h"

using namespace sparsesim;
namespace fs = std::filesystem;

namespace {

fs::path freshDir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / ("sparsesim-test-output-" + std::to_string(::getpid())) / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::vector<std::string> names(const fs::path& d) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(d)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string reasonOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigError& e) {
    return e.path() + ": " + e.reason();
  }
  return "accepted";
}

}  // namespace

TEST(Reliability, CommandLineValuesAreNotReinterpreted) {
  EXPECT_EQ(parseSeed("0", "--seed"), 0u);
  EXPECT_EQ(parseSeed("18446744073709551615", "--seed"), ~0ull);
  EXPECT_EQ(reasonOf([] { parseSeed("-1", "--seed"); }), "--seed: expected a non-negative integer, got \"-1\"");
  EXPECT_EQ(reasonOf([] { parseSeed("18446744073709551616", "--seed"); }), "--seed: \"18446744073709551616\" is larger than 2^64 - 1");
  EXPECT_NE(reasonOf([] { parseSeed("", "--seed"); }).find("non-negative"), std::string::npos);
  EXPECT_NE(reasonOf([] { parseSeed(" 5", "--seed"); }).find("non-negative"), std::string::npos);
  EXPECT_EQ(parseNameList("a,b", "--layers"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(reasonOf([] { parseNameList(",", "--layers"); }), "--layers: empty list \",\"");
  EXPECT_EQ(reasonOf([] { parseNameList("", "--layers"); }), "--layers: empty list \"\"");
  EXPECT_EQ(reasonOf([] { parseNameList("a,,b", "--layers"); }), "--layers: empty item in the list \"a,,b\"");
  EXPECT_EQ(reasonOf([] { parseNameList("a,", "--layers"); }), "--layers: empty item in the list \"a,\"");

  namespace po = boost::program_options;
  po::options_description desc;
  std::string out;
  desc.add_options()("out", po::value(&out), "")("quiet,q", "");
  auto parse = [&](std::vector<std::string> args, const po::positional_options_description* pos = nullptr) {
    po::variables_map vm;
    parseStrict(args, desc, vm, pos);
    po::notify(vm);
    requireNotEmpty(vm, "out", out);
  };
  EXPECT_EQ(reasonOf([&] { parse({"--out", "d", "stray"}); }), "stray: unexpected argument: this command takes no positional argument");
  EXPECT_EQ(reasonOf([&] { parse({"-q", "stray", "--out=d"}); }), "stray: unexpected argument: this command takes no positional argument");
  EXPECT_EQ(reasonOf([&] { parse({"--out", ""}); }), "--out: must not be empty");
  EXPECT_EQ(reasonOf([&] { parse({"--out", "stray"}); }), "accepted");  // an option's value is not a positional argument
}

TEST(Reliability, StagedDirCommitsAllOrNothing) {
  const fs::path d = freshDir("staged");
  { std::ofstream(d / "user.txt") << "keep"; }
  {
    StagedDir s(d.string());
    s.write("a.json", "1");
    s.write("b.json", "2");
    EXPECT_FALSE(fs::exists(d / "a.json"));  // nothing visible before commit
    s.commit();
  }
  EXPECT_EQ(names(d), (std::vector<std::string>{"a.json", "b.json", "user.txt"}));
  {
    StagedDir s(d.string());
    s.write("a.json", "new");
    // Destroyed without commit (an exception): DIR as it was, staging gone.
  }
  EXPECT_EQ(names(d), (std::vector<std::string>{"a.json", "b.json", "user.txt"}));
  std::ifstream in(d / "a.json");
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), "1");
  // A write that fails names the path the user asked for and the errno text, and leaves nothing.
  {
    StagedDir s(d.string());
    try {
      s.write("f", "a file");
      s.write("f/g", "");  // through a file: cannot be written
      ADD_FAILURE() << "no error";
    } catch (const OutputError& e) {
      EXPECT_EQ(e.path(), (d / "f/g").string());
      EXPECT_NE(std::string(e.what()).find("cannot write output: " + (d / "f/g").string() + ": Not a directory"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(names(d), (std::vector<std::string>{"a.json", "b.json", "user.txt"}));
  // A stale staging folder of a process that is gone is removed by the next StagedDir.
  fs::create_directories(d / ".partial.999999999");
  { StagedDir s(d.string()); }
  EXPECT_EQ(names(d), (std::vector<std::string>{"a.json", "b.json", "user.txt"}));
}

TEST(Reliability, WriteFailuresAreOutputErrors) {
  const fs::path d = freshDir("write");
  { std::ofstream(d / "file") << "x"; }
  EXPECT_THROW(writeFileAtomic((d / "file" / "report.json").string(), "{}"), OutputError);
  try {
    writeFileAtomic((d / "file" / "report.json").string(), "{}");
  } catch (const OutputError& e) {
    EXPECT_NE(std::string(e.what()).find("Not a directory"), std::string::npos) << e.what();
  }
  EXPECT_THROW(createOutputDirectories((d / "file" / "x").string()), OutputError);
  EXPECT_THROW(copyOutputFile((d / "absent").string(), (d / "copy").string()), OutputError);
  EXPECT_FALSE(fs::exists(d / "copy"));
  EXPECT_THROW(StagedDir((d / "file").string()), OutputError);
}

TEST(Reliability, FolderLockNamesTheHolder) {
  const fs::path d = freshDir("lock");
  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    FolderLock l;
    std::string h;
    char c = l.tryLock(d.string(), ".sparsesim-lock", FolderLock::Mode::Exclusive, h) ? 'y' : 'n';
    if (::write(ready[1], &c, 1) != 1) _exit(1);
    if (::read(done[0], &c, 1) != 1) _exit(1);
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  std::string holders;
  {
    FolderLock l;
    EXPECT_FALSE(l.tryLock(d.string(), ".sparsesim-lock", FolderLock::Mode::Exclusive, holders));
    EXPECT_EQ(holders, std::to_string(child));
  }
  {
    FolderLock l;
    EXPECT_FALSE(l.tryLock(d.string(), ".sparsesim-lock", FolderLock::Mode::Shared, holders));  // a shard waits for a whole sweep too
  }
  ASSERT_EQ(::write(done[1], "x", 1), 1);
  int st = 0;
  ::waitpid(child, &st, 0);
  // Released when the holder ends: two shared holders (two shards) coexist, an exclusive one does not.
  FolderLock s1, s2, ex;
  EXPECT_TRUE(s1.tryLock(d.string(), ".sparsesim-lock", FolderLock::Mode::Shared, holders));
  EXPECT_TRUE(s2.tryLock(d.string(), ".sparsesim-lock", FolderLock::Mode::Shared, holders));
  pid_t c2 = ::fork();
  if (c2 == 0) {
    FolderLock l;
    std::string h;
    _exit(l.tryLock(d.string(), ".sparsesim-lock", FolderLock::Mode::Exclusive, h) ? 1 : 0);
  }
  ::waitpid(c2, &st, 0);
  EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "an exclusive lock was granted beside shared ones";
}
