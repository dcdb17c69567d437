#include "sim/cli/ReportCommand.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli/CommandLine.h"
#include "sim/core/ConfigError.h"
#include "sim/io/AtomicFile.h"
#include "sim/io/InputFile.h"
#include "sim/report/HtmlReport.h"
#include "sim/resources/FpgaPart.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace sparsesim {

using nlohmann::ordered_json;

namespace {

// Key order as written (the page lists fields in the report's order).
ordered_json readOrdered(const fs::path& p) {
  // Bounded and regular like every input: a folder handed to `report` may hold anything.
  const std::string text = readInputFile(p.string(), kMaxJsonFileBytes);
  ordered_json j = ordered_json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw ConfigError(p.string(), "", "not a JSON object written by sparsesim");
  return j;
}

ordered_json readOptional(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) ? readOrdered(p) : ordered_json();
}

bool isFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// Runs /usr/bin/python3 TOOL ARGS... with output to LOG; returns its exit status. matplotlib's
// font cache goes to CACHE (inside DIR, removed afterwards), not to the user's home.
int runTool(const std::vector<std::string>& argv, const std::string& log, const std::string& cache) {
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (!std::freopen(log.c_str(), "w", stdout) || !std::freopen(log.c_str(), "a", stderr)) _exit(126);
    ::setenv("MPLBACKEND", "Agg", 1);
    ::setenv("MPLCONFIGDIR", cache.c_str(), 1);
    ::setenv("PYTHONDONTWRITEBYTECODE", "1", 1);
    ::execv(cargv[0], cargv.data());
    _exit(127);
  }
  int st = 0;
  ::waitpid(pid, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

std::string lastLine(const std::string& file) {
  std::ifstream in(file);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  return last;
}

// The plots of the folder, drawn by the project's matplotlib tools into a scratch folder inside
// DIR (removed again) and inlined as SVG.
void addPlots(ReportFolder& f, bool wanted) {
  if (!wanted) { f.plot_note = "--no-plots was given"; return; }
  const std::string python = "/usr/bin/python3";
  if (::access(python.c_str(), X_OK) != 0) { f.plot_note = python + " not found (plots need python3-matplotlib)"; return; }
  const fs::path tools = fs::path(sourceTreeRoot()) / "tools";
  const fs::path scratch = fs::path(f.dir) / (".report-plots." + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(scratch, ec);
  fs::create_directories(scratch, ec);
  const std::string log = (scratch / "plot.log").string();
  std::vector<std::string> argv;
  if (f.kind == ReportFolder::Kind::Sweep) {
    argv = {python, (tools / "plot_sweep.py").string(), f.dir, "--out", scratch.string()};
  } else {
    argv = {python, (tools / "plot_layers.py").string(), (scratch / "layer_cycles").string()};
    if (f.kind == ReportFolder::Kind::Run) argv.push_back((fs::path(f.dir) / "report.json").string());
    else
      for (const auto& l : f.labels) argv.push_back((fs::path(f.dir) / l / "report.json").string());
  }
  const int rc = runTool(argv, log, (scratch / "matplotlib").string());
  if (rc != 0) {
    f.plot_note = fs::path(argv[1]).filename().string() + " failed (exit " + std::to_string(rc) + "): " + lastLine(log);
  } else {
    std::vector<fs::path> svgs;
    for (const auto& e : fs::directory_iterator(scratch, ec))
      if (e.path().extension() == ".svg") svgs.push_back(e.path());
    std::sort(svgs.begin(), svgs.end());
    size_t refused = 0;
    for (const auto& p : svgs) {
      std::string svg = inlineSvg(p.string());
      if (svg.empty()) ++refused;
      else f.plots.push_back({p.stem().string() + " (" + fs::path(argv[1]).filename().string() + ")", svg});
    }
    if (refused)
      f.plot_note = std::to_string(refused) + " plot(s) left out: the SVG held a script, an event handler or a link to another file "
                    "(text from the folder's reports)";
    else if (f.plots.empty())
      f.plot_note = "the plotting tool drew nothing for this folder";
  }
  fs::remove_all(scratch, ec);
}

}  // namespace

int cmdReport(const std::vector<std::string>& args) {
  po::options_description desc(
      "sparsesim report: DIR/report.html from a run, compare or sweep folder (docs/report.md)\n"
      "usage: sparsesim report DIR [--no-plots]\noptions");
  std::string dir;
  desc.add_options()
      ("help,h", "show this help")
      ("dir", po::value(&dir), "the folder: --out of a run, compare or sweep; also the first positional argument")
      ("no-plots", "leave the plots out (they need /usr/bin/python3 with matplotlib)");
  po::positional_options_description pos;
  pos.add("dir", 1);
  po::variables_map vm;
  if (auto done = parseCommandLine("report", args, desc, pos, vm)) return *done;
  if (dir.empty()) throw ConfigError("", "DIR", "no folder given (usage: sparsesim report DIR)");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw ConfigError("", "DIR", "\"" + dir + "\" is not a folder");

  ReportFolder f;
  f.dir = dir;
  const fs::path d(dir);
  if (isFile(d / "report.json")) {
    f.kind = ReportFolder::Kind::Run;
    f.labels = {d.filename().string()};
    f.reports.push_back(readOrdered(d / "report.json"));
    if (!f.reports.back().contains("sparsesim_version"))
      throw ConfigError((d / "report.json").string(), "", "not a report written by sparsesim run (no sparsesim_version)");
    f.resolved.push_back(readOptional(d / "resolved-config.json"));
  } else if (isFile(d / "results.json") && isFile(d / "sweep.json")) {
    f.kind = ReportFolder::Kind::Sweep;
    f.results = readOrdered(d / "results.json");
    f.record = readOrdered(d / "sweep.json");
    if (!f.results.contains("columns") || !f.results["columns"].is_array() || !f.results.contains("rows") || !f.results["rows"].is_array())
      throw ConfigError((d / "results.json").string(), "", "not a results table written by sparsesim sweep (no columns and rows)");
    // The finished points' reports name the tables their constants came from.
    for (const auto& row : f.results["rows"]) {
      const std::string rel = row.is_object() && row.contains("report") && row["report"].is_string() ? row["report"].get<std::string>() : "";
      if (rel.empty() || !isFile(d / rel)) continue;
      f.labels.push_back(row.value("point", std::string()));
      f.reports.push_back(readOrdered(d / rel));
      f.resolved.push_back(readOptional((d / rel).parent_path() / "resolved-config.json"));
    }
  } else {
    f.kind = ReportFolder::Kind::Compare;
    std::vector<std::string> subs;
    for (const auto& e : fs::directory_iterator(d, ec))
      if (e.is_directory(ec) && isFile(e.path() / "report.json")) subs.push_back(e.path().filename().string());
    std::sort(subs.begin(), subs.end());
    if (subs.empty())
      throw ConfigError("", "DIR", "\"" + dir + "\" holds no report.json, no results.json with sweep.json and no sub-folder with a report.json: "
                                   "give the --out folder of sparsesim run, compare or sweep");
    for (const auto& s : subs) {
      f.labels.push_back(s);
      f.reports.push_back(readOrdered(d / s / "report.json"));
      f.resolved.push_back(readOptional(d / s / "resolved-config.json"));
    }
  }
  const std::string out = (d / "report.html").string();
  // report.html is replaced only when it is an earlier page of this command.
  if (fs::exists(fs::symlink_status(out, ec))) {
    const std::string old = tryReadInputFile(out, kMaxJsonFileBytes).value_or("");
    if (old.rfind("<!DOCTYPE html>", 0) != 0 || old.find("<title>sparsesim ") == std::string::npos)
      throw ConfigError("", "DIR", "\"" + out + "\" exists and was not written by sparsesim report; move it away first");
  }
  std::string page;
  try {
    addPlots(f, !vm.count("no-plots"));
    page = HtmlReport::render(f);
  } catch (const nlohmann::json::exception& e) {
    // The folder's JSON files are inputs here: a value of the wrong type is theirs, not a bug.
    throw ConfigError(dir, "", std::string("its reports do not have the layout sparsesim writes: ") + e.what());
  }
  writeFileAtomic(out, page);
  std::cout << "report: " << out << "\n";
  return 0;
}

}  // namespace sparsesim
