#include "models/cs/WeightPackingSram.h"

#include <numeric>
#include <random>
#include "sim/core/Math.h"

#include <algorithm>
#include <stdexcept>

#include "models/common/Cycles.h"

namespace sparsesim {


SramBanks::SramBanks(const CsSramConfig& c) : c_(c), count_(static_cast<size_t>(c.banks), 0) {}

int SramBanks::wordsPerColumn(int64_t entries, int entryBits) const {
  return static_cast<int>(std::max<uint64_t>(1, ceilDiv(uint64_t(entries) * uint64_t(entryBits), uint64_t(c_.word_bits))));
}

uint64_t SramBanks::aloneCycles(int wpc) const {
  return ceilDiv(ceilDiv(uint64_t(wpc), uint64_t(c_.banks)), uint64_t(c_.ports));
}

double SramBanks::expectedReadCycles(int64_t K, int64_t count, int wpc) const {
  count = std::max<int64_t>(1, std::min(count, K));
  if (count == 1) return double(aloneCycles(wpc));
  std::mt19937 rng(12345);
  std::vector<int32_t> all(static_cast<size_t>(K));
  std::iota(all.begin(), all.end(), 0);
  constexpr int kDraws = 64;
  double sum = 0;
  for (int d = 0; d < kDraws; ++d) {
    // Partial Fisher-Yates: the first `count` entries are a uniform draw without replacement.
    for (int64_t i = 0; i < count; ++i) {
      std::uniform_int_distribution<int64_t> pick(i, K - 1);
      std::swap(all[static_cast<size_t>(i)], all[static_cast<size_t>(pick(rng))]);
    }
    sum += double(readCycles(all.data(), static_cast<size_t>(count), wpc));
  }
  return sum / kDraws;
}

uint64_t SramBanks::readCycles(const int32_t* columns, size_t count, int wpc) const {
  if (count == 0) return 0;
  if (count == 1) return aloneCycles(wpc);
  const uint64_t B = uint64_t(c_.banks);
  uint32_t peak = 0;
  // Every column covers whole rounds of all banks plus a run of consecutive banks.
  const uint32_t full = static_cast<uint32_t>(uint64_t(wpc) / B);
  const uint64_t rest = uint64_t(wpc) % B;
  if (rest == 0) {
    peak = full * static_cast<uint32_t>(count);
  } else {
    for (size_t i = 0; i < count; ++i) {
      uint64_t b = (uint64_t(columns[i]) * uint64_t(wpc)) % B;
      for (uint64_t j = 0; j < rest; ++j) {
        uint32_t c = ++count_[b];
        peak = std::max(peak, c);
        if (++b == B) b = 0;
      }
    }
    for (size_t i = 0; i < count; ++i) {
      uint64_t b = (uint64_t(columns[i]) * uint64_t(wpc)) % B;
      for (uint64_t j = 0; j < rest; ++j) {
        count_[b] = 0;
        if (++b == B) b = 0;
      }
    }
    peak += full * static_cast<uint32_t>(count);
  }
  return ceilDiv(peak, uint64_t(c_.ports));
}

int64_t SramBanks::blocks() const {
  const int64_t width = (c_.word_bits + 71) / 72;
  const int64_t blockDepth = c_.memory == SramMemory::Uram ? 4096 : 512;
  const int64_t deep = (int64_t(c_.depth) + blockDepth - 1) / blockDepth;
  return int64_t(c_.banks) * width * deep;
}

SliceGeometry planSlices(const PackedLayer& p, int slots, int entryBits, const SramBanks& banks, uint64_t capacityWords) {
  SliceGeometry s;
  const uint64_t cap = capacityWords ? std::min(capacityWords, banks.capacityWords()) : banks.capacityWords();
  int64_t maxGroups = 0;
  for (const auto& g : p.groups) maxGroups = std::max<int64_t>(maxGroups, static_cast<int64_t>(g.size()));
  int R = static_cast<int>(std::min<int64_t>(slots, std::max<int64_t>(1, maxGroups)));
  while (R > 0 && uint64_t(p.K) * uint64_t(banks.wordsPerColumn(R, entryBits)) > cap) --R;
  s.R = R;
  if (R == 0) return s;
  s.words_per_column = banks.wordsPerColumn(R, entryBits);
  s.slice_words = uint64_t(p.K) * uint64_t(s.words_per_column);
  for (const auto& g : p.groups) {
    for (size_t first = 0; first < g.size(); first += static_cast<size_t>(R)) {
      int r = static_cast<int>(std::min<size_t>(R, g.size() - first));
      s.passes++;
      s.table_words += uint64_t(p.K) * uint64_t(banks.wordsPerColumn(r, entryBits));
      s.table_bytes += ceilDiv(uint64_t(p.K) * uint64_t(r) * uint64_t(entryBits), 8);
    }
  }
  return s;
}

WeightPackingSram::WeightPackingSram(sc_core::sc_module_name name, const CsSramConfig& c)
    : sc_module(name), dram("dram"), to_mac("to_mac"), release_port("release_port"), jobs("jobs", 1), banks_(c) {
  release_port.bind(*this);
  SC_HAS_PROCESS(WeightPackingSram);
  SC_THREAD(fill);
}

void WeightPackingSram::release(uint64_t words) {
  if (words > used_) throw std::logic_error("WeightPackingSram: released more than loaded");
  used_ -= words;
  freed_.notify(sc_core::SC_ZERO_TIME);
}

void assignKernelIds(PassTable& t) {
  std::vector<std::vector<int32_t>> channels(static_cast<size_t>(t.R));
  for (int64_t k = 0; k < t.K; ++k)
    for (int r = 0; r < t.R; ++r) {
      ColumnEntry& e = t.entries[static_cast<size_t>(k * t.R + r)];
      auto& ch = channels[static_cast<size_t>(r)];
      auto it = std::find(ch.begin(), ch.end(), e.kernel);
      e.kid = static_cast<uint16_t>(it - ch.begin());
      if (it == ch.end()) ch.push_back(e.kernel);
    }
  t.ids = 1;
  for (const auto& ch : channels) t.ids = std::max(t.ids, static_cast<int>(ch.size()));
  t.kernel_of.assign(static_cast<size_t>(t.R) * static_cast<size_t>(t.ids), -1);
  for (int r = 0; r < t.R; ++r)
    for (size_t id = 0; id < channels[static_cast<size_t>(r)].size(); ++id)
      t.kernel_of[static_cast<size_t>(r * t.ids) + id] = channels[static_cast<size_t>(r)][id];
}

PassTable buildPassTable(const PackedLayer& p, int group, size_t first, int R, int wpc) {
  PassTable t;
  t.group = group;
  t.K = p.K;
  t.R = R;
  t.words_per_column = wpc;
  t.entry_bits = 8 + p.idBits;
  t.entries.resize(static_cast<size_t>(p.K) * static_cast<size_t>(R));
  for (int r = 0; r < R; ++r)
    t.ids = std::max(t.ids, static_cast<int>(p.groups[group][first + static_cast<size_t>(r)].kernels.size()));
  t.kernel_of.assign(static_cast<size_t>(R) * static_cast<size_t>(t.ids), -1);
  for (int r = 0; r < R; ++r) {
    const PackedGroup& pg = p.groups[group][first + static_cast<size_t>(r)];
    t.kernels += static_cast<int>(pg.kernels.size());
    for (size_t id = 0; id < pg.kernels.size(); ++id) t.kernel_of[static_cast<size_t>(r * t.ids) + id] = pg.kernels[id];
  }
  // A transposition (group-major slots into column-major entries), in blocks of columns so that
  // both sides stay in cache.
  constexpr int64_t kBlock = 64;
  for (int64_t k0 = 0; k0 < p.K; k0 += kBlock) {
    const int64_t k1 = std::min<int64_t>(p.K, k0 + kBlock);
    for (int r = 0; r < R; ++r) {
      const PackedGroup& pg = p.groups[group][first + static_cast<size_t>(r)];
      for (int64_t k = k0; k < k1; ++k) {
        const PackedSlot& s = pg.slots[k];
        ColumnEntry& e = t.entries[static_cast<size_t>(k) * R + r];
        e.weight = s.weight;
        e.valid = s.valid;
        // An empty slot's product is zero; it is routed (harmlessly) to the group's first kernel.
        e.kid = s.valid ? s.kernel : uint16_t(0);
        e.kernel = pg.kernels[e.kid];
      }
    }
  }
  return t;
}

void WeightPackingSram::fill() {
  for (;;) {
    SramLayerJob* job = jobs.read();
    const PackedLayer& p = *job->packed;
    const uint64_t cap = job->capacity_words ? std::min(job->capacity_words, banks_.capacityWords()) : banks_.capacityWords();
    uint64_t pass = 0;
    for (int g = 0; g < p.convGroups; ++g) {
      const size_t G = p.groups[g].size();
      for (size_t first = 0; first < G; first += static_cast<size_t>(job->slots)) {
        const int r = static_cast<int>(std::min<size_t>(job->slots, G - first));
        const int wpc = banks_.wordsPerColumn(r, job->entry_bits);
        const uint64_t words = uint64_t(p.K) * uint64_t(wpc);
        if (words > cap) throw std::logic_error("WeightPackingSram: slice larger than the SRAM (planSlices should have narrowed it)");
        uint64_t bytes = 0;
        if (!job->resident) {
          while (used_ + words > cap) sc_core::wait(freed_);
          used_ += words;
          peak_ = std::max(peak_, used_);
          bytes += ceilDiv(uint64_t(p.K) * uint64_t(r) * uint64_t(job->entry_bits), 8);
          job->stats->dram_weight_read_bytes += bytes;
        }
        if (first > 0) bytes += job->refetch_bytes[static_cast<size_t>(g)];
        dram->transfer(bytes, DramPortIf::Dir::Read, *job->stats);
        job->tables.push_back(std::make_unique<PassTable>(buildPassTable(p, g, first, r, wpc)));
        PassTask t;
        t.table = job->tables.back().get();
        t.first_of_group = first == 0;
        t.last_of_layer = ++pass == job->passes;
        t.slice_words = job->resident ? 0 : words;
        t.stats = job->stats;
        to_mac->write(t);
      }
    }
  }
}

}  // namespace sparsesim
