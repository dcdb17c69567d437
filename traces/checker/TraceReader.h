#pragma once
// Reads one block of a sparsesim golden trace (docs/traces.md): header.json plus <block>.jsonl or
// <block>.bin, whichever the header's "encoding" names. Records come back in file order with
// their fields in the header's field order, so a checker looks fields up by name once and then
// indexes. Header-only so that tools/validate-rtl can compile a checker without the project's
// build tree. Malformed input throws TraceError naming the file and the record.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace rtlcheck {

struct TraceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct TraceRecord {
  uint64_t t = 0;
  int event = -1;                             // index into the block's event list
  std::vector<std::vector<int64_t>> fields;   // in the header's field order of that event
  uint64_t pos = 0;                           // line (jsonl) or record number (bin), for messages
};

class TraceReader {
 public:
  TraceReader(const std::string& dir, const std::string& block) : block_(block) {
    const std::string hpath = dir + "/header.json";
    std::ifstream h(hpath);
    if (!h) throw TraceError(hpath + ": cannot open (is " + dir + " a trace directory written by sparsesim run --trace?)");
    try {
      header_ = nlohmann::json::parse(h);
    } catch (const nlohmann::json::exception& e) {
      throw TraceError(hpath + ": not valid JSON: " + e.what());
    }
    if (header_.value("format", "") != "sparsesim-trace")
      throw TraceError(hpath + ": \"format\" is not \"sparsesim-trace\"");
    if (header_.value("version", 0) != 1)
      throw TraceError(hpath + ": trace format version " + header_.value("version", nlohmann::json()).dump() + " (this checker reads version 1)");
    if (!header_.contains("blocks") || !header_["blocks"].contains(block)) {
      std::string have;
      if (header_.contains("blocks"))
        for (auto it = header_["blocks"].begin(); it != header_["blocks"].end(); ++it) have += (have.empty() ? "" : ", ") + it.key();
      const std::string datapath = header_.contains("arch") ? header_["arch"].value("datapath", "") : "";
      const std::string tracedBy = tracingDatapaths(block);
      std::string advice = tracedBy.find(datapath) != std::string::npos && !datapath.empty()
                               ? "rerun sparsesim with --trace-blocks " + block
                               : "the " + datapath + " datapath has no " + block + ": trace an architecture of datapath " + tracedBy +
                                     " with --trace-blocks " + block + " (tools/validate-rtl prints the command)";
      throw TraceError(hpath + ": the trace has no block \"" + block + "\" (traced: " + (have.empty() ? "none" : have) + "); " + advice);
    }
    params_ = header_["blocks"][block];
    try {
      events_ = header_.at("events").at(block).get<std::vector<std::string>>();
      for (const std::string& ev : events_) fields_.push_back(header_.at("fields").at(block + "." + ev).get<std::vector<std::string>>());
    } catch (const nlohmann::json::exception& e) {
      throw TraceError(hpath + ": events/fields of block \"" + block + "\" missing or malformed: " + e.what());
    }
    encoding_ = header_.value("encoding", "");
    if (encoding_ == "jsonl") {
      path_ = dir + "/" + block + ".jsonl";
      in_.open(path_);
    } else if (encoding_ == "bin") {
      path_ = dir + "/" + block + ".bin";
      in_.open(path_, std::ios::binary);
      char magic[8] = {};
      if (in_ && !(in_.read(magic, 8) && std::string(magic, 8) == "SSTRACE1"))
        throw TraceError(path_ + ": does not start with SSTRACE1");
    } else {
      throw TraceError(hpath + ": unknown \"encoding\" \"" + encoding_ + "\" (jsonl or bin)");
    }
    if (!in_) throw TraceError(path_ + ": cannot open");
  }

  // The datapaths whose traces hold `block` (docs/traces.md, "Blocks per datapath").
  static std::string tracingDatapaths(const std::string& block) {
    if (block == "pe_array" || block == "pe_state") return "dense or sod";
    if (block == "decompressor") return "sod";
    return "cs";
  }

  const nlohmann::json& header() const { return header_; }
  const nlohmann::json& params() const { return params_; }  // header.blocks[block]
  const std::string& encoding() const { return encoding_; }
  const std::string& path() const { return path_; }  // the block's record file

  int eventIndex(const std::string& ev) const {
    for (size_t i = 0; i < events_.size(); ++i)
      if (events_[i] == ev) return static_cast<int>(i);
    throw TraceError(path_ + ": block " + block_ + " has no event \"" + ev + "\"");
  }
  int fieldIndex(int ev, const std::string& field) const {
    const auto& f = fields_.at(static_cast<size_t>(ev));
    for (size_t i = 0; i < f.size(); ++i)
      if (f[i] == field) return static_cast<int>(i);
    throw TraceError(path_ + ": event " + block_ + "." + events_[static_cast<size_t>(ev)] + " has no field \"" + field + "\"");
  }

  // Where a record (by default the last one read) came from, for error messages.
  std::string where(uint64_t pos) const { return path_ + (encoding_ == "jsonl" ? ":" : " record ") + std::to_string(pos); }
  std::string where() const { return where(encoding_ == "jsonl" ? line_ : count_); }
  std::string where(const TraceRecord& r) const { return where(r.pos); }
  uint64_t count() const { return count_; }

  // The next record; false at the end of the file. Checks the non-decreasing cycle order unless
  // the caller sorts the records itself (readAllSorted).
  bool next(TraceRecord& r) {
    if (!(encoding_ == "jsonl" ? nextJsonl(r) : nextBin(r))) return false;
    ++count_;
    r.pos = encoding_ == "jsonl" ? line_ : count_;
    if (ordered_ && r.t < lastT_)
      throw TraceError(where() + ": cycle " + std::to_string(r.t) + " before the previous record's " + std::to_string(lastT_));
    lastT_ = r.t;
    return true;
  }

  // Every remaining record, stably sorted by cycle: for blocks whose writer emits a record once
  // its value is known, which can be after records of later cycles (a lane's drain waits for the
  // accumulate pipeline while the lane's next steps are already written).
  std::vector<TraceRecord> readAllSorted() {
    ordered_ = false;
    std::vector<TraceRecord> all;
    TraceRecord r;
    while (next(r)) all.push_back(r);
    std::stable_sort(all.begin(), all.end(), [](const TraceRecord& a, const TraceRecord& b) { return a.t < b.t; });
    return all;
  }

  // A field that must hold one integer / exactly n integers.
  int64_t scalar(const TraceRecord& r, int field) const {
    const auto& v = r.fields.at(static_cast<size_t>(field));
    if (v.size() != 1) throw TraceError(where(r) + ": field " + fieldName(r, field) + " has " + std::to_string(v.size()) + " values, expected 1");
    return v[0];
  }
  const std::vector<int64_t>& array(const TraceRecord& r, int field, size_t n) const {
    const auto& v = r.fields.at(static_cast<size_t>(field));
    if (v.size() != n)
      throw TraceError(where(r) + ": field " + fieldName(r, field) + " has " + std::to_string(v.size()) + " values, expected " + std::to_string(n));
    return v;
  }

 private:
  std::string fieldName(const TraceRecord& r, int field) const {
    return events_[static_cast<size_t>(r.event)] + "." + fields_[static_cast<size_t>(r.event)][static_cast<size_t>(field)];
  }

  bool nextJsonl(TraceRecord& r) {
    std::string s;
    do {
      if (!std::getline(in_, s)) return false;
      ++line_;
    } while (s.find_first_not_of(" \t\r") == std::string::npos);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(s);
      r.t = j.at("t").get<uint64_t>();
      r.event = eventIndex(j.at("ev").get<std::string>());
    } catch (const nlohmann::json::exception& e) {
      throw TraceError(where() + ": " + e.what());
    }
    const auto& names = fields_[static_cast<size_t>(r.event)];
    r.fields.assign(names.size(), {});
    for (size_t i = 0; i < names.size(); ++i) {
      auto it = j.find(names[i]);
      if (it == j.end()) throw TraceError(where() + ": record has no field \"" + names[i] + "\"");
      if (it->is_number_integer()) {
        r.fields[i].push_back(it->get<int64_t>());
      } else if (it->is_array()) {
        for (const auto& x : *it) {
          if (!x.is_number_integer()) throw TraceError(where() + ": field \"" + names[i] + "\" holds a non-integer");
          r.fields[i].push_back(x.get<int64_t>());
        }
      } else {
        throw TraceError(where() + ": field \"" + names[i] + "\" is neither an integer nor an array");
      }
    }
    return true;
  }

  template <typename T>
  bool get(T& v, bool eofOk) {
    unsigned char b[sizeof(T)];
    if (!in_.read(reinterpret_cast<char*>(b), sizeof(T))) {
      if (eofOk && in_.gcount() == 0) return false;
      throw TraceError(where() + ": truncated record");
    }
    uint64_t u = 0;
    for (size_t i = 0; i < sizeof(T); ++i) u |= uint64_t(b[i]) << (8 * i);
    v = static_cast<T>(u);
    return true;
  }

  bool nextBin(TraceRecord& r) {
    uint64_t t = 0;
    if (!get(t, true)) return false;
    uint16_t ev = 0, nf = 0;
    get(ev, false);
    get(nf, false);
    if (ev >= events_.size()) throw TraceError(where() + ": event index " + std::to_string(ev) + " out of range");
    if (nf != fields_[ev].size())
      throw TraceError(where() + ": " + std::to_string(nf) + " fields, header lists " + std::to_string(fields_[ev].size()));
    r.t = t;
    r.event = ev;
    r.fields.assign(nf, {});
    // Per field: u32 n, u8 w, then n signed integers of w bytes each (w = 1, 2 or 4).
    for (uint16_t i = 0; i < nf; ++i) {
      uint32_t n = 0;
      uint8_t w = 0;
      get(n, false);
      get(w, false);
      if (n > (1u << 24)) throw TraceError(where() + ": field of " + std::to_string(n) + " values");
      r.fields[i].resize(n);
      for (uint32_t k = 0; k < n; ++k) {
        if (w == 1) {
          int8_t x = 0;
          get(x, false);
          r.fields[i][k] = x;
        } else if (w == 2) {
          int16_t x = 0;
          get(x, false);
          r.fields[i][k] = x;
        } else if (w == 4) {
          int32_t x = 0;
          get(x, false);
          r.fields[i][k] = x;
        } else {
          throw TraceError(where() + ": field width " + std::to_string(w) + " bytes (1, 2 or 4)");
        }
      }
    }
    return true;
  }

  std::string block_, path_, encoding_;
  nlohmann::json header_, params_;
  std::vector<std::string> events_;
  std::vector<std::vector<std::string>> fields_;
  std::ifstream in_;
  uint64_t line_ = 0, count_ = 0, lastT_ = 0;
  bool ordered_ = true;
};

}  // namespace rtlcheck
