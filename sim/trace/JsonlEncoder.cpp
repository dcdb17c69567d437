#include "sim/trace/JsonlEncoder.h"

#include <stdexcept>

namespace sparsesim {

JsonlEncoder::JsonlEncoder(const std::string& path) : path_(path), out_(path, std::ios::binary) {
  if (!out_) throw std::runtime_error("cannot write trace file " + path_);
}

void JsonlEncoder::write(const TraceRecord& r) {
  const TraceEventSchema& ev = traceEvents(r.block)[static_cast<size_t>(r.event)];
  line_.clear();
  line_ += "{\"t\":";
  line_ += std::to_string(r.t);
  line_ += ",\"ev\":\"";
  line_ += ev.name;
  line_ += '"';
  for (size_t i = 0; i < r.fields.size(); ++i) {
    line_ += ",\"";
    line_ += ev.fields[i];
    line_ += "\":";
    const TraceField& f = r.fields[i];
    if (f.array) line_ += '[';
    for (size_t j = 0; j < f.values.size(); ++j) {
      if (j) line_ += ',';
      line_ += std::to_string(f.values[j]);
    }
    if (f.array) line_ += ']';
  }
  line_ += "}\n";
  out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
}

void JsonlEncoder::close() {
  out_.close();
  if (!out_) throw std::runtime_error("writing trace file " + path_ + " failed");
}

}  // namespace sparsesim
