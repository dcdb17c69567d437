#pragma once
// The resource model's coefficients, fitted to yosys synthesis of the building blocks in
// traces/rtl/ by tools/calibrate-resources and read from configs/calibration/yosys-xc7.json
// (docs/resources.md, "Calibration"). A fitted resource of a block is the sum over its features
// of coefficient x feature; the features are structural quantities of the block's parameters
// (calibrationFeatures), computed identically by the script, which records them per size so a
// test can check that both sides agree.
#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace sparsesim {

class JsonReader;
using ParamMap = std::map<std::string, double>;

struct CalibrationSize {
  ParamMap params;    // the RTL parameters synthesised
  ParamMap features;  // the script's feature values at these parameters
  ParamMap measured;  // "lut" (LUT + LUTRAM + SRL sites), "ff", "dsp", "bram36" as yosys mapped them
};

// What the FPGA and the ASIC calibration files hold alike for one block: the RTL module
// synthesised, the sizes synthesised and the coefficients fitted to them.
struct FittedBlock {
  std::string name;
  std::string top;                                       // RTL module synthesised
  std::map<std::string, ParamMap> coefficients;          // fitted quantity -> feature -> coefficient
  std::vector<CalibrationSize> sizes;
};

struct CalibratedBlock : FittedBlock {
  std::map<std::string, std::string> structural;         // resource -> the rule computing it instead
  std::map<std::string, std::string> known_gaps;         // resource -> why the model misses synthesis
};

struct Calibration {
  std::string source_file;
  std::string yosys_version, family, date;
  double tolerance = 0.15;  // relative error the calibration test accepts outside known gaps
  std::map<std::string, CalibratedBlock> blocks;
};

// Reads and checks a calibration file: every block the model needs, every coefficient naming a
// feature of its block. Throws ConfigError (file, JSON path, reason) on anything else.
Calibration loadCalibration(const std::string& file);

// A JSON object of finite numbers (a calibration file's params, features, counts); throws
// ConfigError naming file and path otherwise. Shared by the FPGA and the ASIC calibration.
ParamMap readNumberMap(const nlohmann::json& j, const std::string& file, const std::string& path);

// How one kind of calibration file names a block's measured counts and fitted quantities.
struct FittedBlockSchema {
  std::vector<std::pair<std::string, std::string>> counts;  // measured name <- key of a size's "counts"
  std::vector<std::string> other_counts;                    // further keys of "counts", accepted and not used
  double max_count = 0;
  std::set<std::string> quantities;                         // keys of "coefficients"
  std::string quantities_text;                              // e.g. "a resource (lut, ff, dsp, bram36)"
  ParamMap (*features)(const std::string& block, const ParamMap& params) = nullptr;
};

// Reads the shared part of block `name` (top, sizes, coefficients, each coefficient naming a
// feature of the block) through `r`, the reader of `j` at "blocks.<name>"; the caller reads the
// rest and finishes `r`.
FittedBlock readFittedBlock(JsonReader& r, const nlohmann::json& j, const std::string& name, const std::string& file,
                            const FittedBlockSchema& schema);

// configs/calibration/yosys-xc7.json of the source tree, loaded on first use (thread-safe) and
// kept; a bad file throws ConfigError on every call.
const Calibration& defaultCalibration();

// The features of a calibrated block at the given RTL parameters; empty for the blocks computed by
// rules (memories, k-WTA). Throws std::out_of_range for an unknown block or a missing parameter.
ParamMap calibrationFeatures(const std::string& block, const ParamMap& params);

}  // namespace sparsesim
