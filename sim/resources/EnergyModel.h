#pragma once
// Energy per inference: per-event counts x per-event energies from a table in configs/energy/
// (every constant carries its source), plus static power x runtime. docs/resources.md.
#include <map>
#include <string>
#include <vector>

#include "sim/config/ArchConfig.h"
#include "sim/resources/ResourceModel.h"
#include "models/common/LayerStats.h"

namespace sparsesim {

struct EnergyConstant {
  double value = 0;
  std::string unit;
  std::string source;
};

struct EnergyTable {
  std::string name, kind, description, source_file;  // kind: "asic" or "fpga"
  std::map<std::string, EnergyConstant> constants;   // by name
  std::map<std::string, EnergyConstant> area_um2;    // asic only: area per primitive
  std::map<std::string, EnergyConstant> static_w;    // fpga only: device static power by part name
  double get(const std::string& key) const;          // throws ConfigError naming the file if absent
};

EnergyTable loadEnergyTable(const std::string& file);

// One event count of one block during a layer.
struct Event {
  std::string block, event;
  double count = 0;
  double sram_bank_kb = 0;  // SRAM accesses: KiB of one bank of the block's SRAM (ASIC energy per access)
};

// For a datapath's energy-event function (sim/resources/<Kind>Costs.cpp): appends the event
// unless its count is zero.
void addEvent(std::vector<Event>& ev, const std::string& block, const std::string& event, double count, double sramBankKb = 0);
// For the FPGA fabric energy (docs/resources.md): appends the block's busy cycles during the
// layer, from its own counters (a count / what the block can do per cycle), even when zero. A
// block without this event is charged as busy every cycle. The ASIC model ignores it.
void addBusyCycles(std::vector<Event>& ev, const std::string& block, double busyCycles);
// busyCycles / cycles clamped to [0, 1]; 0 for a layer of no cycles.
double fabricActivity(double busyCycles, double cycles);
// KiB of one bank of the global buffer's ifmap partition (64-bit-wide banks along the array edge).
double globalBufferBankKb(const ArchConfig& a);

// The layer's events: its datapath's (m.energy_events, from the registry entry) and the DRAM
// traffic. By the architecture's own datapath: layerEvents(a, l) in sim/run/ArchCosts.h.
std::vector<Event> layerEvents(const ArchConfig& a, const LayerStats& l, const DatapathCostModel& m);

struct EnergyResult {
  double total_j = 0;
  std::map<std::string, double> by_block;  // joules
  std::map<std::string, double> by_event;  // joules
  // FPGA only: each block's fabric activity (busy cycles / cycles, 0..1) and how many copies of
  // the design share the part's static power (1: one copy is charged the whole part).
  std::map<std::string, double> activity;
  double static_sharers = 1;
};

// Energy of one layer whose events were `ev` and that ran `seconds` on the design `res` (FPGA: on `part`).
EnergyResult layerEnergy(const EnergyTable& t, const ArchConfig& a, const ResourceEstimate& res, const PartFit& fit,
                         const std::string& part, const std::vector<Event>& ev, double seconds);

// Fills each block's asic_um2 and the total from the table's "area_um2".
void applyAsicArea(ResourceEstimate& e, const EnergyTable& asic);

// SRAM energy per 64-bit access of a bank of `kb` KiB, interpolated in log(size) between the
// table's sram_64b_8kb_pj, sram_64b_32kb_pj and sram_64b_1mb_pj (clamped outside).
double sramAccessPj(const EnergyTable& t, double kb);

}  // namespace sparsesim
