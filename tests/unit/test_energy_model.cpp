// Energy model: tables are data with a source per constant; per-event energies against closed
// forms from the tables' own numbers.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

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

TEST(EnergyModel, FpgaLayerEnergyIsFabricPlusEventsPlusStaticShare) {
  ArchConfig a = loadArch(kSrc + "/configs/arch/dense-32x32.json", {});
  ResourceEstimate res = estimateResources(a);
  FpgaPart p = loadFpgaPart(kSrc + "/configs/fpga/zu3eg.json");
  PartFit fit = fitOnPart(res.total, p);
  EnergyTable t = fpga();
  LayerStats l;
  l.macs_issued = 5000;
  l.sram_read_bytes = 800;  // 100 BRAM accesses
  const double secs = 1000 / (a.clock_mhz * 1e6);  // 1000 cycles
  EnergyResult e = layerEnergy(t, a, res, fit, "zu3eg", l, secs);
  const double share = std::min(1.0, std::max({fit.util_lut, fit.util_ff, fit.util_dsp, fit.util_bram36}));
  const double want = 5000 * 1.0e-12 + 100 * 8.0e-12 + 1000 * (res.total.lut * 0.08 + res.total.ff * 0.02) * 1e-12 + 0.35 * share * secs;
  EXPECT_NEAR(e.total_j, want, want * 1e-9);
  EXPECT_NEAR(e.by_event.at("dsp_op"), 5e-9, 1e-15);
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
