#include "sim/run/SharedLayerCache.h"

#include <cstdio>
#include <vector>

#include "sim/reference/ReferenceConv.h"
#include "sim/run/Verify.h"

namespace sparsesim {

namespace {

void put(std::string& s, double v) {
  char b[40];
  std::snprintf(b, sizeof b, "%a;", v);
  s += b;
}
void put(std::string& s, int64_t v) { s += std::to_string(v) + ";"; }
void put(std::string& s, const std::string& v) { s += std::to_string(v.size()) + ":" + v + ";"; }

}  // namespace

SharedLayerCache& SharedLayerCache::instance() {
  static SharedLayerCache cache;
  return cache;
}

std::string SharedLayerCache::key(const LayerConfig& l, Compat compat, uint64_t seed) {
  // Every member of LayerConfig (sim/config/NetworkConfig.h) but weight_scale and output_scale,
  // which only chained networks take (never cached), so two layers share an entry only when
  // nothing a run reads of them differs. A member added to LayerConfig belongs here too.
  std::string s;
  put(s, int64_t(compat));
  s += std::to_string(seed) + ";";
  put(s, l.name);
  put(s, int64_t(l.type));
  for (int v : {l.in_channels, l.out_channels, l.in_h, l.in_w, l.kernel_h, l.kernel_w, l.stride, l.padding, l.groups, int(l.has_pads),
                l.pad_top, l.pad_left, l.pad_bottom, l.pad_right, l.dilation, int(l.global_pool), int(l.requant_given), l.out_c, l.out_h,
                l.out_w, l.batch})
    put(s, int64_t(v));
  put(s, l.weight_sparsity);
  put(s, l.activation_density);
  put(s, int64_t(l.weight_pattern));
  put(s, l.weights_file);
  put(s, int64_t(l.inputs.size()));
  for (const auto& in : l.inputs) put(s, in);
  put(s, int64_t(l.requant.mode));
  put(s, int64_t(l.requant.scale.size()));
  for (double v : l.requant.scale) put(s, v);
  put(s, int64_t(l.requant.zero_point));
  put(s, int64_t(l.activation));
  put(s, l.kwta.k);
  put(s, l.kwta.density);
  put(s, int64_t(l.kwta.groups));
  return s;
}

bool SharedLayerCache::cacheable(const NetworkConfig& n, size_t layer) {
  const LayerConfig& l = n.layers.at(layer);
  return !n.chain && isComputeLayer(l.type) && l.weights_file.empty();
}

uint64_t SharedLayerCache::layerBytes(const LayerConfig& l, Compat compat) {
  const LayerGeometry g = computeGeometry(l, compat);
  return uint64_t(g.inputElements()) + uint64_t(g.weightElements()) + 4 * uint64_t(g.batch) * g.out_c * g.out_h * g.out_w;
}

const SharedLayer* SharedLayerCache::find(const LayerConfig& l, Compat compat, uint64_t seed) const {
  if (entries_.empty()) return nullptr;
  auto it = entries_.find(key(l, compat, seed));
  return it == entries_.end() ? nullptr : it->second.layer.get();
}

void SharedLayerCache::evictBeyond(uint64_t budget) {
  while (held_ > budget && !ages_.empty()) {
    auto it = entries_.find(ages_.back());
    held_ -= it->second.bytes;
    entries_.erase(it);
    ages_.pop_back();
  }
}

size_t SharedLayerCache::prepare(const NetworkConfig& n, Compat compat, uint64_t seed) {
  // The network's size first: one that cannot be held whole is not cached (its points compute
  // their own layers, as a run alone does), rather than evicting everything for a part of it.
  uint64_t need = 0, missing = 0;
  std::vector<size_t> todo;
  for (size_t i = 0; i < n.layers.size(); ++i) {
    if (!cacheable(n, i)) continue;
    const uint64_t b = layerBytes(n.layers[i], compat);
    need += b;
    auto it = entries_.find(key(n.layers[i], compat, seed));
    if (it == entries_.end()) {
      missing += b;
      todo.push_back(i);
    } else {  // most recently prepared again
      ages_.splice(ages_.begin(), ages_, it->second.age);
    }
  }
  if (todo.empty() || need > budget_) return 0;
  // Room first: the least recently prepared layers go (never this network's: they are the newest
  // and fit in the budget together).
  evictBeyond(budget_ - missing);
  for (size_t i : todo) {
    const LayerConfig& l = n.layers[i];
    auto e = std::make_shared<SharedLayer>();
    e->workload = makeWorkload(l, compat, seed, nullptr);
    e->reference = referenceConv(e->workload);
    e->macs_useful = countUsefulMacs(e->workload);
    const uint64_t b = layerBytes(l, compat);
    held_ += b;
    std::string k = key(l, compat, seed);
    ages_.push_front(k);
    entries_[k] = Entry{std::move(e), ages_.begin(), b};
  }
  return todo.size();
}

void SharedLayerCache::release(const NetworkConfig& n, Compat compat, uint64_t seed) {
  for (size_t i = 0; i < n.layers.size(); ++i) {
    if (!cacheable(n, i)) continue;
    auto it = entries_.find(key(n.layers[i], compat, seed));
    if (it == entries_.end()) continue;
    held_ -= it->second.bytes;
    ages_.erase(it->second.age);
    entries_.erase(it);
  }
}

LayerWorkload workloadOrShared(const LayerConfig& l, Compat compat, uint64_t seed, const Int8Tensor* weights, const SharedLayer** shared) {
  *shared = weights ? nullptr : SharedLayerCache::instance().find(l, compat, seed);
  if (!*shared) return makeWorkload(l, compat, seed, weights);
  SharedLayerCache::instance().countHit();
  LayerWorkload w = (*shared)->workload;
  w.config = l;  // the run's own copy of the configuration (equal in every field the key holds)
  return w;
}

}  // namespace sparsesim
