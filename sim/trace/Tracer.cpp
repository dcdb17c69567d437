#include "sim/trace/Tracer.h"

#include <variant>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>

#include "sim/core/ConfigError.h"
#include "sim/io/AtomicFile.h"
#include "sim/trace/BinaryEncoder.h"
#include "sim/trace/JsonlEncoder.h"
#include "sim/trace/VcdEncoder.h"

namespace fs = std::filesystem;

namespace sparsesim {

Tracer::Tracer(const TraceOptions& opt, const std::vector<TraceBlock>& blocks, nlohmann::ordered_json header)
    : opt_(opt), header_(std::move(header)), blocks_(blocks) {
  staging_ = opt_.dir + ".partial." + std::to_string(::getpid());
  std::error_code ec;
  fs::remove_all(staging_, ec);
  // An unusable trace folder is the user's input: a ConfigError before anything runs.
  if (!fs::create_directories(staging_, ec) && ec)
    throw ConfigError("", "--trace", "cannot create \"" + staging_ + "\": " + ec.message());
  try {
    for (TraceBlock b : blocks_) {
      const size_t i = static_cast<size_t>(b);
      on_[i] = true;
      const std::string base = (fs::path(staging_) / toString(b)).string();
      if (opt_.format == TraceFormat::Binary) enc_[i] = std::make_unique<BinaryEncoder>(base + ".bin");
      else enc_[i] = std::make_unique<JsonlEncoder>(base + ".jsonl");
    }
  } catch (const std::runtime_error& e) {
    fs::remove_all(staging_, ec);
    throw ConfigError("", "--trace", e.what());
  }
  if (opt_.vcd) vcd_ = std::make_unique<VcdEncoder>((fs::path(staging_) / "trace.vcd").string());
}

Tracer::~Tracer() {
  if (!finished_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

void Tracer::setParams(TraceBlock b, const TraceParams& params) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [key, value] : params) std::visit([&j, &key = key](const auto& x) { j[key] = x; }, value.v);
  params_[toString(b)] = std::move(j);
}

void Tracer::emit(TraceBlock b, const char* event, uint64_t t, std::initializer_list<TraceField> fields) {
  if (!on_[static_cast<size_t>(b)]) return;
  TraceRecord r;
  r.t = t;
  r.block = b;
  r.event = traceEventIndex(b, event);
  r.fields = fields;
  write(r);
}

void Tracer::write(const TraceRecord& r) {
  const size_t i = static_cast<size_t>(r.block);
  if (!on_[i]) return;
  const TraceEventSchema& ev = traceEvents(r.block)[static_cast<size_t>(r.event)];
  if (r.fields.size() != ev.fields.size())
    throw std::logic_error(std::string("trace event ") + toString(r.block) + "." + ev.name + ": wrong number of fields");
  enc_[i]->write(r);
  if (vcd_) vcd_->write(r);
}

void Tracer::finish() {
  nlohmann::ordered_json h;
  h["format"] = "sparsesim-trace";
  h["version"] = 1;
  h["encoding"] = opt_.format == TraceFormat::Binary ? "bin" : "jsonl";
  for (auto it = header_.begin(); it != header_.end(); ++it) h[it.key()] = it.value();
  nlohmann::ordered_json blocks = nlohmann::ordered_json::object(), events = nlohmann::ordered_json::object(),
                         fields = nlohmann::ordered_json::object();
  for (TraceBlock b : blocks_) {
    const std::string name = toString(b);
    blocks[name] = params_.contains(name) ? params_[name] : nlohmann::ordered_json::object();
    events[name] = nlohmann::ordered_json::array();
    for (const TraceEventSchema& e : traceEvents(b)) {
      events[name].push_back(e.name);
      fields[name + "." + e.name] = e.fields;
    }
  }
  h["blocks"] = blocks;
  h["events"] = events;
  h["fields"] = fields;
  for (TraceBlock b : blocks_) enc_[static_cast<size_t>(b)]->close();
  if (vcd_) vcd_->close();
  writeFileAtomic((fs::path(staging_) / "header.json").string(), h.dump(2) + "\n");
  std::error_code ec;
  fs::remove_all(opt_.dir, ec);
  fs::rename(staging_, opt_.dir);
  finished_ = true;
}

}  // namespace sparsesim
