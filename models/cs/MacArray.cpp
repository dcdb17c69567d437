#include "models/cs/MacArray.h"

#include <algorithm>
#include <stdexcept>

#include "models/common/ArrayRunLoop.h"
#include "models/common/Cycles.h"
#include "models/common/TraceSink.h"
#include "models/cs/PassAccumulate.h"
#include "sim/workload/WeightPacker.h"
#include "sim/core/Math.h"

namespace sparsesim {

PixelItems gatherItems(const LayerGeometry& g, int group, const int8_t* act, const uint8_t* winner, bool denseWalk,
                       const uint8_t* live) {
  if (live && std::all_of(live, live + g.K, [](uint8_t l) { return l != 0; })) live = nullptr;
  // With dead columns a dense walk lists its positions explicitly (the live ones only).
  const bool dense = denseWalk && !live;
  PixelItems it;
  it.M = g.M;
  it.dense = dense;
  it.start.resize(static_cast<size_t>(g.M) + 1, 0);
  const int cPer = g.in_c / g.groups;
  if (dense) {
    // Every position of every window, written in place: M x K values, no per-item bookkeeping.
    it.value.resize(static_cast<size_t>(g.M * g.K));
    int8_t* v = it.value.data();
    int64_t m = 0;
    for (int b = 0; b < g.batch; ++b)
      for (int oy = 0; oy < g.out_h; ++oy)
        for (int ox = 0; ox < g.out_w; ++ox, ++m) {
          for (int c = 0; c < cPer; ++c) {
            const int8_t* plane = act + b * g.imageInputElements() + int64_t(group * cPer + c) * g.in_h * g.in_w;
            for (int ky = 0; ky < g.kh; ++ky) {
              const int iy = oy * g.stride - g.pad_top + ky * g.dilation;
              if (iy < 0 || iy >= g.in_h) {
                std::fill(v, v + g.kw, int8_t(0));
                v += g.kw;
                continue;
              }
              const int8_t* row = plane + int64_t(iy) * g.in_w;
              for (int kx = 0; kx < g.kw; ++kx) {
                const int ix = ox * g.stride - g.pad_left + kx * g.dilation;
                *v++ = ix >= 0 && ix < g.in_w ? row[ix] : int8_t(0);
              }
            }
          }
          it.start[static_cast<size_t>(m) + 1] = (m + 1) * g.K;
        }
    return it;
  }
  int64_t m = 0;
  // The batch's images one after the other: N images are N x the pixels (m is image-major).
  for (int b = 0; b < g.batch; ++b)
  for (int oy = 0; oy < g.out_h; ++oy) {
    for (int ox = 0; ox < g.out_w; ++ox, ++m) {
      for (int c = 0; c < cPer; ++c) {
        const int64_t plane = b * g.imageInputElements() + int64_t(group * cPer + c) * g.in_h * g.in_w;
        for (int ky = 0; ky < g.kh; ++ky) {
          const int iy = oy * g.stride - g.pad_top + ky * g.dilation;
          const bool rowIn = iy >= 0 && iy < g.in_h;
          for (int kx = 0; kx < g.kw; ++kx) {
            const int ix = ox * g.stride - g.pad_left + kx * g.dilation;
            const int32_t k = (c * g.kh + ky) * g.kw + kx;
            const bool in = rowIn && ix >= 0 && ix < g.in_w;
            if (dense) {
              it.value.push_back(in ? act[plane + int64_t(iy) * g.in_w + ix] : int8_t(0));
            } else if (live && !live[k]) {
              continue;
            } else if (denseWalk) {
              it.k.push_back(k);
              it.value.push_back(in ? act[plane + int64_t(iy) * g.in_w + ix] : int8_t(0));
            } else if (in) {
              const int64_t idx = plane + int64_t(iy) * g.in_w + ix;
              if (winner[idx]) {
                it.k.push_back(k);
                it.value.push_back(act[idx]);
              }
            }
          }
        }
      }
      it.start[static_cast<size_t>(m) + 1] = static_cast<int64_t>(it.value.size());
    }
  }
  return it;
}

std::vector<uint8_t> MacArrayCore::routeMultiplicity(const PassTable& t) {
  std::vector<uint8_t> mult(static_cast<size_t>(t.K), 1);
  // The most valid entries of one column that name the same kernel, counted per kernel (kernels
  // index this conv group's output channels); the counts are cleared after each column.
  int32_t maxKernel = -1;
  for (const ColumnEntry& e : t.entries)
    if (e.valid) maxKernel = std::max(maxKernel, e.kernel);
  if (maxKernel < 0) return mult;
  std::vector<int> count(static_cast<size_t>(maxKernel) + 1, 0);
  for (int64_t k = 0; k < t.K; ++k) {
    const ColumnEntry* col = &t.entries[static_cast<size_t>(k) * t.R];
    int best = 1;
    for (int r = 0; r < t.R; ++r)
      if (col[r].valid) best = std::max(best, ++count[static_cast<size_t>(col[r].kernel)]);
    for (int r = 0; r < t.R; ++r)
      if (col[r].valid) count[static_cast<size_t>(col[r].kernel)] = 0;
    mult[static_cast<size_t>(k)] = static_cast<uint8_t>(std::min(best, 255));
  }
  return mult;
}

PassResult MacArrayCore::runPass(const PassTable& t, const PixelItems& it, int32_t* C, int64_t Nper) {
  if (t.kernel_of.size() != static_cast<size_t>(t.R) * static_cast<size_t>(t.ids))
    throw std::logic_error("MacArrayCore::runPass: the table has no kernel-ID routing (buildPassTable / assignKernelIds)");
  PassResult r;
  const int R = t.R;
  const int wpc = t.words_per_column;
  const int L = p_.lanes * (p_.replicate ? std::max(1, p_.slots / std::max(1, R)) : 1);
  const int64_t M = it.M;
  const int64_t split = M < L ? L / M : 1;
  const uint64_t U = static_cast<uint64_t>(M * split);
  r.fill = uint64_t(p_.read_latency) + uint64_t(p_.pipeline_depth) + (split > 1 ? uint64_t(ceilLog2(split)) : 0);
  const uint64_t alone = banks_.aloneCycles(wpc);
  stamp_.assign(static_cast<size_t>(t.K), 0);
  stampId_ = 0;

  uint64_t now = 0, pending = 0;
  const uint64_t wbp = static_cast<uint64_t>(p_.writeback_pixels);
  std::vector<int64_t> left;
  if (split > 1) left.assign(static_cast<size_t>(M), split);
  auto pixelDone = [&]() {
    if (++pending == wbp) {
      r.events.push_back({now + r.fill, pending});
      pending = 0;
    }
  };
  auto unitDone = [&](int64_t m) {
    if (split == 1 || --left[static_cast<size_t>(m)] == 0) pixelDone();
  };
  // Each lane's accumulators: R resident groups x their kernel IDs. A finished pixel (or share
  // of one) leaves through kernel_of into the layer's outputs; split shares add up there, the
  // adder tree's work.
  const int ids = t.ids;
  // The accumulators live in one buffer kept across passes (a depthwise layer runs thousands of
  // small passes); a drain leaves them at zero.
  const size_t perLane = static_cast<size_t>(R) * static_cast<size_t>(ids);
  if (laneAcc_.size() < perLane * static_cast<size_t>(L)) laneAcc_.resize(perLane * static_cast<size_t>(L), 0);
  struct Lane { int64_t pos = 0, end = 0, m = 0; bool busy = false; int32_t* acc = nullptr; };
  std::vector<Lane> lanes(static_cast<size_t>(L));
  for (size_t i = 0; i < lanes.size(); ++i) lanes[i].acc = laneAcc_.data() + i * perLane;
  // Without a trace the step loop only times the pass; accumulatePass adds the same sums pixel
  // by pixel afterwards. A trace records every lane's accumulators step by step, so it keeps them.
  const bool stepSums = trace_ != nullptr;
  auto drain = [&](Lane& l, int lane) {
    if (!stepSums) return;
    int32_t* out = C + l.m * Nper;
    for (size_t i = 0; i < perLane; ++i)
      if (t.kernel_of[i] >= 0) out[t.kernel_of[i]] += l.acc[i];
    if (trace_) trace_->drain(lane, l.m, l.acc, R, ids, now);  // the step's end: records stay in cycle order
    std::fill(l.acc, l.acc + perLane, 0);
  };
  uint64_t next = 0;
  auto assign = [&](Lane& l) {
    while (next < U) {
      const uint64_t u = next++;
      const int64_t m = static_cast<int64_t>(u / static_cast<uint64_t>(split));
      const int64_t part = static_cast<int64_t>(u % static_cast<uint64_t>(split));
      const int64_t s0 = it.start[static_cast<size_t>(m)];
      const int64_t len = it.start[static_cast<size_t>(m) + 1] - s0;
      const int64_t a = s0 + len * part / split, b = s0 + len * (part + 1) / split;
      if (a < b) {
        l.pos = a;
        l.end = b;
        l.m = m;
        l.busy = true;
        return;
      }
      unitDone(m);  // nothing to multiply: its (zero) outputs are final at once
    }
    l.busy = false;
  };
  if (trace_) trace_->pass(t, L, split);
  int busy = 0;
  for (Lane& l : lanes) {
    assign(l);
    busy += l.busy;
  }
  std::vector<int32_t> cols(static_cast<size_t>(L));
  constexpr int kWeightPad = 16;  // accumulatePass's last vector may read past the last column
  colWeight_.resize(t.entries.size() + kWeightPad);
  colAcc_.resize(t.entries.size());
  bool direct = true;  // every product of slot q goes to accumulator q
  // When every valid entry's kernel is the one its kernel ID routes to and no two accumulators
  // drain into one channel, no column can send two products to one kernel: the router analysis
  // would find every column free, so it is run only when this does not hold.
  bool routedAsNamed = true;
  for (int64_t k = 0; k < t.K; ++k) {
    const size_t e0 = static_cast<size_t>(k) * static_cast<size_t>(R);
    for (int q = 0; q < R; ++q) {
      const ColumnEntry& en = t.entries[e0 + static_cast<size_t>(q)];
      const int32_t acc = q * ids + en.kid;
      colWeight_[e0 + static_cast<size_t>(q)] = en.weight;
      colAcc_[e0 + static_cast<size_t>(q)] = acc;
      direct = direct && acc == q;
      routedAsNamed = routedAsNamed && (!en.valid || (en.kid < ids && t.kernel_of[static_cast<size_t>(acc)] == en.kernel));
    }
  }
  if (routedAsNamed) {
    std::vector<int32_t> channels;
    for (int32_t c : t.kernel_of)
      if (c >= 0) channels.push_back(c);
    std::sort(channels.begin(), channels.end());
    routedAsNamed = std::adjacent_find(channels.begin(), channels.end()) == channels.end();
  }
  const std::vector<uint8_t> mult = routedAsNamed ? std::vector<uint8_t>() : routeMultiplicity(t);
  while (busy > 0) {
    ++stampId_;
    size_t nc = 0;
    uint64_t rm = 1;
    for (const Lane& l : lanes) {
      if (!l.busy) continue;
      const int32_t k = it.column(l.m, l.pos);
      if (stamp_[static_cast<size_t>(k)] != stampId_) {
        stamp_[static_cast<size_t>(k)] = stampId_;
        cols[nc++] = k;
      }
      const uint64_t mk = routedAsNamed ? 1 : mult[static_cast<size_t>(k)];
      if (mk > 1) {
        r.routing_conflict_columns++;
        rm = std::max(rm, mk);
      }
    }
    const uint64_t sc = banks_.readCycles(cols.data(), nc, wpc);
    const uint64_t step = std::max(sc, rm);
    if (trace_) trace_->step(now, cols.data(), nc, sc, wpc);
    r.column_words += static_cast<uint64_t>(nc) * static_cast<uint64_t>(wpc);
    r.sram_bandwidth += alone - 1;
    r.sram_bank_conflict += sc - alone;
    r.routing_conflict += step - sc;
    // Multiply, route by kernel ID, accumulate.
    for (size_t li = 0; stepSums && li < lanes.size(); ++li) {
      Lane& l = lanes[li];
      if (!l.busy) continue;
      const int32_t a = it.value[static_cast<size_t>(l.pos)];
      const int32_t k = it.column(l.m, l.pos);
      const ColumnEntry* col = &t.entries[static_cast<size_t>(k) * R];
      if (trace_) trace_->mac(now, static_cast<int>(li), l.m, k, a, col, R);
      if (a != 0) {  // a zero activation: the multipliers still fire; the products are zero
        const int16_t* w = colWeight_.data() + static_cast<size_t>(k) * R;
        const int16_t a16 = int16_t(a);
        if (direct) {
          for (int q = 0; q < R; ++q) l.acc[q] += int32_t(int16_t(a16 * w[q]));
        } else {
          const int32_t* to = colAcc_.data() + static_cast<size_t>(k) * R;
          for (int q = 0; q < R; ++q) l.acc[to[q]] += int32_t(int16_t(a16 * w[q]));
        }
      }
      if (trace_) trace_->state(now, static_cast<int>(li), l.m, l.acc, R, ids);
    }
    r.items += static_cast<uint64_t>(busy);
    r.macs += static_cast<uint64_t>(busy) * static_cast<uint64_t>(R);
    now += step;
    r.steps++;
    for (size_t li = 0; li < lanes.size(); ++li) {
      Lane& l = lanes[li];
      if (!l.busy) continue;
      if (++l.pos == l.end) {
        drain(l, static_cast<int>(li));
        unitDone(l.m);
        assign(l);
        if (!l.busy) --busy;
      }
    }
  }
  if (pending) r.events.push_back({now + r.fill, pending});
  r.cycles = now + r.fill;
  if (!stepSums) {
    const PassColumns pc{R, ids, colWeight_.data(), kWeightPad, colAcc_.data(), direct, t.kernel_of.data()};
    accumulatePass(pc, it, C, Nper, sums_);
  }
  return r;
}

void MacArrayTrace::pass(const PassTable& t, int lanes, int64_t split) {
  tr_.emit(TraceBlock::MacArray, "pass", t0_, {tr_.layer(), t.group, ++pass_ - 1, t.R, lanes, split});
  if (!tr_.on(TraceBlock::WeightSram)) return;
  w_.resize(t.entries.size());
  kid_.resize(t.entries.size());
  for (size_t e = 0; e < t.entries.size(); ++e) w_[e] = t.entries[e].weight, kid_[e] = t.entries[e].kid;
  tr_.emit(TraceBlock::WeightSram, "table", t0_, {pass_ - 1, t.K, t.R, t.entry_bits, t.words_per_column, w_, kid_});
}

void MacArrayTrace::step(uint64_t at, const int32_t* cols, size_t n, uint64_t readCycles, int wordsPerColumn) {
  tr_.emit(TraceBlock::WeightSram, "read", t0_ + at, {pass_ - 1, TraceField(cols, n), readCycles, wordsPerColumn});
}

void MacArrayTrace::mac(uint64_t at, int lane, int64_t pixel, int32_t col, int32_t act, const ColumnEntry* e, int R) {
  w_.assign(static_cast<size_t>(slots_), 0);
  kid_.assign(static_cast<size_t>(slots_), 0);
  for (int q = 0; q < R; ++q) {
    w_[static_cast<size_t>(q)] = e[q].weight;
    kid_[static_cast<size_t>(q)] = e[q].kid;
  }
  tr_.emit(TraceBlock::MacArray, "mac", t0_ + at, {pass_ - 1, lane, pixel, col, act, w_, kid_});
}

void MacArrayTrace::drain(int lane, int64_t pixel, const int32_t* acc, int R, int ids, uint64_t at) {
  acc_.assign(static_cast<size_t>(slots_) * static_cast<size_t>(ids_), 0);
  for (int q = 0; q < R; ++q)
    for (int id = 0; id < ids; ++id) acc_[static_cast<size_t>(q * ids_ + id)] = acc[static_cast<size_t>(q * ids + id)];
  tr_.emit(TraceBlock::MacArray, "drain", t0_ + at, {pass_ - 1, lane, pixel, acc_});
}

void MacArrayTrace::state(uint64_t at, int lane, int64_t pixel, const int32_t* acc, int R, int ids) {
  if (!tr_.on(TraceBlock::MacState)) return;
  acc_.assign(static_cast<size_t>(slots_) * static_cast<size_t>(ids_), 0);
  for (int q = 0; q < R; ++q)
    for (int id = 0; id < ids; ++id) acc_[static_cast<size_t>(q * ids_ + id)] = acc[static_cast<size_t>(q * ids + id)];
  tr_.emit(TraceBlock::MacState, "acc", t0_ + at, {pass_ - 1, lane, pixel, acc_});
}

void MacArray::attachTracer(TraceSink& t, int kernelIds) {
  if (!t.on(TraceBlock::MacArray) && !t.on(TraceBlock::WeightSram) && !t.on(TraceBlock::MacState)) return;
  const MacParams& p = core_.params();
  trace_ = std::make_unique<MacArrayTrace>(t, p.slots, kernelIds);
  core_.setTrace(trace_.get());
  const int lanes = p.lanes * (p.replicate ? p.slots : 1);
  for (TraceBlock b : {TraceBlock::MacArray, TraceBlock::MacState})
    if (t.on(b))
      t.setParams(b, {{"lanes", p.lanes}, {"lanes_max", lanes}, {"slots", p.slots}, {"kernel_ids", kernelIds}, {"id_bits", ceilLog2(kernelIds)}});
}

MacArray::MacArray(sc_core::sc_module_name name, MacParams p, const SramBanks& banks)
    : sc_module(name), from_selector("from_selector"), from_sram("from_sram"), sram("sram"), to_output("to_output"),
      jobs("jobs", 1), core_(p, banks) {
  SC_HAS_PROCESS(MacArray);
  SC_THREAD(run);
}

void MacArray::run() {
  for (;;) {
    MacLayerJob* job = jobs.read();
    LayerStats& st = *job->stats;
    const LayerGeometry& g = job->w->geom;
    uint64_t t0 = nowCycles();
    // Every pass walks every pixel of its group: each pass touches every output row, so a row is
    // complete only when the layer's last pass has finished.
    const uint64_t outRows = uint64_t(g.batch) * uint64_t(g.out_h);
    st.beginRows(outRows);
    ActivationsReady a = from_selector->read();
    // The selector block fetched the input, then selected: the wait splits the same way.
    const uint64_t waited = nowCycles() - t0;
    const uint64_t dramPart = std::min(waited, a.dram_cycles);
    st.stall_cycles[StallCause::Dram] += dramPart;
    st.stall_cycles[StallCause::SelectorThroughput] += waited - dramPart;
    // The activation buffer: the input as fetched, or the selector's (value, index) pairs.
    const int8_t* act = job->w->input.data.data();
    std::vector<int8_t> buffer;
    std::vector<uint8_t> winner;
    if (job->selection) {
      buffer.assign(job->w->input.size(), 0);
      winner.assign(job->w->input.size(), 0);
      for (size_t i = 0; i < job->selection->indices.size(); ++i) {
        buffer[job->selection->indices[i]] = job->selection->values[i];
        winner[job->selection->indices[i]] = 1;
      }
      act = buffer.data();
    }
    PixelItems items;
    for (;;) {
      uint64_t t1 = nowCycles();
      PassTask p = from_sram->read();
      st.stall_cycles[StallCause::Dram] += nowCycles() - t1;
      const PassTable& tab = *p.table;
      if (p.first_of_group)
        items = gatherItems(g, tab.group, act, winner.data(), job->selection == nullptr,
                            job->packed ? job->packed->live[static_cast<size_t>(tab.group)].data() : nullptr);
      if (trace_) trace_->begin(nowCycles());
      PassResult r = core_.runPass(tab, items, (*job->C)[static_cast<size_t>(tab.group)].data(), g.N);
      st.macs_issued += r.macs;
      // Every multiplier's product is routed and accumulated (a read-modify-write of one
      // accumulator); each busy lane reads its activation; each step reads its distinct columns.
      st.routing_hops += r.macs;
      st.register_accesses += 2 * r.macs;
      st.block_events[BlockEvent::MacArrayAccumulate] += r.macs;
      st.block_events[BlockEvent::ActivationBufferReadBytes] += r.items;
      st.block_events[BlockEvent::WeightSramReadBits] += r.column_words * static_cast<uint64_t>(core_.banks().config().word_bits);
      st.array_busy_cycles += r.steps;
      st.folds++;
      st.stall_cycles[StallCause::SramBandwidth] += r.sram_bandwidth;
      st.stall_cycles[StallCause::SramBankConflict] += r.sram_bank_conflict;
      st.stall_cycles[StallCause::RoutingConflict] += r.routing_conflict;
      st.stall_cycles[StallCause::MacPipelineFill] += r.fill;
      job->items += r.items;
      job->busy_cycles += r.steps;
      job->passes++;
      job->routing_conflict_columns += r.routing_conflict_columns;
      // Replay the pass in simulated time: write-backs leave when their pixels finish; a full
      // output buffer stalls the array (everything after it shifts by the stall).
      uint64_t off = 0;
      for (size_t i = 0; i < r.events.size(); ++i) {
        const WritebackEvent& e = r.events[i];
        waitCycles(e.at - off);
        off = e.at;
        WritebackTask wb;
        wb.bytes = e.pixels * static_cast<uint64_t>(tab.kernels) * static_cast<uint64_t>(job->output_bytes);
        wb.last_of_layer = p.last_of_layer && i + 1 == r.events.size();
        wb.stats = &st;
        writeBack(to_output, wb, ListStall::Always);
      }
      waitCycles(r.cycles - off);
      st.rowsFinished(0, outRows - 1, nowCycles());
      sram->release(p.slice_words);
      if (p.last_of_layer) break;
    }
  }
}

}  // namespace sparsesim
