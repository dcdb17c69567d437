#pragma once
// ASIC area of a datapath at a technology node (docs/asic-area.md): per block, NAND2-equivalent
// gates and flip-flops from coefficients fitted to yosys generic-gate synthesis of traces/rtl/
// (tools/calibrate-asic, configs/calibration/yosys-asic-generic.json), converted to um^2 with the
// node's cell areas, plus SRAM macros at the node's bit-cell area (configs/asic/<node>.json).
// Pure: the architecture, the calibration and the node in, areas out; the report calls
// sim/report/CostSections writes it as `resources.asic`.

#include <map>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/resources/Calibration.h"
#include "sim/resources/DatapathCostModel.h"

namespace sparsesim {

// A technology node's conversion from gates to area (configs/asic/<node>.json).
struct AsicNode {
  std::string name, source_file;
  double nand2_um2 = 0;                // NAND2_X1: one gate equivalent
  double dff_um2 = 0;                  // DFF_X1: one flip-flop
  double placement_utilization = 1;    // cells / core area
  double sram_bitcell_um2 = 0;         // 6T bit cell
  double sram_array_efficiency = 0;    // bit cells / macro area
  double sram_macro_overhead_um2 = 0;  // fixed per macro
  std::map<std::string, double> cross_check;        // published areas (um^2) by name
  std::map<std::string, std::string> cross_source;  // ... and where each comes from
  // Area of one SRAM macro of `bits` bits (0 bits: no macro).
  double sramMacroUm2(double bits) const;
};

// Per block and size: the synthesis counts ("ge_comb", "ff", "cell_area_um2") and the script's
// feature values; per block the fitted coefficients ("ge_comb" / "ff" -> feature -> coefficient).
using AsicCalibrationSize = CalibrationSize;
using AsicCalibratedBlock = FittedBlock;

struct AsicCalibration {
  std::string source_file, yosys_version, synth, date;
  double tolerance = 0.15;
  std::map<std::string, double> cell_areas_um2;  // the areas the counts were converted with
  std::map<std::string, AsicCalibratedBlock> blocks;
};

// Load and check (ConfigError naming file, JSON path and reason on anything wrong).
AsicNode loadAsicNode(const std::string& file);
AsicCalibration loadAsicCalibration(const std::string& file);
// configs/asic/<name>.json of the source tree, loaded once per name (thread-safe).
const AsicNode& asicNode(const std::string& name);
// configs/calibration/yosys-asic-generic.json, loaded once.
const AsicCalibration& defaultAsicCalibration();

// The features of a calibrated block at its RTL parameters (keep in step with features() in
// tools/calibrate-asic). Throws std::out_of_range for an unknown block or missing parameter.
ParamMap asicFeatures(const std::string& block, const ParamMap& params);

struct AsicGates {
  double ge_comb = 0;  // NAND2 equivalents of the combinational gates
  double ff = 0;       // flip-flops
  AsicGates& operator+=(const AsicGates& o) { ge_comb += o.ge_comb; ff += o.ff; return *this; }
};
// The fitted model of one calibrated block at its RTL parameters (what the test compares with
// synthesis); `only` restricts the sum to some features (a block the report splits in two).
AsicGates asicBlockGates(const AsicCalibration& c, const std::string& block, const ParamMap& params,
                         const std::vector<std::string>& only = {});
// Logic area in um^2 (cells / placement utilisation) and total gate equivalents (FF in GE).
double logicAreaUm2(const AsicGates& g, const AsicNode& n);
double gateEquivalents(const AsicGates& g, const AsicNode& n);

struct AsicBlockArea {
  std::string block;
  AsicGates gates;
  double sram_bits = 0, sram_macros = 0;
  double area_um2 = 0;          // logic + SRAM
  double gate_equivalents = 0;  // logic only (SRAM is not counted in gates)
  std::string model;            // how it was estimated
};

struct AsicAreaEstimate {
  std::string node, node_file, calibration_file;
  std::vector<AsicBlockArea> blocks;
  double area_um2 = 0, gate_equivalents = 0;
  double pes = 0;          // processing elements the array replicates
  double pe_area_um2 = 0;  // one PE with its registers (and, sparse_pe, FIFOs and matcher)
};

// The blocks several datapaths share, for their area functions (sim/resources/<Kind>Costs.cpp).
AsicBlockArea asicLogicBlock(const std::string& name, const AsicGates& g, const AsicNode& n, std::string model);
// SRAM macros of the given bits each (0 bits: none).
AsicBlockArea asicSramBlock(const std::string& name, const std::vector<double>& macroBits, const AsicNode& n, std::string model);
AsicGates scaled(AsicGates g, double k);
// The global buffer's partitions as SRAM macros (the activation partition only, for cs).
void addGlobalBufferArea(const ArchConfig& a, const AsicNode& n, AsicAreaEstimate& e, bool ifmapOnly);
// The rows x cols systolic array (dense, sod) as the calibrated pe_array; sets pes and pe_area_um2.
void addSystolicArrayArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, AsicAreaEstimate& e);

// The design's area: its datapath's blocks (m.asic_area, from the datapath's registry entry)
// plus the control every datapath has. By the architecture's own datapath and the default
// calibration: estimateAsicArea(a, node) in sim/run/ArchCosts.h.
AsicAreaEstimate estimateAsicArea(const ArchConfig& a, const AsicCalibration& c, const AsicNode& n, const DatapathCostModel& m);

// `resources.asic`: node, area_mm2 (total and per block), pe_area_um2, gate_equivalents, files.

}  // namespace sparsesim
