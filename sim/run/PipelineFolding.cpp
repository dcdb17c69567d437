#include "sim/run/PipelineFolding.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>

#include "sim/core/ConfigError.h"
#include "sim/resources/ResourceModel.h"
#include "sim/workload/LayerGeometry.h"

namespace sparsesim {

namespace {

// Array sides balanced folding tries: powers of two up to 64 (4,096 multipliers per engine).
constexpr int kMaxSide = 64;

double ceilDiv(double a, double b) { return std::ceil(a / b - 1e-12); }

struct Budget {
  Resources cap;
  bool fits(const Resources& r) const {
    return r.lut <= cap.lut && r.ff <= cap.ff && r.dsp <= cap.dsp && r.bram36 <= cap.bram36 && r.uram <= cap.uram;
  }
  // The shares of the budget a resource use takes, added (the tie-break between arrays of equal
  // cycles: an engine's buffers are the same for every array, so the maximum share would not
  // tell them apart).
  double share(const Resources& r) const {
    double s = 0;
    const double v[] = {r.lut, r.ff, r.dsp, r.bram36, r.uram}, c[] = {cap.lut, cap.ff, cap.dsp, cap.bram36, cap.uram};
    for (int i = 0; i < 5; ++i) s += c[i] > 0 ? v[i] / c[i] : (v[i] > 0 ? std::numeric_limits<double>::infinity() : 0.0);
    return s;
  }
};

Budget budgetOf(const ArchConfig& a, const FpgaPart& part) {
  const double f = a.pipeline.budget_part_fraction;
  Budget b;
  b.cap = Resources{part.lut * f, part.ff * f, part.dsp * f, part.bram36 * f, part.uram * f};
  if (a.pipeline.budget_lut > 0) b.cap.lut = std::min(b.cap.lut, a.pipeline.budget_lut);
  if (a.pipeline.budget_dsp > 0) b.cap.dsp = std::min(b.cap.dsp, a.pipeline.budget_dsp);
  if (a.pipeline.budget_bram36 > 0) b.cap.bram36 = std::min(b.cap.bram36, a.pipeline.budget_bram36);
  return b;
}

std::string arrayText(const ArrayConfig& c) { return std::to_string(c.rows) + "x" + std::to_string(c.cols); }

std::string resourcesText(const Resources& r) {
  char b[200];
  std::snprintf(b, sizeof b, "LUT %.0f, FF %.0f, DSP %.0f, BRAM36 %.1f, URAM %.0f", r.lut, r.ff, r.dsp, r.bram36, r.uram);
  return b;
}

// "conv1=8x16,linear=1x64" -> layer name -> array.
std::map<std::string, ArrayConfig> parseArrays(const ArchConfig& a) {
  std::map<std::string, ArrayConfig> out;
  std::stringstream ss(a.pipeline.arrays);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const size_t eq = item.find('='), x = item.find('x', eq == std::string::npos ? 0 : eq);
    ArrayConfig c;
    int used = 0;
    const bool ok = eq != std::string::npos && eq > 0 && x != std::string::npos &&
                    std::sscanf(item.c_str() + eq + 1, "%dx%d%n", &c.rows, &c.cols, &used) == 2 && size_t(used) == item.size() - eq - 1 &&
                    c.rows >= 1 && c.cols >= 1 && c.rows <= 4096 && c.cols <= 4096;
    if (!ok)
      throw ConfigError(a.source_file, "pipeline.arrays", "\"" + item + "\" is not layer=ROWSxCOLS (rows and cols in [1, 4096])");
    if (!out.emplace(item.substr(0, eq), c).second)
      throw ConfigError(a.source_file, "pipeline.arrays", "layer \"" + item.substr(0, eq) + "\" is given twice");
  }
  return out;
}

// For a target: per layer the most folded candidate within it (the most cycles, as FINN folds an
// engine as far as the target allows), the one taking the least of the budget among equals.
bool choose(const FoldingSpace& sp, const Budget& budget, double target, std::vector<size_t>& pick) {
  pick.assign(sp.candidates.size(), SIZE_MAX);
  Resources sum;
  for (size_t s = 0; s < sp.candidates.size(); ++s) {
    const std::vector<FoldingCandidate>& cs = sp.candidates[s];
    for (size_t k = 0; k < cs.size(); ++k) {
      if (cs[k].cycles > target) continue;
      const FoldingCandidate* p = pick[s] == SIZE_MAX ? nullptr : &cs[pick[s]];
      if (!p || cs[k].cycles > p->cycles || (cs[k].cycles == p->cycles && budget.share(cs[k].res) < budget.share(p->res))) pick[s] = k;
    }
    if (pick[s] == SIZE_MAX) return false;
    sum += cs[pick[s]].res;
  }
  return budget.fits(sum);
}

// Sets the picked arrays; returns the folding as pipeline.arrays writes it.
std::string applyPick(const FoldingSpace& sp, const NetworkConfig& n, const std::vector<size_t>& pick, std::vector<ArchConfig>& engines) {
  std::string chosen;
  for (size_t s = 0; s < sp.layers.size(); ++s) {
    engines[sp.layers[s]] = sp.candidates[s][pick[s]].arch;
    chosen += (chosen.empty() ? "" : ",") + n.layers[sp.layers[s]].name + "=" + arrayText(sp.candidates[s][pick[s]].array);
  }
  return chosen;
}

void checkGivenArrays(const ArchConfig& a, const std::string& chosen) {
  if (!a.pipeline.arrays.empty() && a.pipeline.arrays != chosen)
    throw ConfigError(a.source_file, "pipeline.arrays",
                      "balanced folding chooses \"" + chosen + "\", not the given \"" + a.pipeline.arrays +
                          "\"; give folding explicit to set the arrays yourself");
}

}  // namespace

double estimatedEngineCycles(const ArchConfig& e, const LayerConfig& l) {
  const LayerGeometry g = computeGeometry(l, e.compat);
  const double R = e.array.rows, C = e.array.cols, M = double(g.M), K = double(g.K), N = double(g.N);
  if (e.datapath == DatapathKind::Cs) {
    // Rows are activation lanes (one pixel each), cols the packed-group slots; complementary
    // packing puts about 1 / weight density kernels in a group; a pixel's pass reads its kept
    // activations.
    const double density = std::max(1e-3, 1.0 - l.weight_sparsity);
    const double kept = std::max(1.0, K * l.activation_density);
    return g.groups * ceilDiv(M, R) * ceilDiv(std::max(1.0, std::ceil(N * density)), C) * (kept + e.cs.mac.pipeline_depth);
  }
  const double os = ceilDiv(M, R) * ceilDiv(N, C) * (K + R + C);
  const double ws = ceilDiv(K, R) * ceilDiv(N, C) * (M + R + C);
  const double perGroup = e.dataflow == Dataflow::WeightStationary ? ws : e.dataflow == Dataflow::Auto ? std::min(os, ws) : os;
  return g.groups * perGroup;
}

std::vector<ArchConfig> foldPipeline(ArchConfig& a, const NetworkConfig& n, const FpgaPart& part, const Calibration& cal,
                                     const DatapathCostModel& costs, FoldingSpace* space, const EngineSizer& size) {
  std::vector<ArchConfig> engines(n.layers.size(), a);
  if (a.pipeline.folding == "whole") return engines;
  const auto resourcesOf = [&](const ArchConfig& e) { return estimateResources(e, cal, costs).total; };
  if (a.pipeline.folding == "explicit") {
    std::map<std::string, ArrayConfig> given = parseArrays(a);
    for (size_t i = 0; i < n.layers.size(); ++i) {
      if (!isComputeLayer(n.layers[i].type)) continue;
      auto it = given.find(n.layers[i].name);
      if (it == given.end())
        throw ConfigError(a.source_file, "pipeline.arrays", "compute layer \"" + n.layers[i].name + "\" of " + n.source_file + " has no engine array");
      engines[i].array = it->second;
      if (size) size(engines[i], i);
      given.erase(it);
    }
    if (!given.empty())
      throw ConfigError(a.source_file, "pipeline.arrays", "\"" + given.begin()->first + "\" is not a compute layer of " + n.source_file);
    return engines;
  }
  // Balanced: every compute layer's candidate arrays with their estimated cycles and resources.
  const Budget budget = budgetOf(a, part);
  FoldingSpace local;
  FoldingSpace& sp = space ? *space : local;
  sp = FoldingSpace{};
  sp.budget = budget.cap;
  sp.measured = a.datapath == DatapathKind::Cs;
  std::vector<double> targets;
  for (size_t i = 0; i < n.layers.size(); ++i) {
    if (!isComputeLayer(n.layers[i].type)) continue;
    sp.layers.push_back(i);
    std::vector<FoldingCandidate> cs;
    for (int r = 1; r <= kMaxSide; r *= 2)
      for (int c = 1; c <= kMaxSide; c *= 2) {
        // cs: rows are the activation lanes, cols the packed-group slots; both fold.
        ArchConfig e = a;
        e.array.rows = r;
        e.array.cols = c;
        if (size) size(e, i);
        FoldingCandidate k{e.array, estimatedEngineCycles(e, n.layers[i]), resourcesOf(e), e};
        targets.push_back(k.cycles);
        cs.push_back(k);
      }
    sp.candidates.push_back(std::move(cs));
  }
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  std::vector<size_t> pick;
  if (!choose(sp, budget, targets.back(), pick)) {
    // Infeasible: the smallest engines (least share of the budget), added in network order,
    // until one no longer fits.
    Resources sum;
    for (size_t s = 0; s < sp.candidates.size(); ++s) {
      size_t least = 0;
      for (size_t k = 0; k < sp.candidates[s].size(); ++k)
        if (budget.share(sp.candidates[s][k].res) < budget.share(sp.candidates[s][least].res)) least = k;
      const FoldingCandidate& k = sp.candidates[s][least];
      sum += k.res;
      if (!budget.fits(sum))
        throw ConfigError(a.source_file, "pipeline.budget",
                          "layer \"" + n.layers[sp.layers[s]].name + "\" cannot fit: its smallest engine (" + arrayText(k.array) +
                              ") brings the pipeline to " + resourcesText(sum) + ", over the budget " + resourcesText(budget.cap) +
                              " (" + part.name + " x part_fraction, caps)");
    }
  }
  // The smallest target that fits, every target in order: a larger target may fold an engine
  // onto an array with wider buffer ports, so fitting is not monotone in the target.
  size_t t = 0;
  while (!choose(sp, budget, targets[t], pick)) ++t;
  const std::string chosen = applyPick(sp, n, pick, engines);
  if (sp.measured) return engines;  // the run measures the candidates, then chooseMeasuredFolding
  checkGivenArrays(a, chosen);
  a.pipeline.arrays = chosen;
  return engines;
}

void chooseMeasuredFolding(ArchConfig& a, const NetworkConfig& n, const FoldingSpace& space, std::vector<ArchConfig>& engines) {
  Budget budget;
  budget.cap = space.budget;
  std::vector<double> targets;
  for (const auto& cs : space.candidates)
    for (const FoldingCandidate& k : cs)
      if (std::isfinite(k.cycles)) targets.push_back(k.cycles);  // an unmeasured candidate is never chosen
  std::sort(targets.begin(), targets.end());
  targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
  // Measured cycles need not fall with every doubling of the array (a pass's fill, bank
  // conflicts): every target in order, the first that fits.
  std::vector<size_t> pick;
  size_t t = 0;
  while (t < targets.size() && !choose(space, budget, targets[t], pick)) ++t;
  if (t == targets.size())
    throw ConfigError(a.source_file, "pipeline.budget", "no balanced folding of the measured engines fits the budget " + resourcesText(budget.cap));
  const std::string chosen = applyPick(space, n, pick, engines);
  checkGivenArrays(a, chosen);
  a.pipeline.arrays = chosen;
}

}  // namespace sparsesim
