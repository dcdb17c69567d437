// Checks the read side of a CS weight-packing SRAM RTL (traces/rtl/weight_sram_banks.v; port
// contract in docs/rtl-check.md) against the weight_sram records of a golden trace. Per `read`
// record (one MAC-array step's distinct columns): one `start` cycle with the columns and wpc,
// then cycles until busy falls, collecting every bank port's read. Per bank, the words it read
// (address x BANKS + bank) must be exactly the request's words that live in it, and the cycles
// the request took must equal the record's `cycles` (the bandwidth and bank-conflict stalls).
// Built with -DDUT_DATA=1 (an RTL with the data ports of weight_sram_data.v: wr_en, wr_word,
// wr_data, rd_data), the SRAM's data is compared per MAC step as the lanes consume it: each
// pass's `table` record is written into the RTL word by word (entry r of column k at bits
// [r x entry_bits, (r + 1) x entry_bits) of the column's words, weight low, kernel ID above), and
// after each step the words the RTL delivered are unpacked, for every lane's `mac` record of that
// cycle (the mac_array block), into the column's entries, which must equal the weights and kernel
// IDs the lane multiplied (signal lane[l].w[q], lane[l].kid[q]).
#include <algorithm>
#include <memory>

#include "Check.h"
#include "Vdut.h"

#ifndef DUT_BANKS
#error "compile with -DDUT_BANKS, -DDUT_PORTS, -DDUT_NCOL, -DDUT_WPC_MAX (the RTL's parameters)"
#endif
#ifndef DUT_DATA
#define DUT_DATA 0  // 1: the RTL has the data ports (wr_en, wr_word, wr_data, rd_data); DUT_WORD_BITS, DUT_DEPTH
#endif
#include <map>

using namespace rtlcheck;

namespace {
const char* kBlock = "weight_sram";

std::string list(const std::vector<int64_t>& v) {
  std::string s;
  for (int64_t x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s.empty() ? "none" : s;
}

void run(const Args& args) {
  TraceReader tr(args.trace, kBlock);
  requireParam(tr, kBlock, "banks", "BANKS", DUT_BANKS);
  requireParam(tr, kBlock, "ports", "PORTS", DUT_PORTS);
  const int ev = tr.eventIndex("read");
  const int fPass = tr.fieldIndex(ev, "pass"), fCols = tr.fieldIndex(ev, "cols"), fCycles = tr.fieldIndex(ev, "cycles"),
            fWpc = tr.fieldIndex(ev, "wpc");

#if DUT_DATA
  requireParam(tr, kBlock, "word_bits", "WORD_BITS", DUT_WORD_BITS);
  const auto& evs = tr.header()["events"]["weight_sram"];
  if (std::find(evs.begin(), evs.end(), "table") == evs.end() || !tr.header()["blocks"].contains("mac_array"))
    fatal(kBlock, "the RTL has the data ports, so its read data is compared with what the MAC lanes multiply: that needs the SRAM's "
                  "table records and the mac_array block (trace with --trace-blocks weight_sram,mac_array)");
  const int evTable = tr.eventIndex("table");
  const int fTPass = tr.fieldIndex(evTable, "pass"), fTCols = tr.fieldIndex(evTable, "columns"), fTSlots = tr.fieldIndex(evTable, "slots"),
            fTEb = tr.fieldIndex(evTable, "entry_bits"), fTWpc = tr.fieldIndex(evTable, "wpc"), fTW = tr.fieldIndex(evTable, "w"),
            fTKid = tr.fieldIndex(evTable, "kid");
  // What the lanes multiplied, per cycle: (lane, column, w, kid) of every mac record.
  struct Use {
    int64_t lane, col;
    std::vector<int64_t> w, kid;
  };
  std::map<uint64_t, std::vector<Use>> uses;
  {
    TraceReader mac(args.trace, "mac_array");
    const int ev = mac.eventIndex("mac");
    const int fL = mac.fieldIndex(ev, "lane"), fC = mac.fieldIndex(ev, "col"), fW = mac.fieldIndex(ev, "w"), fK = mac.fieldIndex(ev, "kid");
    TraceRecord m;
    while (mac.next(m))
      if (m.event == ev) uses[m.t].push_back({mac.scalar(m, fL), mac.scalar(m, fC), m.fields[static_cast<size_t>(fW)], m.fields[static_cast<size_t>(fK)]});
  }
  int64_t slots = 0, entryBits = 0, tableWpc = 0, tablePass = -1;
  uint64_t entriesCompared = 0;
#endif

  VerilatedContext ctx;
  auto dut = makeDut<Vdut>(ctx, args);
  dut->rst = 1;
  tick(*dut);
  dut->rst = 0;

  uint64_t comparisons = 0;
  TraceRecord r;
  while (tr.next(r)) {
#if DUT_DATA
    if (r.event == evTable) {
      // The pass's slice into the RTL, one word an edge (the checker's own edges, before the pass's first step).
      tablePass = tr.scalar(r, fTPass);
      const int64_t K = tr.scalar(r, fTCols);
      slots = tr.scalar(r, fTSlots), entryBits = tr.scalar(r, fTEb), tableWpc = tr.scalar(r, fTWpc);
      const auto& w = tr.array(r, fTW, static_cast<size_t>(K * slots));
      const auto& kid = tr.array(r, fTKid, static_cast<size_t>(K * slots));
      if (tableWpc != (slots * entryBits + DUT_WORD_BITS - 1) / DUT_WORD_BITS || K * tableWpc > int64_t(DUT_BANKS) * DUT_DEPTH || K * tableWpc > 65536)
        fatal(kBlock, tr.where() + ": pass " + std::to_string(tablePass) + "'s slice (" + std::to_string(K) + " columns x " + std::to_string(slots) +
                          " entries of " + std::to_string(entryBits) + " bits, " + std::to_string(tableWpc) + " words each) does not fit the RTL's " +
                          std::to_string(DUT_BANKS) + " x " + std::to_string(DUT_DEPTH) + " words of " + std::to_string(DUT_WORD_BITS) + " bits");
      for (int64_t k = 0; k < K; ++k) {
        std::vector<uint8_t> bits(static_cast<size_t>(tableWpc * DUT_WORD_BITS), 0);
        for (int64_t q = 0; q < slots; ++q) {
          const uint64_t e = (static_cast<uint64_t>(w[static_cast<size_t>(k * slots + q)]) & 0xFF) | (static_cast<uint64_t>(kid[static_cast<size_t>(k * slots + q)]) << 8);
          for (int64_t b = 0; b < entryBits; ++b) bits[static_cast<size_t>(q * entryBits + b)] = (e >> b) & 1;
        }
        for (int64_t j = 0; j < tableWpc; ++j) {
          for (int b = 0; b < DUT_WORD_BITS; ++b) putBits(dut->wr_data, b, 1, bits[static_cast<size_t>(j * DUT_WORD_BITS + b)]);
          putBits(dut->wr_word, 0, 16, static_cast<uint64_t>(k * tableWpc + j));
          dut->wr_en = 1;
          tick(*dut);
        }
      }
      dut->wr_en = 0;
      continue;
    }
#endif
    if (r.event != ev) continue;
    const auto& cols = r.fields[static_cast<size_t>(fCols)];
    const int64_t wpc = tr.scalar(r, fWpc), want = tr.scalar(r, fCycles);
    if (cols.empty()) continue;  // a step without column reads
    if (static_cast<int64_t>(cols.size()) > DUT_NCOL || wpc > DUT_WPC_MAX || wpc < 1)
      fatal(kBlock, tr.where() + ": a step of " + std::to_string(cols.size()) + " columns x " + std::to_string(wpc) +
                        " words; the RTL takes " + std::to_string(DUT_NCOL) + " x " + std::to_string(DUT_WPC_MAX) +
                        " (rebuild with -GNCOL / -GWPC_MAX at least that)");
    const std::string where = "pass " + std::to_string(tr.scalar(r, fPass)) + " step at cycle " + std::to_string(r.t) + " (columns " +
                              list(cols) + ", " + std::to_string(wpc) + " words each)";
    atCycle(r.t);
    for (size_t c = 0; c < static_cast<size_t>(DUT_NCOL); ++c) {
      putBits(dut->req_col, 16 * static_cast<int>(c), 16, c < cols.size() ? static_cast<uint64_t>(cols[c]) : 0);
      putBits(dut->req_valid, static_cast<int>(c), 1, c < cols.size());
    }
    dut->wpc = static_cast<uint8_t>(wpc);
    dut->start = 1;
    tick(*dut);
    dut->start = 0;
    std::vector<std::vector<int64_t>> got(DUT_BANKS), exp(DUT_BANKS);
    for (int64_t k : cols)
      for (int64_t j = 0; j < wpc; ++j) exp[static_cast<size_t>((k * wpc + j) % DUT_BANKS)].push_back(k * wpc + j);
    int64_t cycles = 0;
    std::map<int64_t, std::vector<uint8_t>> delivered;  // word -> the bits the RTL's port returned
    while (dut->busy) {
      dut->eval();
      std::vector<std::pair<int, int64_t>> reads;  // (port, word)
      for (int b = 0; b < DUT_BANKS; ++b)
        for (int p = 0; p < DUT_PORTS; ++p)
          if (getBits(dut->rd_en, b * DUT_PORTS + p, 1)) {
            const int64_t word = static_cast<int64_t>(getBits(dut->rd_addr, 16 * (b * DUT_PORTS + p), 16)) * DUT_BANKS + b;
            got[static_cast<size_t>(b)].push_back(word);
            reads.emplace_back(b * DUT_PORTS + p, word);
          }
      tick(*dut);
#if DUT_DATA
      for (const auto& [port, word] : reads) {
        std::vector<uint8_t> bits(DUT_WORD_BITS);
        for (int b = 0; b < DUT_WORD_BITS; ++b) bits[static_cast<size_t>(b)] = static_cast<uint8_t>(getBits(dut->rd_data, DUT_WORD_BITS * port + b, 1));
        delivered[word] = bits;
      }
#endif
      if (++cycles > static_cast<int64_t>(cols.size()) * wpc + 2) break;
    }
    for (int b = 0; b < DUT_BANKS; ++b) {
      auto& g = got[static_cast<size_t>(b)];
      auto& e = exp[static_cast<size_t>(b)];
      std::sort(g.begin(), g.end());
      std::sort(e.begin(), e.end());
      ++comparisons;
      if (g != e) mismatch(r.t, kBlock, "bank[" + std::to_string(b) + "].words", list(e), list(g), where);
    }
    ++comparisons;
    if (cycles != want) mismatch(r.t, kBlock, "cycles", std::to_string(want), std::to_string(cycles), where);
#if DUT_DATA
    // The step's data as the lanes consume it: each lane's column from the delivered words.
    if (tablePass != tr.scalar(r, fPass) || wpc != tableWpc)
      throw TraceError(tr.where() + ": read of pass " + std::to_string(tr.scalar(r, fPass)) + " without that pass's table record before it");
    const auto u = uses.find(r.t);
    for (const Use& use : u == uses.end() ? std::vector<Use>{} : u->second) {
      std::vector<uint8_t> bits;
      for (int64_t j = 0; j < wpc; ++j) {
        const auto d = delivered.find(use.col * wpc + j);
        if (d == delivered.end())
          mismatch(r.t, kBlock, "lane[" + std::to_string(use.lane) + "].word[" + std::to_string(j) + "]", "word " + std::to_string(use.col * wpc + j), "none",
                   where + ": lane " + std::to_string(use.lane) + " multiplies column " + std::to_string(use.col) + ", whose word the RTL did not deliver");
        bits.insert(bits.end(), d->second.begin(), d->second.end());
      }
      for (int64_t q = 0; q < slots && q < static_cast<int64_t>(use.w.size()); ++q) {
        int64_t e = 0;
        for (int64_t b = 0; b < entryBits; ++b) e |= int64_t(bits[static_cast<size_t>(q * entryBits + b)]) << b;
        const int64_t gw = signExtend(static_cast<uint64_t>(e & 0xFF), 8), gk = e >> 8;
        const std::string ctxt = where + ": lane " + std::to_string(use.lane) + " multiplies column " + std::to_string(use.col) + ", entry " +
                                 std::to_string(q) + " (bits " + std::to_string(q * entryBits) + ".." + std::to_string(q * entryBits + entryBits - 1) +
                                 " of the column's words)";
        comparisons += 2, entriesCompared++;
        if (gw != use.w[static_cast<size_t>(q)])
          mismatch(r.t, kBlock, "lane[" + std::to_string(use.lane) + "].w[" + std::to_string(q) + "]", std::to_string(use.w[static_cast<size_t>(q)]), std::to_string(gw), ctxt);
        if (gk != use.kid[static_cast<size_t>(q)])
          mismatch(r.t, kBlock, "lane[" + std::to_string(use.lane) + "].kid[" + std::to_string(q) + "]", std::to_string(use.kid[static_cast<size_t>(q)]), std::to_string(gk), ctxt);
      }
    }
#endif
    matched(r.t);
  }
#if DUT_DATA
  std::printf("data: %llu entries the MAC lanes multiplied compared with the RTL's read data\n", static_cast<unsigned long long>(entriesCompared));
#endif
  pass(kBlock, tr.count(), comparisons);
}
}  // namespace

int main(int argc, char** argv) { return checkerMain(argc, argv, kBlock, run); }
