// Shared helpers of the addon: the oneDNN engine/stream, argument readers and an LRU cache
// for primitives (creating a oneDNN primitive descriptor costs far more than running a small op).
#pragma once

#include <napi.h>

#include <cstdint>
#include <list>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "oneapi/dnnl/dnnl.hpp"

namespace supernas {

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

// A Float32Array argument; `expected` < 0 skips the length check.
float* floatArray(const Napi::Value& value, const char* name, int64_t expected = -1);
// Same, but null/undefined give nullptr.
float* optionalFloatArray(const Napi::Value& value, const char* name, int64_t expected = -1);
int64_t floatArrayLength(const Napi::Value& value, const char* name);
std::vector<int64_t> intList(const Napi::Value& value, const char* name);
int64_t sizeOf(const std::vector<int64_t>& shape);

// Runs `body(begin, end)` over [0, count) split across OpenMP threads when the work is large
// enough to pay for waking them; small ops stay on the calling thread.
template <typename Body>
void parallelFor(int64_t count, int64_t costPerItem, Body body);

// Least-recently-used map from a string key to a shared entry; bounded so that a stream of
// distinct shapes cannot grow native memory without limit.
template <typename Entry>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  std::shared_ptr<Entry> find(const std::string& key) {
    auto found = index_.find(key);
    if (found == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, found->second);
    return found->second->second;
  }

  void insert(const std::string& key, std::shared_ptr<Entry> entry) {
    order_.emplace_front(key, std::move(entry));
    index_[key] = order_.begin();
    while (order_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

  void clear() {
    index_.clear();
    order_.clear();
  }

  size_t size() const { return order_.size(); }

 private:
  using Item = std::pair<std::string, std::shared_ptr<Entry>>;
  size_t capacity_;
  std::list<Item> order_;
  std::unordered_map<std::string, typename std::list<Item>::iterator> index_;
};

std::string joinKey(const std::vector<int64_t>& values);

// tfjs fused activation codes (src/kernels/activation.ts): 0 linear, 1 relu, 2 relu6, 3 elu,
// 4 leakyrelu (slope alpha), 5 sigmoid. Applies one from `in` to `out` (which may be `in`),
// keeping NaN as tfjs' cpu backend does.
void applyActivation(const float* in, float* out, int64_t count, int activation, float alpha);
// Whether oneDNN's eltwise form of the activation (as a post-op) keeps NaN; relu and relu6 do not.
bool activationKeepsNaNInOneDnn(int activation);

// Called by `clearCaches()` in JS and by the memory tests.
void clearConvCaches();
void clearEltwiseCaches();
size_t convCacheSize();
size_t eltwiseCacheSize();
void clearPoolCache();
size_t poolCacheSize();
void clearFusedCaches();
size_t fusedCacheSize();

// Exported function groups, each registering its functions on `exports`.
void initConv(Napi::Env env, Napi::Object exports);
void initMatmul(Napi::Env env, Napi::Object exports);
void initEltwise(Napi::Env env, Napi::Object exports);
void initBinary(Napi::Env env, Napi::Object exports);
void initReduce(Napi::Env env, Napi::Object exports);
void initLayout(Napi::Env env, Napi::Object exports);
void initBatchNorm(Napi::Env env, Napi::Object exports);
void initPool(Napi::Env env, Napi::Object exports);
void initFused(Napi::Env env, Napi::Object exports);
void initMbconvTrain(Napi::Env env, Napi::Object exports);
void initChannelGate(Napi::Env env, Napi::Object exports);
void initSgdStep(Napi::Env env, Napi::Object exports);
void initInferPlan(Napi::Env env, Napi::Object exports);

// Wraps a native function so that oneDNN and C++ errors surface as JS errors with context.
Napi::Function wrap(Napi::Env env, const char* name,
                    Napi::Value (*body)(const Napi::CallbackInfo&));

}  // namespace supernas

#include "parallel.h"
