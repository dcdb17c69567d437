#include "models/sparse_pe/SparsePeFoldPool.h"

#include <algorithm>

namespace sparsesim {

SparsePeFoldPool::SparsePeFoldPool(int rows, int cols, const SparsePeConfig& c, int workers) {
  for (int w = 0; w < workers; ++w) cores_.push_back(std::make_unique<SparsePeArrayCore>(rows, cols, c));
  for (int w = 0; w < workers; ++w) threads_.emplace_back([this, w] { work(w); });
}

SparsePeFoldPool::~SparsePeFoldPool() {
  {
    std::lock_guard<std::mutex> lk(mu_);
    quit_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

SparsePeCounters SparsePeFoldPool::compute(SparsePeArrayCore& core, const SparsePeLayerData& d, const Fold& f, int32_t* out,
                                           int64_t ldo, std::vector<SparseStream>& rows, std::vector<SparseStream>& cols) {
  foldStreams(d, f, rows, cols);
  return core.runFold(rows, cols, out, ldo);
}

void SparsePeFoldPool::beginLayer(const SparsePeLayerData* d, std::vector<Fold> folds) {
  endLayer();
  std::lock_guard<std::mutex> lk(mu_);
  data_ = d;
  folds_ = std::move(folds);
  slots_.clear();
  slots_.resize(folds_.size());
  claimed_ = consumed_ = 0;
  work_.notify_all();
}

void SparsePeFoldPool::endLayer() {
  std::unique_lock<std::mutex> lk(mu_);
  claimed_ = folds_.size();  // nothing more to claim
  done_.wait(lk, [this] { return busy_ == 0; });
  data_ = nullptr;
}

void SparsePeFoldPool::computeSlot(size_t n, SparsePeArrayCore& core, std::vector<SparseStream>& rows,
                                   std::vector<SparseStream>& cols, std::unique_lock<std::mutex>& lk) {
  ++busy_;
  const Fold f = folds_[n];
  const SparsePeLayerData* d = data_;
  lk.unlock();
  std::vector<int32_t> out(size_t(f.mlen * f.nlen), 0);
  const SparsePeCounters c = compute(core, *d, f, out.data(), f.nlen, rows, cols);
  lk.lock();
  slots_[n].c = c;
  slots_[n].out = std::move(out);
  slots_[n].done = true;
  --busy_;
  done_.notify_all();
}

bool SparsePeFoldPool::claimable() const { return claimed_ < folds_.size() && claimed_ < consumed_ + kAhead; }

void SparsePeFoldPool::work(int w) {
  std::vector<SparseStream> rows, cols;
  SparsePeArrayCore& core = *cores_[size_t(w)];
  std::unique_lock<std::mutex> lk(mu_);
  for (;;) {
    work_.wait(lk, [this] { return quit_ || claimable(); });
    if (quit_) return;
    computeSlot(claimed_++, core, rows, cols, lk);
  }
}

bool SparsePeFoldPool::take(const Fold& f, SparsePeArrayCore& own, int32_t* out, int64_t ldo, SparsePeCounters& c) {
  std::unique_lock<std::mutex> lk(mu_);
  if (data_ == nullptr || consumed_ >= folds_.size()) return false;
  const size_t n = consumed_;
  const Fold& g = folds_[n];
  if (g.group != f.group || g.m0 != f.m0 || g.mlen != f.mlen || g.n0 != f.n0 || g.nlen != f.nlen || g.k0 != f.k0 ||
      g.klen != f.klen) {
    // Not the schedule the pool was given: stop it for this layer, let the caller compute.
    claimed_ = folds_.size();
    done_.wait(lk, [this] { return busy_ == 0; });
    consumed_ = folds_.size();
    return false;
  }
  if (claimed_ == n) {
    // No worker has it: compute it here, on the caller's engine, straight into the output.
    ++claimed_;
    lk.unlock();
    c = compute(own, *data_, f, out, ldo, rows_, cols_);
    lk.lock();
  } else {
    // A worker has it: take later folds meanwhile rather than wait idle.
    while (!slots_[n].done) {
      if (claimable())
        computeSlot(claimed_++, own, rows_, cols_, lk);
      else
        done_.wait(lk, [this, n] { return slots_[n].done || claimable(); });
    }
    Slot& s = slots_[n];
    c = s.c;
    for (int64_t i = 0; i < f.mlen; ++i)
      for (int64_t j = 0; j < f.nlen; ++j) {
        int32_t& o = out[i * ldo + j];
        o = int32_t(uint32_t(o) + uint32_t(s.out[size_t(i * f.nlen + j)]));
      }
    std::vector<int32_t>().swap(s.out);
  }
  ++consumed_;
  lk.unlock();
  work_.notify_all();
  return true;
}

}  // namespace sparsesim
