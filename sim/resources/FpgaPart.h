#pragma once
// An FPGA part: data-sheet capacities read from configs/fpga/<part>.json (docs/resources.md).
#include <map>
#include <string>

namespace sparsesim {

struct FpgaPart {
  std::string name;         // e.g. "zu3eg"
  std::string family;       // e.g. "ultrascale+"
  std::string description;
  std::string source;       // where the capacities come from (data sheet)
  std::string source_file;  // the json file read
  double lut = 0, ff = 0, dsp = 0, bram36 = 0, uram = 0;
  // Timing limit (the part file's "timing"): the highest clock a datapath is taken to close at
  // on this part, by datapath name, with "default" for the others; 0 = the file gives none.
  std::map<std::string, double> fmax_mhz;
  std::string timing_source;  // where the limits come from
};

// The timing limit of `datapath` on the part (its own entry, else "default"); 0 when none.
double fmaxFor(const FpgaPart& p, const std::string& datapath);

FpgaPart loadFpgaPart(const std::string& file);

// Finds configs/fpga/<part>.json: first <folder of archFile>/../fpga/<part>.json, then the source
// tree's configs/fpga/<part>.json. Throws ConfigError (naming archFile and "fpga_part") if absent.
std::string resolveConfigFile(const std::string& kind, const std::string& name, const std::string& archFile,
                              const std::string& key);

// Where the shipped tables (configs/, tools/, docs/) are: <prefix>/share/sparsesim beside an
// installed binary (<prefix>/bin), else the source tree the build was configured from.
std::string sourceTreeRoot();
// `path` relative to the source tree when it lies inside it (how reports name the tables they
// used, so a report does not depend on where the tree is checked out); otherwise unchanged.
std::string sourceRelative(const std::string& path);

}  // namespace sparsesim
