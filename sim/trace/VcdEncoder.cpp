#include "sim/trace/VcdEncoder.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "sim/io/Escape.h"

namespace sparsesim {

namespace {

std::string vcdId(size_t n) {
  std::string id;
  do {
    id += static_cast<char>('!' + n % 94);
    n /= 94;
  } while (n);
  return id;
}

std::string bits(int64_t v) {
  const uint32_t u = static_cast<uint32_t>(static_cast<int32_t>(v));
  std::string s = "b";
  bool started = false;
  for (int i = 31; i >= 0; --i) {
    const bool bit = (u >> i) & 1u;
    if (bit) started = true;
    if (started) s += bit ? '1' : '0';
  }
  if (!started) s += '0';
  // A leading 1 would be zero-extended by readers: negative values keep all 32 bits.
  return s;
}

struct EventSignals {
  size_t slots = 1;
  std::vector<size_t> width;  // per field: 1 for scalars, the longest array otherwise
  std::vector<bool> array;
  size_t base = 0;            // id of slot 0's valid; a slot's ids are consecutive
  size_t perSlot = 1;         // valid + every field element
};

}  // namespace

void VcdEncoder::close() {
  std::stable_sort(records_.begin(), records_.end(), [](const TraceRecord& a, const TraceRecord& b) { return a.t < b.t; });
  // Shape every event's signals: slots = most records of it in one cycle.
  std::map<std::pair<int, int>, EventSignals> sig;
  for (size_t i = 0; i < records_.size();) {
    size_t j = i;
    std::map<std::pair<int, int>, size_t> count;
    for (; j < records_.size() && records_[j].t == records_[i].t; ++j) {
      const TraceRecord& r = records_[j];
      auto key = std::make_pair(static_cast<int>(r.block), r.event);
      EventSignals& s = sig[key];
      s.slots = std::max(s.slots, ++count[key]);
      s.width.resize(r.fields.size(), 1);
      s.array.resize(r.fields.size(), false);
      for (size_t f = 0; f < r.fields.size(); ++f) {
        s.array[f] = r.fields[f].array;
        s.width[f] = std::max(s.width[f], r.fields[f].values.size());
      }
    }
    i = j;
  }
  std::ofstream out(path_, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write trace file " + path_);
  out << "$version sparsesim golden trace $end\n$timescale 1ns $end\n";
  size_t next = 0;
  int openBlock = -1;
  for (auto& [key, s] : sig) {
    const TraceBlock block = static_cast<TraceBlock>(key.first);
    const TraceEventSchema& ev = traceEvents(block)[static_cast<size_t>(key.second)];
    if (key.first != openBlock) {
      if (openBlock >= 0) out << "$upscope $end\n";
      out << "$scope module " << vcdName(toString(block)) << " $end\n";
      openBlock = key.first;
    }
    out << "$scope module " << vcdName(ev.name) << " $end\n";
    s.perSlot = 1;
    for (size_t w : s.width) s.perSlot += w;
    s.base = next;
    for (size_t slot = 0; slot < s.slots; ++slot) {
      if (s.slots > 1) out << "$scope module s" << slot << " $end\n";
      out << "$var wire 1 " << vcdId(next++) << " valid $end\n";
      for (size_t f = 0; f < s.width.size(); ++f) {
        for (size_t e = 0; e < s.width[f]; ++e) {
          out << "$var integer 32 " << vcdId(next++) << ' ' << vcdName(ev.fields[f]);
          if (s.array[f]) out << '_' << e;
          out << " $end\n";
        }
      }
      if (s.slots > 1) out << "$upscope $end\n";
    }
    out << "$upscope $end\n";
  }
  if (openBlock >= 0) out << "$upscope $end\n";
  out << "$enddefinitions $end\n";

  std::vector<std::string> value(next);
  std::vector<size_t> validOn;  // valid strobes raised in the last emitted cycle
  auto set = [&](size_t id, const std::string& v) {
    if (value[id] != v) {
      value[id] = v;
      out << v << (v.size() == 1 ? "" : " ") << vcdId(id) << '\n';
    }
  };
  auto lower = [&] {
    for (size_t id : validOn) set(id, "0");
    validOn.clear();
  };
  // Initial values: strobes low, integers 0. Slot ids: valid first, then the field elements.
  out << "#0\n$dumpvars\n";
  for (auto& [key, s] : sig)
    for (size_t slot = 0; slot < s.slots; ++slot)
      for (size_t k = 0; k < s.perSlot; ++k) {
        const size_t id = s.base + slot * s.perSlot + k;
        value[id] = k == 0 ? "0" : "b0";
        out << value[id] << (k == 0 ? "" : " ") << vcdId(id) << '\n';
      }
  out << "$end\n";
  uint64_t last = 0;
  bool any = false;
  for (size_t i = 0; i < records_.size();) {
    const uint64_t t = records_[i].t;
    if (any && t > last + 1) {
      out << '#' << last + 1 << '\n';
      lower();
    }
    if (t != 0) out << '#' << t << '\n';  // #0 is the $dumpvars section's
    std::vector<size_t> raised;
    std::map<std::pair<int, int>, size_t> slotOf;
    for (; i < records_.size() && records_[i].t == t; ++i) {
      const TraceRecord& r = records_[i];
      auto key = std::make_pair(static_cast<int>(r.block), r.event);
      const EventSignals& s = sig.at(key);
      size_t id = s.base + s.perSlot * slotOf[key]++;
      raised.push_back(id);
      set(id++, "1");
      for (size_t f = 0; f < s.width.size(); ++f)
        for (size_t e = 0; e < s.width[f]; ++e, ++id)
          set(id, e < r.fields[f].values.size() ? bits(r.fields[f].values[e]) : bits(0));
    }
    for (size_t id : validOn)
      if (std::find(raised.begin(), raised.end(), id) == raised.end()) set(id, "0");
    validOn = raised;
    last = t;
    any = true;
  }
  if (any) {
    out << '#' << last + 1 << '\n';
    lower();
  }
  out.close();
  if (!out) throw std::runtime_error("writing trace file " + path_ + " failed");
}

}  // namespace sparsesim
