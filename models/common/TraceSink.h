#pragma once
// What a block needs of a golden trace (docs/traces.md): whether its records are wanted, a place
// for its parameters in the trace header, and the records themselves. sim/trace/TraceSink is the
// implementation (encoders, files, header JSON); blocks see only this interface, so models/
// knows nothing of JSON or of how a trace is written.
#include <cstdint>
#include <type_traits>
#include <initializer_list>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "models/common/TraceSchema.h"

namespace sparsesim {

// One transaction: a cycle, a block, an event and its field values in the schema's order
// (models/common/TraceSchema.h). A field is a scalar or an array of integers.
struct TraceField {
  bool array = false;
  std::vector<int64_t> values;

  template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
  TraceField(T scalar) : values{static_cast<int64_t>(scalar)} {}  // NOLINT: implicit by design
  template <typename T>
  TraceField(const std::vector<T>& v) : array(true), values(v.begin(), v.end()) {}  // NOLINT
  template <typename T>
  TraceField(const T* p, size_t n) : array(true), values(p, p + n) {}
};

struct TraceRecord {
  uint64_t t = 0;
  TraceBlock block = TraceBlock::PeArray;
  int event = 0;  // index into traceEvents(block)
  std::vector<TraceField> fields;
};

// One header parameter value: an integer, a real, a flag or a name.
struct TraceParamValue {
  std::variant<int64_t, double, bool, std::string> v;
  template <typename T, typename = std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>>
  TraceParamValue(T i) : v(static_cast<int64_t>(i)) {}  // NOLINT: implicit by design
  TraceParamValue(double d) : v(d) {}                    // NOLINT
  TraceParamValue(bool b) : v(b) {}                      // NOLINT
  TraceParamValue(const char* s) : v(std::string(s)) {}  // NOLINT
  TraceParamValue(std::string s) : v(std::move(s)) {}    // NOLINT
};
// A block's header parameters in the order the header lists them.
using TraceParams = std::vector<std::pair<std::string, TraceParamValue>>;

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual bool on(TraceBlock b) const = 0;
  // The block's parameters for the header (array sizes a checker must match).
  virtual void setParams(TraceBlock b, const TraceParams& params) = 0;
  // Index of the layer being simulated (records carry it).
  virtual int layer() const = 0;
  virtual void emit(TraceBlock b, const char* event, uint64_t t, std::initializer_list<TraceField> fields) = 0;
  // A record built ahead of time (blocks that must reorder theirs by cycle).
  virtual void write(const TraceRecord& r) = 0;
};

}  // namespace sparsesim
