#include "sim/resources/EnergyModel.h"

#include <algorithm>
#include <cmath>

#include "sim/core/ConfigError.h"
#include "sim/config/JsonReader.h"

namespace sparsesim {

double EnergyTable::get(const std::string& key) const {
  auto it = constants.find(key);
  if (it == constants.end()) throw ConfigError(source_file, "constants." + key, "missing (needed by the " + kind + " energy model)");
  return it->second.value;
}

EnergyTable loadEnergyTable(const std::string& file) {
  nlohmann::json j = readJsonFile(file);
  JsonReader r(j, file, "");
  EnergyTable t;
  t.source_file = file;
  t.name = r.string("name", std::nullopt);
  t.kind = r.choice("kind", std::nullopt, {"asic", "fpga"});
  t.description = r.string("description", std::string());
  auto readMap = [&](const std::string& key, std::map<std::string, EnergyConstant>& out, bool required) {
    if (!required && !r.has(key)) return;
    JsonReader obj = r.object(key);
    const nlohmann::json& o = j.at(key);
    for (auto it = o.begin(); it != o.end(); ++it) {
      JsonReader c = obj.object(it.key());
      EnergyConstant k;
      k.value = c.real("value", std::nullopt, 0.0, 1e12);
      k.unit = c.string("unit", std::nullopt);
      k.source = c.string("source", std::nullopt);
      if (k.source.empty()) c.fail("source", "every constant must name its source (or say \"model choice\" and why)");
      c.finish();
      out[it.key()] = k;
    }
    obj.finish();
  };
  readMap("constants", t.constants, true);
  readMap("area_um2", t.area_um2, false);
  readMap("static_w", t.static_w, false);
  r.finish();
  return t;
}

double sramAccessPj(const EnergyTable& t, double kb) {
  const double xs[3] = {std::log(8.0), std::log(32.0), std::log(1024.0)};
  const double ys[3] = {t.get("sram_64b_8kb_pj"), t.get("sram_64b_32kb_pj"), t.get("sram_64b_1mb_pj")};
  double x = std::log(std::max(kb, 1e-3));
  if (x <= xs[0]) return ys[0];
  if (x >= xs[2]) return ys[2];
  int i = x < xs[1] ? 0 : 1;
  double f = (x - xs[i]) / (xs[i + 1] - xs[i]);
  return ys[i] + f * (ys[i + 1] - ys[i]);
}

void applyAsicArea(ResourceEstimate& e, const EnergyTable& asic) {
  e.asic_um2 = 0;
  for (auto& b : e.blocks) {
    b.asic_um2 = 0;
    for (const auto& [prim, n] : b.asic) {
      auto it = asic.area_um2.find(prim);
      if (it == asic.area_um2.end()) throw ConfigError(asic.source_file, "area_um2." + prim, "missing (needed by the ASIC area model)");
      b.asic_um2 += n * it->second.value;
    }
    e.asic_um2 += b.asic_um2;
  }
}


void addEvent(std::vector<Event>& ev, const std::string& block, const std::string& event, double count, double sramBankKb) {
  if (count > 0) ev.push_back(Event{block, event, count, sramBankKb});
}

double globalBufferBankKb(const ArchConfig& a) {
  // The ifmap partition split into 64-bit-wide banks feeding the array edge.
  const double banks = std::max(1.0, std::ceil(a.array.rows * 8 / 64.0));
  return a.memory.ifmap_kb / banks;
}

std::vector<Event> layerEvents(const ArchConfig& a, const LayerStats& l, const DatapathCostModel& m) {
  std::vector<Event> ev;
  // Every event is counted by the block that performs it (models/*: LayerStats); none is derived
  // from another counter. 64-bit words are the energy tables' access unit.
  m.energy_events(a, l, ev);
  addEvent(ev, "dram", "dram_64b", double(l.dram_read_bytes + l.dram_write_bytes) / 8.0);
  return ev;
}

namespace {

const BlockResources* findBlock(const ResourceEstimate& r, const std::string& b) {
  for (const auto& x : r.blocks)
    if (x.block == b) return &x;
  return nullptr;
}

}  // namespace

double fabricActivity(double busyCycles, double cycles) {
  if (!(cycles > 0) || !std::isfinite(busyCycles)) return 0.0;
  return std::clamp(busyCycles / cycles, 0.0, 1.0);
}

void addBusyCycles(std::vector<Event>& ev, const std::string& block, double busyCycles) {
  ev.push_back(Event{block, "busy_cycles", std::max(0.0, busyCycles), 0});
}

EnergyResult layerEnergy(const EnergyTable& t, const ArchConfig& a, const ResourceEstimate& res, const PartFit& fit,
                         const std::string& part, const std::vector<Event>& ev, double seconds) {
  EnergyResult r;
  auto charge = [&](const std::string& block, const std::string& event, double joules) {
    r.by_block[block] += joules;
    r.by_event[event] += joules;
    r.total_j += joules;
  };
  const double pj = 1e-12;
  if (t.kind == "asic") {
    for (const Event& e : ev) {
      if (e.event == "busy_cycles") continue;  // per-event energies already say what the block did
      double per = 0;
      if (e.event == "mult_int8") per = t.get("mult_int8_pj");
      else if (e.event == "add_int32") per = t.get("add_int32_pj");
      else if (e.event == "register_access") per = t.get("register_access_pj");
      else if (e.event == "routing_hop") per = t.get("routing_hop_pj");
      else if (e.event == "selector_comparison") per = t.get("comparison_pj");
      else if (e.event == "dram_64b") per = t.get("dram_64b_pj");
      else if (e.event == "sram_read_64b" || e.event == "sram_write_64b") per = sramAccessPj(t, e.sram_bank_kb);
      charge(e.block, e.event, e.count * per * pj);
    }
    const double leak = t.get("leakage_w_per_mm2");
    for (const auto& b : res.blocks) charge(b.block, "static", leak * b.asic_um2 * 1e-6 * seconds);
  } else {
    // FPGA: DSP and block-RAM events at their per-event energies. LUT/FF fabric by activity
    // (docs/resources.md "FPGA fabric energy by activity"): a block's table energy per LUT and FF
    // per cycle (at the table's toggle rate, i.e. for a block busy every cycle) x its LUTs/FFs x
    // cycles x (idle share + (1 - idle share) x activity), activity = the block's counted busy
    // cycles / the layer's cycles. The idle share is the clock-tree and clock-pin load an idle
    // block still draws (a clock enable stops its data toggles, not its clock). A block that
    // counts no busy cycles (the control sequencer) is charged as busy every cycle. Adders,
    // registers, routers and selectors built in fabric are therefore not charged per event again.
    // Static power: the whole part leaks whatever the design uses; one copy is charged all of it,
    // or, with static_power "shared_by_copies", 1/copies of it (copies_per_part running in parallel).
    const double cycles = seconds * a.clock_mhz * 1e6;
    std::map<std::string, double> busy;
    for (const Event& e : ev) {
      if (e.event == "busy_cycles") busy[e.block] += e.count;
      else if (e.event == "mult_int8") charge(e.block, "dsp_op", e.count * t.get("dsp_op_pj") * pj);
      else if (e.event == "dram_64b") charge(e.block, e.event, e.count * t.get("dram_64b_pj") * pj);
      else if (e.event == "sram_read_64b" || e.event == "sram_write_64b") {
        const BlockResources* b = findBlock(res, e.block);
        const bool uram = b && b->fpga.uram > 0 && b->fpga.bram36 == 0;
        charge(e.block, uram ? "uram_access" : "bram_access", e.count * t.get(uram ? "uram_access_72b_pj" : "bram_access_72b_pj") * pj);
      }
    }
    const double lutPj = t.get("lut_cycle_pj"), ffPj = t.get("ff_cycle_pj"), idle = t.get("fabric_idle_share");
    for (const auto& b : res.blocks) {
      auto it = busy.find(b.block);
      const double activity = it == busy.end() ? 1.0 : fabricActivity(it->second, cycles);
      const double factor = idle + (1.0 - idle) * activity;
      r.activity[b.block] = activity;
      charge(b.block, "fabric_lut", b.fpga.lut * cycles * lutPj * factor * pj);
      charge(b.block, "fabric_ff", b.fpga.ff * cycles * ffPj * factor * pj);
    }
    auto it = t.static_w.find(part);
    if (it == t.static_w.end()) throw ConfigError(t.source_file, "static_w." + part, "no static power for FPGA part \"" + part + "\"");
    r.static_sharers = a.static_power_shared && fit.fits && fit.copies_per_part > 1 ? double(fit.copies_per_part) : 1.0;
    charge("device", "static", it->second.value / r.static_sharers * seconds);
  }
  return r;
}

}  // namespace sparsesim
