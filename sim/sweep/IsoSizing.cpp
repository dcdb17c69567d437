#include "sim/sweep/IsoSizing.h"
#include "sim/sweep/IsoMemory.h"
#include "sim/core/Math.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <sstream>
#include <vector>

#include "sim/core/ConfigError.h"
#include "sim/config/JsonReader.h"
#include "sim/resources/AsicArea.h"
#include "sim/resources/ResourceModel.h"
#include "sim/run/ArchCosts.h"
#include "sim/run/DatapathRegistry.h"

namespace sparsesim {

namespace {

constexpr int kMaxDim = 4096;  // loadArch's range for array.rows / array.cols
constexpr double kInf = std::numeric_limits<double>::infinity();

int clampInt(double v, int lo, int hi) { return static_cast<int>(std::min<double>(hi, std::max<double>(lo, std::ceil(v - 1e-9)))); }

// Banks a CS weight-packing SRAM needs so that every lane can read a whole column (one slot's
// entries of all resident groups) per cycle without bank conflicts: the rule the shipped
// cs-small / cs-large configs are built by.
long long csBanksForBandwidth(const CsConfig& c, int rows, int cols) {
  const int entryBits = 8 + std::max(1, ceilLog2(c.packing.max_n));
  const long long wordsPerColumn = ceilDiv(static_cast<long long>(cols) * entryBits, c.sram.word_bits);
  return ceilDiv(rows * wordsPerColumn, c.sram.ports);
}

void scaleCs(CsConfig& c, const ArchConfig& base, int rows, int cols) {
  const CsConfig& b = base.cs;
  // Banks keep the base's bandwidth provisioning (banks / bandwidth rule) so a larger array is
  // not starved by an SRAM sized for a smaller one; capacity stays at least the base's, in whole
  // blocks (a BRAM36 holds 512 words of 72 bits, a URAM 4096).
  const double provision = double(b.sram.banks) / std::max<long long>(1, csBanksForBandwidth(b, base.array.rows, base.array.cols));
  c.sram.banks = clampInt(provision * csBanksForBandwidth(b, rows, cols), 1, 65536);
  const long long baseWords = static_cast<long long>(b.sram.banks) * b.sram.depth;
  const int block = b.sram.memory == SramMemory::Uram ? 4096 : 512;
  c.sram.depth = static_cast<int>(std::min<long long>(1 << 24, ceilDiv(ceilDiv(baseWords, c.sram.banks), block) * block));
  // The k-WTA selector keeps its share of the work: its rates scale with the multipliers, so
  // selection time shrinks as fast as MAC time.
  const double f = double(rows) * cols / (double(base.array.rows) * base.array.cols);
  c.selector.lanes = clampInt(b.selector.lanes * f, 1, 65536);
  c.selector.out_width = clampInt(b.selector.out_width * f, 1, 65536);
  c.selector.comparators = clampInt(b.selector.comparators * f, 1, 1 << 24);
}

void scaleSod(SodConfig& s, const ArchConfig& base, int rows, int cols) {
  // Each decompression unit fills one array-edge vector per cycle in the base design; keep that
  // rate relative to the (larger) edge, or the decompressors throttle the array.
  const double e = double(std::max(rows, cols)) / std::max(base.array.rows, base.array.cols);
  s.nnz_per_cycle = clampInt(base.sod.nnz_per_cycle * e, 1, 4096);
  s.port_bytes = clampInt(base.sod.port_bytes * e, 1, 4096);
}

// Array shape of grid point k >= 1: the smaller dimension is k x step (or 2^(k-1)), the larger
// one keeps the base ratio on the same grid (Aspect) or equals it (Square).
std::pair<int, int> shapeAt(const ArchConfig& base, const IsoBudget& b, int k) {
  const bool rowsSmall = base.array.rows <= base.array.cols;
  const double ratio = b.shape == IsoShape::Square
                           ? 1.0
                           : double(std::max(base.array.rows, base.array.cols)) / std::min(base.array.rows, base.array.cols);
  long long small, large;
  if (b.grid == IsoGrid::Pow2) {
    small = 1LL << std::min(k - 1, 30);
    large = small << static_cast<int>(std::lround(std::log2(ratio)));
  } else {
    small = static_cast<long long>(k) * b.step;
    large = std::max<long long>(b.step, b.step * std::llround(small * ratio / b.step));
  }
  large = std::max(large, small);
  const int s = static_cast<int>(std::min<long long>(small, kMaxDim + 1)), l = static_cast<int>(std::min<long long>(large, kMaxDim + 1));
  return rowsSmall ? std::make_pair(s, l) : std::make_pair(l, s);
}

std::string describe(const Resources& r) {
  std::ostringstream o;
  o << r.dsp << " DSP, " << r.lut << " LUT, " << r.ff << " FF, " << r.bram36 << " BRAM36, " << r.uram << " URAM";
  return o.str();
}

std::string describeCaps(const FpgaPart& c) {
  std::ostringstream o;
  const std::pair<const char*, double> all[] = {{"DSP", c.dsp}, {"LUT", c.lut}, {"FF", c.ff}, {"BRAM36", c.bram36}, {"URAM", c.uram}};
  bool first = true;
  for (const auto& [name, v] : all) {
    if (std::isinf(v)) continue;
    o << (first ? "" : ", ") << v << " " << name;
    first = false;
  }
  return o.str();
}

bool hasFpgaCaps(const FpgaPart& c) {
  return std::isfinite(c.lut) || std::isfinite(c.ff) || std::isfinite(c.dsp) || std::isfinite(c.bram36) || std::isfinite(c.uram);
}

double asicMm2(const ArchConfig& a, const IsoBudget& b) { return estimateAsicArea(a, b.node).area_um2 * 1e-6; }

// Does one design fit the budget's FPGA caps (when it has any) and its ASIC area (when set)?
bool fitsBudget(const ArchConfig& a, const IsoBudget& b) {
  if (hasFpgaCaps(b.caps) && !fitOnPart(estimateResources(a).total, b.caps).fits) return false;
  return b.asic_area_mm2 <= 0 || asicMm2(a, b) <= b.asic_area_mm2;
}

std::string describeBudget(const IsoBudget& b) {
  std::ostringstream o;
  if (hasFpgaCaps(b.caps)) o << describeCaps(b.caps);
  if (b.asic_area_mm2 > 0) o << (hasFpgaCaps(b.caps) ? ", " : "") << b.asic_area_mm2 << " mm^2 at " << b.node;
  return o.str();
}

std::string describeDesign(const ArchConfig& a, const IsoBudget& b) {
  std::ostringstream o;
  if (hasFpgaCaps(b.caps)) o << describe(estimateResources(a).total);
  if (b.asic_area_mm2 > 0) o << (hasFpgaCaps(b.caps) ? ", " : "") << asicMm2(a, b) << " mm^2 at " << b.node;
  return o.str();
}

void fillColumns(IsoSizing& s, const Resources& one, const PartFit& fit) {
  const double n = double(s.copies);
  s.columns = {{"iso.rows", s.arch.array.rows},
               {"iso.cols", s.arch.array.cols},
               {"iso.multipliers", double(s.arch.array.rows) * s.arch.array.cols * n},
               {"iso.copies", n},
               {"iso.utilization", n * std::max({fit.util_dsp, fit.util_lut, fit.util_ff, fit.util_bram36, fit.util_uram})},
               {"iso.dsp", one.dsp * n},
               {"iso.lut", one.lut * n},
               {"iso.ff", one.ff * n},
               {"iso.bram36", one.bram36 * n},
               {"iso.uram", one.uram * n}};
}

bool asicMacros(const IsoBudget& b) { return b.asic_area_mm2 > 0; }

// The KiB one copy's buffers build (FPGA blocks, ASIC macros) and what its weight memory is built of.
void addMemoryColumns(IsoSizing& s, const IsoBudget& b) {
  const BuiltMemory m = builtMemory(s.arch, asicMacros(b));
  s.columns["iso.ifmap_kb"] = m.ifmap_kb;
  s.columns["iso.ofmap_kb"] = m.ofmap_kb;
  s.columns["iso.weight_memory_kb"] = m.weight_kb;
  s.columns["iso.memory_built_kb"] = m.total_kb();
  s.columns["iso.weight_capacity_kb"] = m.weight_capacity_kb;
  if (b.memory_kb > 0) s.columns["iso.memory_kb"] = b.memory_kb;
  s.labels["iso.weight_block"] = asicMacros(b) ? "sram_macro" : s.arch.datapath == DatapathKind::Cs ? toString(s.arch.cs.sram.memory) : "bram36";
}

// With an ASIC budget, utilisation is the area's share of it (the FPGA columns stay for reference).
void addAsicColumns(IsoSizing& s, const IsoBudget& b) {
  if (b.asic_area_mm2 <= 0) return;
  const double area = asicMm2(s.arch, b) * double(s.copies);
  s.columns["iso.asic_area_mm2"] = area;
  s.columns["iso.asic_utilization"] = area / b.asic_area_mm2;
  if (!hasFpgaCaps(b.caps)) s.columns["iso.utilization"] = area / b.asic_area_mm2;
}

}  // namespace

IsoBudget isoBudgetFromJson(const nlohmann::json& j, const std::string& file, const std::string& path) {
  if (!j.is_object()) throw ConfigError(file, path, "must be an object (a \"part\" and/or caps such as \"dsp\")");
  JsonReader r(j, file, path);
  IsoBudget b;
  b.file = file;
  b.path = path;
  b.caps.name = "iso budget";
  b.caps.lut = b.caps.ff = b.caps.dsp = b.caps.bram36 = b.caps.uram = kInf;
  // FPGA part whose capacities bound the design (configs/fpga/<part>.json).
  b.part = r.string("part", std::string());
  if (r.has("part") && b.part.empty()) r.fail("part", "must not be empty");
  // Fraction of the part's capacities the budget may use (headroom for routing, a shell, ...).
  b.fraction = r.real("fraction", 1.0, 0.0, 1.0, true, false);
  if (r.has("fraction") && b.part.empty()) r.fail("fraction", "is a fraction of a part's capacities; name a \"part\"");
  if (!b.part.empty()) {
    FpgaPart p = loadFpgaPart(resolveConfigFile("fpga", b.part, file, r.pathOf("part")));
    b.caps = p;
    b.caps.lut *= b.fraction; b.caps.ff *= b.fraction; b.caps.dsp *= b.fraction;
    b.caps.bram36 *= b.fraction; b.caps.uram *= b.fraction;
  }
  // Explicit caps (absolute counts); with a part, the tighter of the two applies.
  bool anyCap = false;
  auto cap = [&](const char* key, double& field) {
    if (!r.has(key)) return;
    field = std::min(field, double(r.integer(key, std::nullopt, 0, 1000000000)));
    anyCap = true;
  };
  cap("dsp", b.caps.dsp);
  cap("lut", b.caps.lut);
  cap("ff", b.caps.ff);
  cap("bram36", b.caps.bram36);
  cap("uram", b.caps.uram);
  // "array": one design grown to fill the budget; "copies": replicas of the unchanged design.
  b.scale = r.choice("scale", std::string("array"), {"array", "copies"}) == "copies" ? IsoScale::Copies : IsoScale::Array;
  // "aspect": keep the base's rows:cols ratio; "square": rows = cols.
  b.shape = r.choice("shape", std::string("aspect"), {"aspect", "square"}) == "square" ? IsoShape::Square : IsoShape::Aspect;
  // "step": the smaller dimension is a multiple of "step"; "pow2": a power of two.
  b.grid = r.choice("grid", std::string("step"), {"step", "pow2"}) == "pow2" ? IsoGrid::Pow2 : IsoGrid::Step;
  b.step = r.integer("step", 8, 1, kMaxDim);
  if (r.has("step") && b.grid == IsoGrid::Pow2) r.fail("step", "applies to \"grid\": \"step\" only");
  b.best_mapping = r.choice("mapping", std::string("best"), {"best", "as_configured"}) == "best";
  if (b.scale == IsoScale::Copies)
    for (const char* k : {"shape", "grid", "step"})
      if (r.has(k)) r.fail(k, "shapes a grown array; \"scale\": \"copies\" keeps the base design");
  // ASIC budget: silicon area at a node (configs/asic/<node>.json).
  if (r.has("asic_area_mm2")) b.asic_area_mm2 = r.real("asic_area_mm2", std::nullopt, 0, 1e5, true);
  b.node = r.string("node", std::string("45nm"));
  if (r.has("node") && !r.has("asic_area_mm2")) r.fail("node", "is the node of an \"asic_area_mm2\" budget; give one");
  if (b.asic_area_mm2 > 0) {
    if (!b.part.empty() || anyCap) r.fail("asic_area_mm2", "an ASIC area budget cannot be combined with an FPGA \"part\" or caps");
    try {
      (void)asicNode(b.node);
    } catch (const ConfigError& e) {
      r.fail("node", "cannot load the node file configs/asic/" + b.node + ".json: " + e.reason());
    }
  }
  // On-chip memory (KiB, as built) every datapath gets, split by splitMemoryBudget's rule.
  if (r.has("memory_kb")) b.memory_kb = r.real("memory_kb", std::nullopt, 0, 1e7, true);
  // Unknown keys first: a misspelt cap ("dps") would otherwise read as "no cap given".
  r.finish();
  if (b.part.empty() && !anyCap && b.asic_area_mm2 <= 0)
    r.fail("part", "a budget needs a \"part\", at least one cap (dsp, lut, ff, bram36, uram) or an \"asic_area_mm2\"");
  return b;
}

ArchConfig isoScaledArch(const ArchConfig& base, int rows, int cols) {
  ArchConfig a = base;
  a.array.rows = rows;
  a.array.cols = cols;
  if (a.datapath == DatapathKind::Cs) scaleCs(a.cs, base, rows, cols);
  if (a.datapath == DatapathKind::Sod) scaleSod(a.sod, base, rows, cols);
  return a;
}

namespace {

// The asked-for activation buffers must leave room for weights (checked once, before sizing).
void checkMemoryBudget(const ArchConfig& a, const IsoBudget& budget) {
  if (budget.memory_kb <= 0) return;
  if (budget.memory_kb - a.memory.ifmap_kb - a.memory.ofmap_kb <= 0)
    throw ConfigError(budget.file, budget.path + ".memory_kb",
                      "leaves no weight memory: the base's memory.ifmap_kb + memory.ofmap_kb (" +
                          std::to_string(a.memory.ifmap_kb + a.memory.ofmap_kb) + " KiB) take all of it");
}

// The block types a CS weight SRAM may be built of under a memory budget on an FPGA: the base's,
// then the other one, each only if the budget has some of it (a part without URAM, a cap of 0).
std::vector<SramMemory> weightBlockTypes(const ArchConfig& a, const IsoBudget& b) {
  if (a.datapath != DatapathKind::Cs || b.memory_kb <= 0 || asicMacros(b)) return {a.cs.sram.memory};
  const SramMemory own = a.cs.sram.memory, other = own == SramMemory::Uram ? SramMemory::Bram36 : SramMemory::Uram;
  std::vector<SramMemory> types;
  for (SramMemory m : {own, other})
    if ((m == SramMemory::Uram ? b.caps.uram : b.caps.bram36) > 0) types.push_back(m);
  if (types.empty()) types.push_back(own);
  return types;
}

struct SizedDesign {
  ArchConfig arch;
  bool memory_fits = true;  // its built buffers fit memory_kb
  bool fits = false;        // ... and the design fits the budget
};

// A grid point's designs: the array and its companions scaled, then the memory budget split; for
// CS one per block type the budget allows (the base's first).
std::vector<SizedDesign> sizedCandidates(const ArchConfig& scaled, const IsoBudget& budget) {
  if (budget.memory_kb <= 0) return {SizedDesign{scaled, true, fitsBudget(scaled, budget)}};
  std::vector<SizedDesign> all;
  for (SramMemory type : weightBlockTypes(scaled, budget)) {
    SizedDesign d{scaled};
    if (d.arch.datapath == DatapathKind::Cs) d.arch.cs.sram.memory = type;
    d.memory_fits = splitMemoryBudget(d.arch, budget.memory_kb, asicMacros(budget));
    d.fits = d.memory_fits && fitsBudget(d.arch, budget);
    all.push_back(d);
  }
  return all;
}

// Of the candidates, the one that fits, then the one whose weight memory holds more (the base's
// block type on a tie).
SizedDesign bestOf(const std::vector<SizedDesign>& all, const IsoBudget& budget) {
  const auto rank = [](const SizedDesign& x) { return int(x.fits) * 2 + int(x.memory_fits); };
  const SizedDesign* best = &all.front();
  for (const SizedDesign& d : all) {
    const double have = builtMemory(best->arch, asicMacros(budget)).weight_capacity_kb;
    if (rank(d) > rank(*best) || (rank(d) == rank(*best) && builtMemory(d.arch, asicMacros(budget)).weight_capacity_kb > have)) best = &d;
  }
  return *best;
}

SizedDesign sizedAt(const ArchConfig& base, const IsoBudget& budget, int rows, int cols) {
  return bestOf(sizedCandidates(isoScaledArch(base, rows, cols), budget), budget);
}

// Every budget a design exceeds with any of its block types (what stops it), joined by "+" in a
// fixed order (the names of IsoSizing::labels["iso.limit"]).
std::string exceeded(const std::vector<SizedDesign>& all, const IsoBudget& b) {
  std::set<std::string> why;
  for (const SizedDesign& d : all) {
    if (hasFpgaCaps(b.caps)) {
      const PartFit f = fitOnPart(estimateResources(d.arch).total, b.caps);
      const std::pair<const char*, double> res[] = {{"lut", f.util_lut}, {"ff", f.util_ff}, {"dsp", f.util_dsp}, {"bram36", f.util_bram36}, {"uram", f.util_uram}};
      for (const auto& [name, u] : res)
        if (u > 1.0) why.insert(name);
    }
    if (b.asic_area_mm2 > 0 && asicMm2(d.arch, b) > b.asic_area_mm2) why.insert("area");
    if (!d.memory_fits) why.insert("memory");
  }
  std::string s;
  for (const char* name : {"lut", "ff", "dsp", "bram36", "uram", "area", "memory"})
    if (why.count(name)) s += (s.empty() ? "" : "+") + std::string(name);
  return s;
}

std::string describeMemory(const SizedDesign& d, const IsoBudget& b) {
  if (d.memory_fits || b.memory_kb <= 0) return "";
  std::ostringstream o;
  o << "; its buffers build " << builtMemory(d.arch, asicMacros(b)).total_kb() << " KiB of the " << b.memory_kb << " KiB memory_kb";
  return o.str();
}

}  // namespace

IsoSizing sizeToBudget(const ArchConfig& configured, const IsoBudget& budget) {
  const FpgaPart& caps = budget.caps;
  // Each datapath at its best mapping: dataflow auto where the datapath can map more than one
  // way (its resources are then those of an array that runs both mappings).
  ArchConfig base = configured;
  if (budget.best_mapping) {
    const std::vector<Dataflow>& dfs = datapathEntry(base).dataflows;
    if (std::find(dfs.begin(), dfs.end(), Dataflow::Auto) != dfs.end()) base.dataflow = Dataflow::Auto;
  }
  checkMemoryBudget(base, budget);
  auto finish = [&](IsoSizing s) {
    if (!budget.part.empty()) s.arch.fpga_part = budget.part;
    addAsicColumns(s, budget);
    addMemoryColumns(s, budget);
    return s;
  };

  if (budget.scale == IsoScale::Copies) {
    const SizedDesign d = bestOf(sizedCandidates(base, budget), budget);
    const ArchConfig& sized = d.arch;
    const Resources one = estimateResources(sized).total;
    const PartFit fit = fitOnPart(one, caps);
    long long copies = hasFpgaCaps(caps) ? fit.copies_per_part : std::numeric_limits<long long>::max();
    if (budget.asic_area_mm2 > 0)
      copies = std::min(copies, static_cast<long long>(std::floor(budget.asic_area_mm2 / asicMm2(sized, budget) + 1e-12)));
    if (copies < 1 || !d.memory_fits)
      throw ConfigError(budget.file, budget.path, "the " + std::string(toString(base.datapath)) + " design " + std::to_string(base.array.rows) + "x" +
                                                       std::to_string(base.array.cols) + " (" + describeDesign(sized, budget) + describeMemory(d, budget) +
                                                       ") does not fit the budget (" + describeBudget(budget) + ") even once");
    IsoSizing s;
    s.arch = sized;
    s.copies = copies;
    fillColumns(s, one, fit);
    s.labels["iso.limit"] = budget.asic_area_mm2 > 0 && !hasFpgaCaps(caps) ? "area" : fit.binding_resource;
    return finish(s);
  }

  // Every grid point is tried, not a binary search: BRAM counts of the scaled CS SRAM are not
  // monotone in the array size (depth rounds to whole blocks), and a full scan of at most
  // 4096 estimates costs well under a millisecond.
  int best = 0;
  for (int k = 1;; ++k) {
    auto [rows, cols] = shapeAt(base, budget, k);
    if (rows > kMaxDim || cols > kMaxDim) break;
    if (sizedAt(base, budget, rows, cols).fits) best = k;
    if (budget.grid == IsoGrid::Pow2 && k > 13) break;
  }
  if (best == 0) {
    auto [rows, cols] = shapeAt(base, budget, 1);
    const SizedDesign d = sizedAt(base, budget, rows, cols);
    throw ConfigError(budget.file, budget.path, "even the smallest " + std::string(toString(base.datapath)) + " design (" + std::to_string(rows) + "x" +
                                                     std::to_string(cols) + ": " + describeDesign(d.arch, budget) + describeMemory(d, budget) +
                                                     ") does not fit the budget (" + describeBudget(budget) + ")");
  }
  auto [rows, cols] = shapeAt(base, budget, best);
  IsoSizing s;
  s.arch = sizedAt(base, budget, rows, cols).arch;
  const Resources one = estimateResources(s.arch).total;
  fillColumns(s, one, fitOnPart(one, caps));
  // What stops the next size up.
  auto [nextRows, nextCols] = shapeAt(base, budget, best + 1);
  s.labels["iso.limit"] = nextRows > kMaxDim || nextCols > kMaxDim ? "array_size" : exceeded(sizedCandidates(isoScaledArch(base, nextRows, nextCols), budget), budget);
  return finish(s);
}

}  // namespace sparsesim
