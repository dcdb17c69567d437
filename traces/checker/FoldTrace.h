#pragma once
// What the array checkers (pe_array, pe_array_ws, sparse_pe) share around the trace: the fold
// records that open each fold (which fold is open names every message) and the pe_state block
// beside pe_array (every PE's register after every fold cycle), with its per-cycle comparison.
#include <memory>
#include <string>
#include <vector>

#include "Check.h"

namespace rtlcheck {

// The fold records of an array block: field indices looked up once, then the open fold.
class FoldTrace {
 public:
  explicit FoldTrace(const TraceReader& tr)
      : tr_(tr),
        ev_(tr.eventIndex("fold")),
        fFold_(tr.fieldIndex(ev_, "fold")),
        fLayer_(tr.fieldIndex(ev_, "layer")),
        fGroup_(tr.fieldIndex(ev_, "group")) {}

  int event() const { return ev_; }
  // A fold record opens its fold.
  void open(const TraceRecord& r) {
    fold = tr_.scalar(r, fFold_);
    layer = tr_.scalar(r, fLayer_);
    group = tr_.scalar(r, fGroup_);
    t0 = r.t;
  }
  // Record r's fold field (index `field`) must name the open fold.
  bool inFold(const TraceRecord& r, int field) const { return fold >= 0 && tr_.scalar(r, field) == fold; }
  std::string context() const {
    return "layer " + std::to_string(layer) + " group " + std::to_string(group) + " fold " + std::to_string(fold) + " (fold start cycle " +
           std::to_string(t0) + ")";
  }

  int64_t fold = -1, layer = 0, group = 0;
  uint64_t t0 = 0;  // the fold's start cycle

 private:
  const TraceReader& tr_;
  int ev_, fFold_, fLayer_, fGroup_;
};

// The pe_state block, read alongside pe_array when the trace has it and the check wants it
// (not with --no-state; not with --latency > 0, whose deeper pipeline lags the traced state).
class PeStateTrace {
 public:
  // `outputs` names what is still compared without the state, for the note.
  PeStateTrace(const Args& args, const TraceReader& tr, int rows, int cols, const char* outputs) : rows_(rows), cols_(cols) {
    if (!args.state || !tr.header()["blocks"].contains("pe_state")) return;
    if (args.latency > 0) {
      std::printf("note: --latency %d: the per-cycle pe_state registers are not compared (%s only)\n", args.latency, outputs);
      return;
    }
    st_ = std::make_unique<TraceReader>(args.trace, "pe_state");
    requireParam(*st_, "pe_state", "rows", "ROWS", rows);
    requireParam(*st_, "pe_state", "cols", "COLS", cols);
    const int ev = st_->eventIndex("acc");
    fFold_ = st_->fieldIndex(ev, "fold");
    fAcc_ = st_->fieldIndex(ev, "acc");
    have_ = st_->next(rec_);
  }

  bool on() const { return st_ != nullptr; }
  uint64_t count() const { return st_ ? st_->count() : 0; }

  // After cycle t of fold `fold`: every PE's register, row by row through row_sel without a
  // clock edge (read(j) is column j of the selected row), against the traced ones; a cycle the
  // trace has no state for is skipped. `signal` names the register (pe_acc, pe_psum), `note`
  // what to do when the row read is not combinational.
  template <typename Dut, typename Read>
  void compare(Dut& dut, uint64_t t, uint64_t foldCycle, const FoldTrace& f, const char* block, const std::string& signal, Read read,
               const std::string& note, uint64_t& comparisons) {
    while (have_ && rec_.t < t) have_ = st_->next(rec_);  // state of cycles the RTL did not run (none in a well-formed trace)
    if (!have_ || rec_.t != t) return;
    if (st_->scalar(rec_, fFold_) != f.fold)
      throw TraceError(st_->where() + ": pe_state record of fold " + std::to_string(st_->scalar(rec_, fFold_)) + " inside fold " +
                       std::to_string(f.fold));
    const auto& acc = st_->array(rec_, fAcc_, static_cast<size_t>(rows_ * cols_));
    for (int i = 0; i < rows_; ++i) {
      putBits(dut.row_sel, 0, 32, static_cast<uint64_t>(i));
      dut.eval();
      for (int j = 0; j < cols_; ++j) {
        const int64_t got = signExtend(read(j), 32);
        const int64_t want = asInt32(acc[static_cast<size_t>(i * cols_ + j)]);
        ++comparisons;
        if (got != want)
          mismatch(t, block, signal + "[" + std::to_string(i) + "][" + std::to_string(j) + "]", std::to_string(want), std::to_string(got),
                   "PE (" + std::to_string(i) + ", " + std::to_string(j) + ") after fold cycle " + std::to_string(foldCycle) + " of " +
                       f.context() + " (pe_state; " + note + ")");
      }
    }
    putBits(dut.row_sel, 0, 32, 0);
    dut.eval();
    matched(t);
    have_ = st_->next(rec_);
  }

 private:
  int rows_, cols_;
  std::unique_ptr<TraceReader> st_;
  int fFold_ = -1, fAcc_ = -1;
  TraceRecord rec_;
  bool have_ = false;
};

// The dense arrays' (pe_array, pe_array_ws) fold loop over the pe_array records: a fold record
// clears the array (one cycle with clear = 1) and opens the fold; an edge record is driven at
// its fold cycle, the cycles before it with zeros; after every fold cycle the pe_state
// comparison, when on. The checker handles its output records itself, running the fold up to
// them with runTo. `cycleHook(c)` sets the block's own inputs of fold cycle c before its edge and
// `stateCompare(c)` compares the state after it.
template <typename Dut>
class DenseFolds {
 public:
  DenseFolds(const TraceReader& tr, Dut& dut, int rows, int cols)
      : fold(tr),
        tr_(tr),
        dut_(dut),
        rows_(rows),
        cols_(cols),
        evEdge_(tr.eventIndex("edge")),
        fCycles_(tr.fieldIndex(fold.event(), "cycles")),
        fEdgeFold_(tr.fieldIndex(evEdge_, "fold")),
        fA_(tr.fieldIndex(evEdge_, "a")),
        fB_(tr.fieldIndex(evEdge_, "b")) {}

  // One rising edge with a[i] into row i, b[j] into column j (zeros without an edge record).
  void drive(const std::vector<int64_t>* a, const std::vector<int64_t>* b) {
    for (int i = 0; i < rows_; ++i) putBits(dut_.a, 8 * i, 8, a ? static_cast<uint64_t>((*a)[static_cast<size_t>(i)]) : 0);
    for (int j = 0; j < cols_; ++j) putBits(dut_.b, 8 * j, 8, b ? static_cast<uint64_t>((*b)[static_cast<size_t>(j)]) : 0);
    tick(dut_);
  }

  // A fold or edge record: handled (true), else the caller's (false). `closed`: the fold takes
  // no more edges (its drain began).
  template <typename Hook, typename State>
  bool take(const TraceRecord& r, bool closed, Hook cycleHook, State stateCompare) {
    if (r.event == fold.event()) {
      fold.open(r);
      cycles = static_cast<uint64_t>(tr_.scalar(r, fCycles_));
      next = 0;
      dut_.clear = 1;
      drive(nullptr, nullptr);
      dut_.clear = 0;
      return true;
    }
    if (r.event != evEdge_) return false;
    if (!fold.inFold(r, fEdgeFold_) || closed) throw TraceError(tr_.where() + ": edge record outside its fold");
    const uint64_t c = r.t - fold.t0;
    if (c < next || c >= cycles) throw TraceError(tr_.where() + ": edge at fold cycle " + std::to_string(c) + " out of order or past the fold");
    runTo(c, cycleHook, stateCompare);
    cycle(&tr_.array(r, fA_, static_cast<size_t>(rows_)), &tr_.array(r, fB_, static_cast<size_t>(cols_)), cycleHook, stateCompare);
    return true;
  }

  // Fold cycles without edges until fold cycle c is next.
  template <typename Hook, typename State>
  void runTo(uint64_t c, Hook cycleHook, State stateCompare) {
    while (next < c) cycle(nullptr, nullptr, cycleHook, stateCompare);
  }

  FoldTrace fold;
  uint64_t cycles = 0, next = 0;  // the open fold's length and its next cycle

 private:
  template <typename Hook, typename State>
  void cycle(const std::vector<int64_t>* a, const std::vector<int64_t>* b, Hook cycleHook, State stateCompare) {
    atCycle(fold.t0 + next);
    cycleHook(next);
    drive(a, b);
    stateCompare(next);
    ++next;
  }

  const TraceReader& tr_;
  Dut& dut_;
  int rows_, cols_;
  int evEdge_, fCycles_, fEdgeFold_, fA_, fB_;
};

}  // namespace rtlcheck
