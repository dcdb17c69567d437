#include "sim/sweep/IsoMemory.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "sim/resources/ResourceModel.h"
#include "sim/run/ArchCosts.h"

namespace sparsesim {

namespace {

constexpr long long kMaxDepth = 1 << 24;  // loadArch's range for cs.sram.depth

// Largest x in [0, hi] with ok(x), for ok true up to some x and false above (0 when ok(1) fails).
long long largestWith(long long hi, const std::function<bool(long long)>& ok) {
  long long lo = 0;
  while (lo < hi) {
    const long long mid = lo + (hi - lo + 1) / 2;
    if (ok(mid)) lo = mid; else hi = mid - 1;
  }
  return lo;
}

double partitionKb(double kb, int portBits, bool asicMacros) {
  if (portBits <= 0 || kb <= 0) return 0;
  return asicMacros ? kb : blockKb(bramForBuffer(kb * 1024, portBits));
}

double csSramKb(const CsSramConfig& c, bool asicMacros) {
  const double bits = double(c.banks) * c.word_bits * c.depth;
  return asicMacros ? bits / 8192 : blockKb(sramBanks(c.banks, c.word_bits, c.depth, c.memory == SramMemory::Uram));
}

}  // namespace

BuiltMemory builtMemory(const ArchConfig& a, bool asicMacros) {
  const BufferPorts p = bufferPorts(a);
  BuiltMemory m;
  m.ifmap_kb = partitionKb(a.memory.ifmap_kb, p.ifmap_bits, asicMacros);
  m.ofmap_kb = partitionKb(a.memory.ofmap_kb, p.ofmap_bits, asicMacros);
  if (a.datapath == DatapathKind::Cs) {
    m.weight_kb = csSramKb(a.cs.sram, asicMacros);
    m.weight_capacity_kb = double(a.cs.sram.banks) * a.cs.sram.depth * a.cs.sram.word_bits / 8192;
  } else {
    m.weight_kb = partitionKb(a.memory.filter_kb, p.filter_bits, asicMacros);
    m.weight_capacity_kb = a.memory.filter_kb;
  }
  return m;
}

bool splitMemoryBudget(ArchConfig& a, double memoryKb, bool asicMacros) {
  const BuiltMemory act = builtMemory(a, asicMacros);
  const double share = memoryKb - act.ifmap_kb - act.ofmap_kb;
  if (a.datapath == DatapathKind::Cs) {
    CsSramConfig& c = a.cs.sram;
    // FPGA: a bank grows in whole blocks (a URAM is 4096 words deep, a BRAM36 512 at 72 bits);
    // ASIC: a macro of any depth.
    const long long step = asicMacros ? 1 : c.memory == SramMemory::Uram ? 4096 : 512;
    auto fits = [&](long long steps) {
      CsSramConfig t = c;
      t.depth = static_cast<int>(steps * step);
      return csSramKb(t, asicMacros) <= share + 1e-9;
    };
    const long long n = share <= 0 ? 0 : largestWith(kMaxDepth / step, fits);
    c.depth = static_cast<int>(std::max<long long>(1, n) * step);
    return n > 0;
  }
  const int port = bufferPorts(a).filter_bits;
  if (asicMacros) {
    // One macro of exactly the bits asked, at least the smallest partition a config may hold.
    a.memory.filter_kb = std::max(share, MemoryConfig::kMinBufferKb);
    return share >= MemoryConfig::kMinBufferKb;
  }
  // Whole words of the partition's port width whose blocks fit the share: the blocks built are
  // never less than the bits asked, so the depth is at most share / port width.
  auto fits = [&](long long words) { return blockKb(sramBanks(1, port, static_cast<int>(words), false)) <= share + 1e-9; };
  const long long hi = share <= 0 ? 0 : std::min<long long>(1LL << 30, static_cast<long long>(std::ceil(share * 8192 / port)) + 1);
  const long long words = largestWith(hi, fits);
  a.memory.filter_kb = double(std::max<long long>(1, words)) * port / 8192;
  return words > 0;
}

}  // namespace sparsesim
