#pragma once
// Iso-resource sizing: grows a datapath to the largest design that fits a resource budget (an
// FPGA part, explicit caps, or both; or an ASIC area at a node), so datapaths are compared at equal cost rather than at
// equal array size. The sweep engine calls sizeToBudget once per point of a sweep with an "iso"
// section, after applying the point's axis values. Rules and JSON keys: docs/iso-and-plots.md.
#include <nlohmann/json.hpp>

#include <map>
#include <string>

#include "sim/config/ArchConfig.h"
#include "sim/resources/FpgaPart.h"

namespace sparsesim {

enum class IsoScale { Array, Copies };
enum class IsoShape { Aspect, Square };
enum class IsoGrid { Step, Pow2 };

struct IsoBudget {
  std::string file, path;  // where the budget was read (named in errors)
  std::string part;        // configs/fpga/<part>.json, empty when only caps are given
  double fraction = 1.0;   // of the part's capacities that the budget may use
  FpgaPart caps;           // effective capacities: min(part x fraction, explicit caps); +inf = no cap
  IsoScale scale = IsoScale::Array;  // one big array, or copies of the unchanged base design
  IsoShape shape = IsoShape::Aspect; // keep the base's rows:cols ratio, or square
  IsoGrid grid = IsoGrid::Step;      // array dimensions: multiples of step, or powers of two
  int step = 8;
  // "best" (default): a datapath that can map a layer more than one way (the registry lists
  // dataflow "auto") is compared at its best mapping, dataflow "auto"; "as_configured" keeps
  // the point's dataflow.
  bool best_mapping = true;
  // ASIC budget (docs/asic-area.md): the design's area at `node` (sim/resources/AsicArea) must
  // not exceed asic_area_mm2; 0 = no area budget.
  double asic_area_mm2 = 0;
  std::string node = "45nm";
  // On-chip memory every datapath gets (KiB of built blocks or macros: sim/sweep/IsoMemory.h),
  // split between its buffers by splitMemoryBudget's rule; 0 = keep the base file's buffers.
  double memory_kb = 0;
};

IsoBudget isoBudgetFromJson(const nlohmann::json& j, const std::string& file, const std::string& path);

struct IsoSizing {
  ArchConfig arch;
  long long copies = 1;
  // "iso.rows", "iso.cols", "iso.multipliers", "iso.copies", "iso.utilization" (largest fraction
  // of a capped resource used by all copies) and "iso.dsp", "iso.lut", "iso.ff", "iso.bram36",
  // "iso.uram" (resources of all copies together); with an ASIC budget also "iso.asic_area_mm2"
  // (all copies) and "iso.asic_utilization" (of the budget); always, for one copy's buffers, the
  // KiB they build: "iso.ifmap_kb", "iso.ofmap_kb", "iso.weight_memory_kb", "iso.memory_built_kb"
  // (their sum), and "iso.weight_capacity_kb" (what the weight memory holds); with memory_kb
  // also "iso.memory_kb" (the budget).
  std::map<std::string, double> columns;
  // "iso.limit": what stops the next grid size, every budget it exceeds joined by "+" ("dsp",
  // "lut", "ff", "bram36", "uram", "area", "memory" = its built buffers do not fit memory_kb,
  // "array_size" = beyond the largest legal array); with copies, the binding resource.
  // "iso.weight_block": what the weight memory is built of ("bram36", "uram", "sram_macro").
  std::map<std::string, std::string> labels;
};

// Throws ConfigError naming the budget when even the smallest design does not fit.
IsoSizing sizeToBudget(const ArchConfig& base, const IsoBudget& budget);

// The design sizeToBudget would build with the given array shape (its datapath-specific
// companions scaled with the array); exposed so tests can probe the next size up.
ArchConfig isoScaledArch(const ArchConfig& base, int rows, int cols);

}  // namespace sparsesim
