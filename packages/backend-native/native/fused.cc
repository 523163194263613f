// The swish gradient as one kernel (composed from tfjs ops it takes 4 full-size passes). Batch
// norm with batch statistics, alone or fused with swish, is in mbconv-train.cc.
#include <string>

#include "common.h"

namespace supernas {

namespace {

LruCache<dnnl::eltwise_backward> swishCache(64);

// swishGrad(dy, x, dx): dy * d/dx[x * sigmoid(x)] through oneDNN's eltwise backward.
Napi::Value swishGrad(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "dy");
  float* dy = floatArray(info[0], "dy");
  float* x = floatArray(info[1], "x", size);
  float* dx = floatArray(info[2], "dx", size);
  if (size == 0) return info.Env().Undefined();
  ThreadScope threads(size * 8);
  const std::string key = std::to_string(size);
  dnnl::memory::desc desc({size}, dnnl::memory::data_type::f32, dnnl::memory::format_tag::x);
  std::shared_ptr<dnnl::eltwise_backward> primitive = swishCache.find(key);
  if (!primitive) {
    auto forward = dnnl::eltwise_forward::primitive_desc(
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::eltwise_swish,
                                    desc, 1.f, 0.f),
        cpuEngine());
    auto backward = dnnl::eltwise_backward::primitive_desc(
        dnnl::eltwise_backward::desc(dnnl::algorithm::eltwise_swish, desc, desc, 1.f, 0.f),
        cpuEngine(), forward);
    primitive = std::make_shared<dnnl::eltwise_backward>(backward);
    swishCache.insert(key, primitive);
  }
  dnnl::stream& stream = cpuStream();
  primitive->execute(stream, {{DNNL_ARG_SRC, dnnl::memory(desc, cpuEngine(), x)},
                              {DNNL_ARG_DIFF_DST, dnnl::memory(desc, cpuEngine(), dy)},
                              {DNNL_ARG_DIFF_SRC, dnnl::memory(desc, cpuEngine(), dx)}});
  stream.wait();
  return info.Env().Undefined();
}

}  // namespace

void clearFusedCaches() { swishCache.clear(); }
size_t fusedCacheSize() { return swishCache.size(); }

void initFused(Napi::Env env, Napi::Object exports) {
  exports.Set("swishGrad", wrap(env, "swishGrad", swishGrad));
}

}  // namespace supernas
