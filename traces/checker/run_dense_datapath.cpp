// Runs whole layers on the dense output-stationary datapath RTL (traces/rtl/dense_os_datapath.v)
// and reports its outputs and its cycle count per layer, for comparison with the model's
// (tests/rtl/dense_datapath.py). The operands come from the model's own pe_array trace: the
// edge records carry A[m0+i][c-i] and Bt[n0+j][c-j], so every fold's records rebuild the GEMM
// operands the model multiplied. Per layer and conv group: the operand buffers are filled
// (ideal memory: the fill takes no counted cycles), `start` is raised, and the rising edges from
// the one that samples it to the first one after which `ready` is 1 are counted.
//
// usage: run_dense_datapath --trace DIR --out FILE.json
//   FILE.json: {"rows", "cols", "layers": [{"layer", "cycles", "groups": [{"group", "m", "n", "k",
//   "folds", "cycles", "c": [M*N values, row-major]}]}]}
#include <fstream>
#include <map>
#include <memory>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_ROWS
#error "compile with -DDUT_ROWS, -DDUT_COLS, -DDUT_M_MAX, -DDUT_N_MAX, -DDUT_K_MAX (the RTL's parameters)"
#endif

using namespace rtlcheck;

namespace {
const char* kBlock = "pe_array";

struct Gemm {
  int64_t m = 0, n = 0, k = 0, folds = 0, traceCycles = 0;
  std::map<std::pair<int64_t, int64_t>, int64_t> a, bt;  // (row, k) -> value
};

int run(int argc, char** argv) {
  std::string trace, out;
  for (int i = 1; i < argc; ++i) {
    const std::string s = argv[i];
    if (s == "--trace" && i + 1 < argc) trace = argv[++i];
    else if (s == "--out" && i + 1 < argc) out = argv[++i];
    else if (s.rfind("+verilator", 0) != 0) fatal(kBlock, "usage: " + std::string(argv[0]) + " --trace DIR --out FILE.json");
  }
  if (trace.empty() || out.empty()) fatal(kBlock, "usage: " + std::string(argv[0]) + " --trace DIR --out FILE.json");

  TraceReader tr(trace, kBlock);
  requireParam(tr, kBlock, "rows", "ROWS", DUT_ROWS);
  requireParam(tr, kBlock, "cols", "COLS", DUT_COLS);
  const int evFold = tr.eventIndex("fold"), evEdge = tr.eventIndex("edge");
  const int fLayer = tr.fieldIndex(evFold, "layer"), fGroup = tr.fieldIndex(evFold, "group"), fM0 = tr.fieldIndex(evFold, "m0"),
            fN0 = tr.fieldIndex(evFold, "n0"), fK0 = tr.fieldIndex(evFold, "k0"), fMlen = tr.fieldIndex(evFold, "mlen"),
            fNlen = tr.fieldIndex(evFold, "nlen"), fKlen = tr.fieldIndex(evFold, "klen"), fCycles = tr.fieldIndex(evFold, "cycles");
  const int fA = tr.fieldIndex(evEdge, "a"), fB = tr.fieldIndex(evEdge, "b");

  std::map<std::pair<int64_t, int64_t>, Gemm> gemms;  // (layer, group)
  Gemm* g = nullptr;
  int64_t m0 = 0, n0 = 0, mlen = 0, nlen = 0, klen = 0;
  uint64_t t0 = 0;
  TraceRecord r;
  while (tr.next(r)) {
    if (r.event == evFold) {
      g = &gemms[{tr.scalar(r, fLayer), tr.scalar(r, fGroup)}];
      if (tr.scalar(r, fK0) != 0) throw TraceError(tr.where() + ": an output-stationary fold streams all of K (k0 = 0)");
      m0 = tr.scalar(r, fM0), n0 = tr.scalar(r, fN0), mlen = tr.scalar(r, fMlen), nlen = tr.scalar(r, fNlen), klen = tr.scalar(r, fKlen);
      t0 = r.t;
      g->m = std::max(g->m, m0 + mlen), g->n = std::max(g->n, n0 + nlen), g->k = klen;
      g->folds++;
      g->traceCycles += tr.scalar(r, fCycles);
    } else if (r.event == evEdge) {
      if (!g) throw TraceError(tr.where() + ": edge record before any fold");
      const int64_t c = static_cast<int64_t>(r.t - t0);
      const auto& a = tr.array(r, fA, DUT_ROWS);
      const auto& b = tr.array(r, fB, DUT_COLS);
      for (int64_t i = 0; i < mlen; ++i)
        if (c - i >= 0 && c - i < klen) g->a[{m0 + i, c - i}] = a[static_cast<size_t>(i)];
      for (int64_t j = 0; j < nlen; ++j)
        if (c - j >= 0 && c - j < klen) g->bt[{n0 + j, c - j}] = b[static_cast<size_t>(j)];
    }
  }
  if (gemms.empty()) fatal(kBlock, "the trace holds no pe_array fold");

  VerilatedContext ctx;
  auto dut = std::make_unique<Vdut>(&ctx);
  dut->clk = 0;
  dut->rst = 1;
  tick(*dut);
  dut->rst = 0;

  nlohmann::ordered_json report = {{"rows", DUT_ROWS}, {"cols", DUT_COLS}, {"layers", nlohmann::json::array()}};
  for (auto& [key, gm] : gemms) {
    if (gm.m > DUT_M_MAX || gm.n > DUT_N_MAX || gm.k > DUT_K_MAX)
      fatal(kBlock, "layer " + std::to_string(key.first) + " group " + std::to_string(key.second) + " is " + std::to_string(gm.m) + " x " +
                        std::to_string(gm.k) + " x " + std::to_string(gm.n) + " (M x K x N); the RTL's buffers hold " + std::to_string(DUT_M_MAX) +
                        " x " + std::to_string(DUT_K_MAX) + " x " + std::to_string(DUT_N_MAX) + " (rebuild with larger -GM_MAX/-GK_MAX/-GN_MAX)");
    if (static_cast<int64_t>(gm.a.size()) != gm.m * gm.k || static_cast<int64_t>(gm.bt.size()) != gm.n * gm.k)
      throw TraceError("layer " + std::to_string(key.first) + ": the edge records do not cover every operand");
    // Ideal memory: the fill is outside the counted cycles.
    for (const auto& [mk, v] : gm.a) {
      dut->ld_a_we = 1, dut->ld_a_m = static_cast<uint16_t>(mk.first), dut->ld_a_k = static_cast<uint16_t>(mk.second);
      dut->ld_a_v = static_cast<uint8_t>(v);
      tick(*dut);
    }
    dut->ld_a_we = 0;
    for (const auto& [nk, v] : gm.bt) {
      dut->ld_b_we = 1, dut->ld_b_n = static_cast<uint16_t>(nk.first), dut->ld_b_k = static_cast<uint16_t>(nk.second);
      dut->ld_b_v = static_cast<uint8_t>(v);
      tick(*dut);
    }
    dut->ld_b_we = 0;
    if (!dut->ready) fatal(kBlock, "the datapath is not ready after the operand fill");
    dut->cfg_m = static_cast<uint16_t>(gm.m), dut->cfg_n = static_cast<uint16_t>(gm.n), dut->cfg_k = static_cast<uint16_t>(gm.k);
    dut->start = 1;
    tick(*dut);
    dut->start = 0;
    uint64_t cycles = 1;
    const uint64_t limit = static_cast<uint64_t>(gm.traceCycles) * 2 + 1000;
    while (!dut->ready) {
      tick(*dut);
      if (++cycles > limit) fatal(kBlock, "the datapath did not finish layer " + std::to_string(key.first) + " in " + std::to_string(limit) + " cycles");
    }
    while (dut->drain_busy) tick(*dut);
    std::vector<int64_t> c;
    for (int64_t m = 0; m < gm.m; ++m)
      for (int64_t n = 0; n < gm.n; ++n) {
        dut->out_m = static_cast<uint16_t>(m), dut->out_n = static_cast<uint16_t>(n);
        dut->eval();
        c.push_back(signExtend(dut->out_v, 32));
      }
    auto& layers = report["layers"];
    if (layers.empty() || layers.back()["layer"] != key.first) layers.push_back({{"layer", key.first}, {"cycles", 0}, {"groups", nlohmann::json::array()}});
    auto& L = layers.back();
    L["cycles"] = L["cycles"].get<uint64_t>() + cycles;
    L["groups"].push_back({{"group", key.second}, {"m", gm.m}, {"n", gm.n}, {"k", gm.k}, {"folds", gm.folds}, {"cycles", cycles}, {"c", c}});
    std::printf("layer %lld group %lld: %lld x %lld x %lld (M x K x N), %lld folds: RTL %llu cycles\n", static_cast<long long>(key.first),
                static_cast<long long>(key.second), static_cast<long long>(gm.m), static_cast<long long>(gm.k), static_cast<long long>(gm.n),
                static_cast<long long>(gm.folds), static_cast<unsigned long long>(cycles));
  }
  std::ofstream(out) << report.dump() << "\n";
  return 0;
}
}  // namespace

int main(int argc, char** argv) {
  Verilated::commandArgs(argc, argv);
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    fatal(kBlock, e.what());
  }
}
