#pragma once
// A run's golden trace: the blocks asked for, their encoders, and the header that makes the
// trace self-describing (resolved configuration, seed, block parameters, field lists).
// Files are written into DIR.partial.<pid> and renamed to DIR by finish(), so a failed or
// interrupted run leaves no trace that looks complete.
#include <nlohmann/json.hpp>

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "models/common/TraceSink.h"
#include "sim/trace/TraceRecord.h"

namespace sparsesim {

enum class TraceFormat { Jsonl, Binary };

struct TraceOptions {
  std::string dir;                  // empty: no trace
  std::vector<std::string> blocks;  // empty: every block the datapath can trace
  TraceFormat format = TraceFormat::Jsonl;
  bool vcd = false;                 // also DIR/trace.vcd
};

class Tracer : public TraceSink {
 public:
  // `blocks` must come from resolveTraceBlocks; `header` holds arch, network and seed.
  Tracer(const TraceOptions& opt, const std::vector<TraceBlock>& blocks, nlohmann::ordered_json header);
  ~Tracer();  // an unfinished trace's staging folder is removed
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  bool on(TraceBlock b) const override { return on_[static_cast<size_t>(b)]; }
  void setParams(TraceBlock b, const TraceParams& params) override;
  void setLayer(int index) { layer_ = index; }
  int layer() const override { return layer_; }
  void emit(TraceBlock b, const char* event, uint64_t t, std::initializer_list<TraceField> fields) override;
  void write(const TraceRecord& r) override;
  // Writes header.json, closes the files and moves the staging folder to its final name.
  void finish();
  const std::string& dir() const { return opt_.dir; }

 private:
  TraceOptions opt_;
  std::string staging_;
  std::array<bool, kTraceBlockCount> on_{};
  std::array<std::unique_ptr<TraceEncoder>, kTraceBlockCount> enc_;
  std::unique_ptr<TraceEncoder> vcd_;
  nlohmann::ordered_json header_;
  nlohmann::ordered_json params_ = nlohmann::ordered_json::object();
  std::vector<TraceBlock> blocks_;
  int layer_ = 0;
  bool finished_ = false;
};

}  // namespace sparsesim
