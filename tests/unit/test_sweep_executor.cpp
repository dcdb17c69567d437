// SweepExecutor and ResultsTable on a real 2-point sweep: failed points are recorded (with their
// log) and retried by the next run, which moves them to points/; a finished point is never run
// again; the table has one row per point whatever happened before.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "sim/sweep/ResultsTable.h"
#include "sim/sweep/SweepConfig.h"
#include "sim/sweep/SweepExecutor.h"
#include "sim/sweep/SweepPlan.h"

using namespace sparsesim;
namespace fs = std::filesystem;

namespace {

const std::string kSrc = SPARSESIM_SOURCE_DIR;

ExecutorSummary runWith(const SweepPlan& plan, const std::string& out, const std::string& exe, ResultsTable& table) {
  ExecutorOptions o;
  o.out_dir = out;
  o.exe = exe;
  o.jobs = 2;
  o.progress = false;
  o.table = &table;
  for (size_t i = 0; i < plan.points().size(); ++i) o.indices.push_back(i);
  return SweepExecutor(plan, o).run();
}

}  // namespace

TEST(SweepExecutor, FailedPointsAreRecordedThenRetried) {
  const std::string out = (fs::temp_directory_path() / ("sparsesim-sweep-exec-" + std::to_string(::getpid()))).string();
  fs::remove_all(out);
  SweepConfig c = sweepConfigFromText(R"({"arch": ")" + kSrc + R"(/configs/arch/dense-16x16.json", "network": ")" + kSrc +
                                          R"(/configs/networks/gsc.json", "axes": {"array.rows": [8, 16]}})", "s.json");
  SweepPlan plan = SweepPlan::build(c);
  ResultsTable table(nlohmann::json::parse(plan.record().dump()), out);

  // /bin/false stands in for a binary whose runs all fail.
  ExecutorSummary bad = runWith(plan, out, "/bin/false", table);
  EXPECT_EQ(bad.failed, 2u);
  EXPECT_EQ(bad.ok, 0u);
  for (const auto& p : plan.points()) {
    EXPECT_FALSE(pointFinished(out, p.id));
    EXPECT_TRUE(fs::exists(fs::path(failedDir(out, p.id)) / "run.log"));
    EXPECT_TRUE(fs::exists(fs::path(failedDir(out, p.id)) / "config" / "arch.json"));
  }
  EXPECT_EQ(table.counts().failed, 2u);
  EXPECT_EQ(table.row(0)->at("status"), "failed");
  EXPECT_EQ(table.row(0)->at("note").get<std::string>().rfind("exit 1", 0), 0u);

  ExecutorSummary good = runWith(plan, out, SPARSESIM_BINARY, table);
  EXPECT_EQ(good.ok, 2u);
  EXPECT_EQ(good.already_done, 0u);
  for (const auto& p : plan.points()) {
    EXPECT_TRUE(pointFinished(out, p.id));
    EXPECT_FALSE(fs::exists(failedDir(out, p.id)));
  }
  auto n = table.counts();
  EXPECT_EQ(n.ok, 2u);
  EXPECT_EQ(n.failed + n.pending, 0u);
  // More rows in the array, fewer cycles: 16 rows finish GSC sooner than 8.
  EXPECT_LT(table.row(1)->at("cycles").get<long long>(), table.row(0)->at("cycles").get<long long>());

  ExecutorSummary again = runWith(plan, out, "/bin/false", table);
  EXPECT_EQ(again.already_done, 2u);
  EXPECT_EQ(again.ok + again.failed, 0u);

  // The results file has a header and exactly one row per point.
  table.write();
  std::ifstream csv(fs::path(out) / "results.csv");
  size_t lines = 0;
  for (std::string l; std::getline(csv, l);) ++lines;
  EXPECT_EQ(lines, 3u);
  fs::remove_all(out);
}

TEST(SweepExecutor, MaterialisedPointRunsFromItsOwnFolder) {
  const std::string out = (fs::temp_directory_path() / ("sparsesim-sweep-mat-" + std::to_string(::getpid()))).string();
  fs::remove_all(out);
  SweepConfig c = sweepConfigFromText(R"({"arch": ")" + kSrc + R"(/configs/arch/cs-small.json", "network": ")" + kSrc +
                                          R"(/configs/networks/gsc.json", "axes": {"fpga_part": ["zu3eg"]}})", "s.json");
  SweepPlan plan = SweepPlan::build(c);
  SweepExecutor::materialise(plan.points()[0], out);
  // The tables the arch names are copied where `run` looks first for config/arch.json.
  EXPECT_TRUE(fs::is_regular_file(fs::path(out) / "fpga" / "zu3eg.json"));
  EXPECT_TRUE(fs::is_regular_file(fs::path(out) / "energy" / "fpga-ultrascale-plus.json"));
  EXPECT_TRUE(fs::is_regular_file(fs::path(out) / "energy" / "asic-45nm-horowitz.json"));
  fs::remove_all(out);
}
