#pragma once
// FPGA resource (LUT, FF, DSP48E2, BRAM36, URAM) and ASIC area estimates per block of a
// datapath, computed from the architecture's configuration. Coefficients and their derivation:
// docs/resources.md. These are structural estimates, not synthesis results.
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/resources/FpgaPart.h"

namespace sparsesim {

struct Resources {
  double lut = 0, ff = 0, dsp = 0, bram36 = 0, uram = 0;
  Resources& operator+=(const Resources& o) {
    lut += o.lut; ff += o.ff; dsp += o.dsp; bram36 += o.bram36; uram += o.uram;
    return *this;
  }
};

struct BlockResources {
  std::string block;    // e.g. "pe_array", "global_buffer", "kwta_selector"
  Resources fpga;
  // ASIC primitives: counts of mult_int8, add_int32, add_int8, ff_bit, sram_bit, mux2_bit; the
  // area per primitive is data (configs/energy/asic-45nm-horowitz.json, "area_um2").
  std::map<std::string, double> asic;
  double asic_um2 = 0;  // filled by asicArea()
  std::string note;     // how the numbers were derived
};

struct ResourceEstimate {
  std::vector<BlockResources> blocks;
  Resources total;
  double asic_um2 = 0;
};

struct PartFit {
  double util_lut = 0, util_ff = 0, util_dsp = 0, util_bram36 = 0, util_uram = 0;
  bool fits = false;
  std::string binding_resource;  // the resource with the highest utilisation
  long long copies_per_part = 0; // floor(1 / max utilisation)
};

// Building-block estimates (UltraScale+ primitives), exposed for unit tests.
Resources bramForBuffer(double bytes, int widthBits);           // BRAM36, 32 Kbit data each, 64-bit ports
Resources sramBanks(int banks, int wordBits, int depth, bool uram);  // 512x72 BRAM36 / 4096x72 URAM blocks
Resources int8MacPe(Dataflow df);                                // one dense systolic PE

ResourceEstimate estimateResources(const ArchConfig& a);
PartFit fitOnPart(const Resources& r, const FpgaPart& p);

nlohmann::ordered_json toJson(const ResourceEstimate& e, const FpgaPart& p, const PartFit& f);

}  // namespace sparsesim
