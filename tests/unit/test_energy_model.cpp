// Energy model: tables are data with a source per constant; per-event energies against closed
// forms from the tables' own numbers.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "sim/core/ConfigError.h"
#include "sim/config/ConfigLoader.h"
#include "sim/resources/EnergyModel.h"
#include "sim/run/ArchCosts.h"
#include "sim/resources/FpgaPart.h"

using namespace sparsesim;

namespace {
const std::string kSrc = SPARSESIM_SOURCE_DIR;
EnergyTable asic() { return loadEnergyTable(kSrc + "/configs/energy/asic-45nm-horowitz.json"); }
EnergyTable fpga() { return loadEnergyTable(kSrc + "/configs/energy/fpga-ultrascale-plus.json"); }
}  // namespace

TEST(EnergyModel, TablesCarryHorowitzNumbersAndSources) {
  EnergyTable t = asic();
  EXPECT_EQ(t.kind, "asic");
  EXPECT_DOUBLE_EQ(t.get("mult_int8_pj"), 0.2);
  EXPECT_DOUBLE_EQ(t.get("add_int32_pj"), 0.1);
  EXPECT_DOUBLE_EQ(t.get("sram_64b_8kb_pj"), 10);
  EXPECT_DOUBLE_EQ(t.get("sram_64b_32kb_pj"), 20);
  EXPECT_DOUBLE_EQ(t.get("sram_64b_1mb_pj"), 100);
  for (const auto* m : {&t.constants, &t.area_um2})
    for (const auto& [k, c] : *m) EXPECT_FALSE(c.source.empty()) << k;
  EnergyTable f = fpga();
  EXPECT_EQ(f.kind, "fpga");
  EXPECT_TRUE(f.static_w.count("u250") && f.static_w.count("zu3eg"));
  for (const auto& [k, c] : f.constants) EXPECT_FALSE(c.source.empty()) << k;
  EXPECT_THROW(t.get("no_such_constant"), ConfigError);
}

TEST(EnergyModel, ConstantWithoutSourceIsRejected) {
  auto p = std::filesystem::temp_directory_path() / ("sparsesim-energy-" + std::to_string(::getpid()) + ".json");
  std::ofstream(p) << R"({"name":"x","kind":"asic","constants":{"mult_int8_pj":{"value":0.2,"unit":"pJ","source":""}}})";
  try {
    loadEnergyTable(p.string());
    ADD_FAILURE() << "accepted a constant without a source";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("source"), std::string::npos) << e.what();
  }
  std::ofstream(p) << R"({"name":"x","kind":"asic","constants":{"mult_int8_pj":{"value":0.2,"unit":"pJ"}}})";
  EXPECT_THROW(loadEnergyTable(p.string()), ConfigError);
  std::filesystem::remove(p);
}

TEST(EnergyModel, SramEnergyInterpolatesInLogSize) {
  EnergyTable t = asic();
  EXPECT_DOUBLE_EQ(sramAccessPj(t, 8), 10);
  EXPECT_DOUBLE_EQ(sramAccessPj(t, 32), 20);
  EXPECT_DOUBLE_EQ(sramAccessPj(t, 1024), 100);
  EXPECT_NEAR(sramAccessPj(t, 16), 15, 1e-9);  // log-midpoint of 8 and 32 KiB
  EXPECT_DOUBLE_EQ(sramAccessPj(t, 1), 10);     // clamped
  EXPECT_DOUBLE_EQ(sramAccessPj(t, 1 << 20), 100);
}

TEST(EnergyModel, AsicLayerEnergyIsEventsTimesConstants) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/dense-32x32.json", {});
  ResourceEstimate res = estimateResources(a);
  EnergyTable t = asic();
  applyAsicArea(res, t);
  EXPECT_GT(res.asic_um2, 1024 * (282 + 137));  // at least the multipliers and accumulators
  LayerStats l;
  l.macs_issued = 1000;
  l.register_accesses = 3000;
  l.dram_read_bytes = 64;
  PartFit fit;
  // Zero seconds: no leakage; 1000 x (0.2 + 0.1) + 3000 x 0.03 + 8 x 1950 pJ.
  EnergyResult e = layerEnergy(t, a, res, fit, "u250", l, 0.0);
  EXPECT_NEAR(e.total_j, (1000 * 0.3 + 3000 * 0.03 + 8 * 1950) * 1e-12, 1e-18);
  EXPECT_NEAR(e.by_event.at("mult_int8"), 200e-12, 1e-18);
  EXPECT_NEAR(e.by_block.at("dram"), 8 * 1950e-12, 1e-18);
  // One second of leakage: area x W/mm^2.
  EnergyResult s = layerEnergy(t, a, res, fit, "u250", LayerStats{}, 1.0);
  EXPECT_NEAR(s.total_j, res.asic_um2 * 1e-6 * 0.02, 1e-12);
}

TEST(EnergyModel, FpgaLayerEnergyIsActivityWeightedFabricPlusEventsPlusStatic) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/dense-32x32.json", {});
  ResourceEstimate res = estimateResources(a);
  FpgaPart p = loadFpgaPart(kSrc + "/configs/fpga/zu3eg.json");
  PartFit fit = fitOnPart(res.total, p);
  EnergyTable t = fpga();
  LayerStats l;
  l.macs_issued = 5000;
  l.sram_read_bytes = 800;  // 100 BRAM accesses
  const double cycles = 1000, secs = cycles / (a.clock_mhz * 1e6);
  EnergyResult e = layerEnergy(t, a, res, fit, "zu3eg", l, secs);
  // Activity from the counters: MACs / (PEs x cycles); buffer bits / (port bits x cycles), the
  // ports rows x 8 + cols x 8 + cols x 32 bits; control counts nothing and is busy every cycle.
  const double idle = 0.25;
  std::map<std::string, double> act = {{"pe_array", 5000.0 / (32 * 32 * cycles)}, {"global_buffer", 800.0 * 8 / ((32 * 8 + 32 * 8 + 32 * 32) * cycles)}};
  double fabric = 0;
  for (const auto& b : res.blocks) {
    const double x = act.count(b.block) ? act[b.block] : 1.0;
    EXPECT_NEAR(e.activity.at(b.block), x, 1e-12) << b.block;
    fabric += (b.fpga.lut * 0.08 + b.fpga.ff * 0.02) * cycles * (idle + (1 - idle) * x) * 1e-12;
  }
  const double want = 5000 * 1.0e-12 + 100 * 8.0e-12 + fabric + 0.35 * secs;  // whole part's static power
  EXPECT_NEAR(e.total_j, want, want * 1e-9);
  EXPECT_NEAR(e.by_event.at("dsp_op"), 5e-9, 1e-15);
  EXPECT_DOUBLE_EQ(e.static_sharers, 1);
  // Fabric of a busier layer (every PE busy every cycle) costs more per cycle.
  LayerStats busy = l;
  busy.macs_issued = 32 * 32 * 1000;
  EnergyResult b = layerEnergy(t, a, res, fit, "zu3eg", busy, secs);
  EXPECT_GT(b.by_event.at("fabric_lut"), e.by_event.at("fabric_lut"));
  EXPECT_DOUBLE_EQ(b.activity.at("pe_array"), 1.0);
}

TEST(EnergyModel, FpgaStaticPowerWholePartOrSharedByCopies) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/dense-32x32.json", {});
  ResourceEstimate res = estimateResources(a);
  PartFit fit = fitOnPart(res.total, loadFpgaPart(kSrc + "/configs/fpga/u250.json"));
  ASSERT_GT(fit.copies_per_part, 1);
  EnergyTable t = fpga();
  EnergyResult whole = layerEnergy(t, a, res, fit, "u250", LayerStats{}, 1.0);
  EXPECT_NEAR(whole.by_event.at("static"), 20.0, 1e-12);
  a.static_power_shared = true;
  EnergyResult shared = layerEnergy(t, a, res, fit, "u250", LayerStats{}, 1.0);
  EXPECT_DOUBLE_EQ(shared.static_sharers, double(fit.copies_per_part));
  EXPECT_NEAR(shared.by_event.at("static"), 20.0 / double(fit.copies_per_part), 1e-12);
  // A design that does not fit is charged the whole part either way.
  PartFit none = fit;
  none.fits = false;
  none.copies_per_part = 0;
  EXPECT_NEAR(layerEnergy(t, a, res, none, "u250", LayerStats{}, 1.0).by_event.at("static"), 20.0, 1e-12);
  // No cycles: no fabric energy, activity 0, nothing infinite.
  EXPECT_DOUBLE_EQ(fabricActivity(5, 0), 0.0);
  EXPECT_DOUBLE_EQ(fabricActivity(5, 2), 1.0);
}

TEST(EnergyModel, ResourcesFollowPortAndBusWidths) {
  ArchConfig s = loadArch(kSrc + "/configs/arch/sod-32x32.json", {});
  auto blockOf = [](const ResourceEstimate& r, const std::string& n) {
    for (const auto& b : r.blocks)
      if (b.block == n) return b.fpga;
    ADD_FAILURE() << n;
    return Resources{};
  };
  s.sod.port_bytes = 64;
  ResourceEstimate r64 = estimateResources(s);
  s.sod.port_bytes = 128;
  ResourceEstimate r128 = estimateResources(s);
  EXPECT_GT(blockOf(r128, "decompressors").lut, blockOf(r64, "decompressors").lut);
  EXPECT_GT(blockOf(r128, "decompressors").ff, blockOf(r64, "decompressors").ff);
  // The buffer partitions are packed at the port widths (at least the array edge's).
  auto bram = [](double kb, int bits) { return bramForBuffer(kb * 1024, bits).bram36; };
  const MemoryConfig& m = s.memory;
  EXPECT_DOUBLE_EQ(blockOf(r128, "global_buffer").bram36, bram(m.ifmap_kb, 1024) + bram(m.filter_kb, 1024) + bram(m.ofmap_kb, 32 * 32));
  ArchConfig p = loadArch(kSrc + "/configs/arch/sparse-pe-8x8.json", {});
  p.sparse_pe.bus_pairs_per_cycle = 1;
  ResourceEstimate p1 = estimateResources(p);
  p.sparse_pe.bus_pairs_per_cycle = 4;
  ResourceEstimate p4 = estimateResources(p);
  // Closed form of the push-side selects: PEs x 2 FIFOs x depth x (8 + index_bits) x (P - 1) / 4.
  const double pes = 64, entry = 8 + p.sparse_pe.index_bits;
  EXPECT_NEAR(blockOf(p4, "fifos_matchers").lut - blockOf(p1, "fifos_matchers").lut, pes * 2 * p.sparse_pe.fifo_depth * entry * 3 / 4.0, 1e-6);
  const MemoryConfig& pm = p.memory;
  const int bus = static_cast<int>(4 * entry);
  EXPECT_DOUBLE_EQ(blockOf(p4, "global_buffer").bram36, bram(pm.ifmap_kb, 8 * bus) + bram(pm.filter_kb, 8 * bus) + bram(pm.ofmap_kb, 8 * 32));
}

// CS energy events are the blocks' own counters, in the tables' 64-bit access unit.
TEST(EnergyModel, CsEventsComeFromTheBlocksCounters) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/cs-small.json", {});
  LayerStats l;
  l.macs_issued = 640;
  l.routing_hops = 640;
  l.register_accesses = 1280;
  l.selector_comparisons = 150;
  l.block_events[BlockEvent::WeightSramReadBits] = 6400;
  l.block_events[BlockEvent::MacArrayAccumulate] = 640;
  l.block_events[BlockEvent::ActivationBufferReadBytes] = 80;
  l.block_events[BlockEvent::ActivationBufferWriteBytes] = 100;
  std::map<std::string, double> got;
  for (const Event& e : layerEvents(a, l)) got[e.block + "." + e.event] = e.count;
  EXPECT_EQ(got["router_accumulators.routing_hop"], 640);
  EXPECT_EQ(got["router_accumulators.add_int32"], 640);
  EXPECT_EQ(got["router_accumulators.register_access"], 1280);
  EXPECT_EQ(got["kwta_selector.selector_comparison"], 150);
  EXPECT_EQ(got["weight_sram.sram_read_64b"], 100);
  EXPECT_EQ(got["global_buffer.sram_read_64b"], 10);
  EXPECT_EQ(got["global_buffer.sram_write_64b"], 12.5);
}
