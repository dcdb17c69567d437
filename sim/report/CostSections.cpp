#include "sim/report/CostSections.h"

#include <cmath>
#include <map>

namespace sparsesim {

namespace {

nlohmann::ordered_json resJson(const Resources& r) {
  return {{"lut", r.lut}, {"ff", r.ff}, {"dsp", r.dsp}, {"bram36", r.bram36}, {"uram", r.uram}};
}

}  // namespace

nlohmann::ordered_json resourcesJson(const ResourceEstimate& e, const FpgaPart& p, const PartFit& f) {
  nlohmann::ordered_json j;
  j["part"] = p.name;
  j["part_file"] = p.source_file;
  j["lut"] = e.total.lut;
  j["ff"] = e.total.ff;
  j["dsp"] = e.total.dsp;
  j["bram36"] = e.total.bram36;
  j["uram"] = e.total.uram;
  // A resource the part has none of has no utilisation: null, and it is listed as missing.
  auto fin = [](double u) { return std::isfinite(u) ? nlohmann::ordered_json(u) : nlohmann::ordered_json(nullptr); };
  j["utilization"] = {{"lut", fin(f.util_lut)}, {"ff", fin(f.util_ff)}, {"dsp", fin(f.util_dsp)},
                      {"bram36", fin(f.util_bram36)}, {"uram", fin(f.util_uram)}};
  j["fits"] = f.fits;
  j["binding_resource"] = f.binding_resource;
  j["missing_resources"] = f.missing;
  j["copies_per_part"] = f.copies_per_part;
  j["capacity"] = resJson(Resources{p.lut, p.ff, p.dsp, p.bram36, p.uram});
  j["asic_area_um2"] = e.asic_um2;
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  for (const auto& b : e.blocks) {
    nlohmann::ordered_json x = resJson(b.fpga);
    x = {{"block", b.block}, {"lut", b.fpga.lut}, {"ff", b.fpga.ff}, {"dsp", b.fpga.dsp}, {"bram36", b.fpga.bram36},
         {"uram", b.fpga.uram}, {"asic_area_um2", b.asic_um2}, {"model", b.note}};
    blocks.push_back(x);
  }
  j["blocks"] = blocks;
  j["units"] = {{"lut", "6-input LUTs"}, {"ff", "flip-flops"}, {"dsp", "DSP48E2 slices"}, {"bram36", "36 Kbit block RAMs"},
                {"uram", "288 Kbit UltraRAMs"}, {"utilization", "fraction of the part's capacity (null: the part has none of it, see missing_resources)"},
                {"asic_area_um2", "square micrometres at 45 nm (primitive areas from the ASIC energy table)"}};
  j["note"] = "estimates from block structure with coefficients fitted to yosys xc7 synthesis (docs/resources.md), not Vivado results";
  return j;
}

nlohmann::ordered_json asicAreaJson(const AsicAreaEstimate& e) {
  nlohmann::ordered_json j;
  j["node"] = e.node;
  j["area_mm2"] = e.area_um2 * 1e-6;
  j["gate_equivalents"] = e.gate_equivalents;
  j["pes"] = e.pes;
  j["pe_area_um2"] = e.pe_area_um2;
  nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
  for (const auto& b : e.blocks)
    blocks.push_back({{"block", b.block}, {"area_mm2", b.area_um2 * 1e-6}, {"gate_equivalents", b.gate_equivalents},
                      {"ge_comb", b.gates.ge_comb}, {"ff", b.gates.ff}, {"sram_bits", b.sram_bits},
                      {"sram_macros", b.sram_macros}, {"model", b.model}});
  j["blocks"] = blocks;
  j["units"] = {{"area_mm2", "mm^2 of cells and SRAM macros at the node (no placement overhead unless the node file sets one)"},
                {"gate_equivalents", "NAND2_X1 equivalents of logic incl. flip-flops (SRAM not counted)"},
                {"pe_area_um2", "um^2 of one PE as the array replicates it"}};
  j["node_file"] = e.node_file;
  j["calibration_file"] = e.calibration_file;
  return j;
}

nlohmann::ordered_json layerEnergyJson(const EnergyResult& e) {
  nlohmann::ordered_json lb = nlohmann::ordered_json::object(), le = nlohmann::ordered_json::object();
  for (const auto& [k, v] : e.by_block) lb[k] = v;
  for (const auto& [k, v] : e.by_event) le[k] = v;
  nlohmann::ordered_json j = {{"total_j", e.total_j}, {"by_block", lb}, {"by_event", le}};
  if (!e.activity.empty()) {
    nlohmann::ordered_json act = nlohmann::ordered_json::object();
    for (const auto& [k, v] : e.activity) act[k] = v;
    j["fabric_activity"] = act;
  }
  return j;
}

nlohmann::ordered_json energyJson(const RunResult& r) {
  const EnergyTable& table = r.energy_table;
  const double total = r.energy.total_j;
  nlohmann::ordered_json byBlock = nlohmann::ordered_json::object(), byEvent = nlohmann::ordered_json::object();
  for (const auto& [k, v] : r.energy.by_block) byBlock[k] = v;
  for (const auto& [k, v] : r.energy.by_event) byEvent[k] = v;
  nlohmann::ordered_json en;
  en["table"] = table.name;
  en["table_file"] = table.source_file;
  en["kind"] = table.kind;
  en["total_j"] = total;
  const int batch = r.network.batch;  // a run is `batch` inferences, one per image
  en["per_inference_j"] = total / double(batch);
  en["inferences_per_joule"] = total > 0 ? double(batch) / total : 0.0;
  en["breakdown"] = {{"by_block", byBlock}, {"by_event", byEvent}};
  if (table.kind == "fpga") {
    // docs/resources.md "FPGA fabric energy by activity" and "Static power".
    nlohmann::ordered_json act = nlohmann::ordered_json::object();
    for (const auto& [k, v] : r.energy.activity) act[k] = v;
    en["fabric_activity"] = act;
    en["fabric_idle_share"] = table.get("fabric_idle_share");
    const bool shared = r.arch.static_power_shared;
    en["static_power"] = {{"basis", shared ? "shared_by_copies" : "whole_part"},
                          {"part", r.part.name},
                          {"copies_sharing", r.energy.static_sharers},
                          {"note", shared ? "the part's static power divided between the copies of the design that fit it, running in parallel"
                                          : "the whole part's static power, charged to one copy of the design"}};
  }
  en["units"] = {{"total_j", "joules per run"},
                 {"per_inference_j", batch == 1 ? std::string("joules per inference (batch 1)")
                                                : "joules per inference (one image of a batch of " + std::to_string(batch) + ")"},
                 {"breakdown", "joules"}};
  if (table.kind == "fpga") en["units"]["fabric_activity"] = "busy cycles / cycles of each block (0..1)";
  return en;
}

}  // namespace sparsesim
