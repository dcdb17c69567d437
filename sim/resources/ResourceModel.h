#pragma once
// FPGA resource (LUT, FF, DSP48E2, BRAM36, URAM) and ASIC area estimates per block of a
// datapath, computed from the architecture's configuration: structural features of each block
// times coefficients fitted to yosys synthesis of traces/rtl/ (sim/resources/Calibration.h,
// configs/calibration/yosys-xc7.json), block-RAM counts by a packing rule, and a few model
// choices. docs/resources.md lists which is which.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/resources/Calibration.h"
#include "sim/resources/DatapathCostModel.h"
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
  // Resources the design uses that the part has none of (URAM on a ZU3EG): the design does not
  // fit, the first of them is the binding resource, and their utilisation is undefined
  // (+infinity here; the report writes null, never inf).
  std::vector<std::string> missing;
};

// What one block holds (KiB): a BRAM36 is 512 x 72 bits (a RAMB18, counted 0.5, half of it), a
// URAM 4096 x 72 bits (UG573). The iso memory budget charges buffers by these.
constexpr double kBram36Kb = 512.0 * 72 / 8 / 1024, kUramKb = 4096.0 * 72 / 8 / 1024;
inline double blockKb(const Resources& r) { return r.bram36 * kBram36Kb + r.uram * kUramKb; }

// Building-block estimates (UltraScale+ primitives), exposed for unit tests.
// A buffer of `bytes` read widthBits at a time: sramBanks(1, widthBits, bytes * 8 / widthBits).
Resources bramForBuffer(double bytes, int widthBits);
// banks x (wordBits x depth): URAM 72 x 4096 blocks, or the fewest BRAM36 over the block-RAM
// aspect ratios (72x512 ... 1x32768; RAMB18 halves count 0.5), as synthesis packs them.
Resources sramBanks(int banks, int wordBits, int depth, bool uram);
Resources int8MacPe(const Calibration& c, Dataflow df);  // one dense systolic PE
Resources int8MacPe(Dataflow df);                        // ... with defaultCalibration()
// The model of one calibrated building block at its RTL parameters (the names of the
// calibration file's "params"); what the calibration test compares with synthesis.
Resources calibratedBlock(const std::string& block, const ParamMap& params, const Calibration& c);

// The blocks several datapaths share, for their estimators (sim/resources/<Kind>Costs.cpp).
// The fitted terms of a calibrated block, optionally only those of some features (a block the
// report splits in two, e.g. a sparse PE's MAC and its FIFOs + matcher).
Resources fittedResources(const Calibration& c, const std::string& block, const ParamMap& p, const std::set<std::string>& only = {});
Resources scaled(Resources r, double n);
// Threshold k-WTA selector as modelled (LUTRAM histograms; structural, see docs/resources.md).
Resources thresholdSelector(int lanes, int outWidth, int binsPerCycle, int countBits);
BlockResources blockResources(const std::string& name, Resources r, std::map<std::string, double> asic, std::string note);
// The global buffer of a dense-style datapath: its ifmap, filter and ofmap partitions (the
// activation partition only, for cs), BRAM by the packing rule at their port widths.
struct BufferPorts {
  int ifmap_bits = 0, filter_bits = 0, ofmap_bits = 0;  // read/write port width of each partition
  double total() const { return double(ifmap_bits) + filter_bits + ofmap_bits; }
};
// The ports a dense array's edges need (rows x 8, cols x 8, cols x 32 bits), each widened to
// `ifmapBits` / `filterBits` where a datapath's buses read more per cycle (sod.port_bytes,
// sparse_pe.bus_pairs_per_cycle); the filter and ofmap ports are 0 with ifmapOnly.
BufferPorts globalBufferPorts(const ArchConfig& a, bool ifmapOnly, int ifmapBits = 0, int filterBits = 0);
void addGlobalBuffer(const ArchConfig& a, ResourceEstimate& e, bool ifmapOnly);
void addGlobalBuffer(const ArchConfig& a, ResourceEstimate& e, const BufferPorts& ports);
// The rows x cols systolic array (dense, sod): the calibrated pe_array for OS, per-PE cost for WS.
void addSystolicArray(const ArchConfig& a, const Calibration& c, ResourceEstimate& e);

// The design's blocks: those of its datapath (m.resources, from the datapath's registry entry)
// plus the control every datapath has, LUT and FF rounded up per block. The estimate of an
// architecture by its own datapath is estimateResources(a) in sim/run/ArchCosts.h.
ResourceEstimate estimateResources(const ArchConfig& a, const Calibration& c, const DatapathCostModel& m);
PartFit fitOnPart(const Resources& r, const FpgaPart& p);

}  // namespace sparsesim
