// 2-D pooling on NHWC through oneDNN: average pooling forward (padding excluded from the count)
// and backward (every window divided by its full size), as tfjs' cpu kernels do, and max pooling
// forward.
#include <stdexcept>

#include "common.h"

namespace supernas {

using dnnl::algorithm;
using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

namespace {

struct PoolGeometry {
  int64_t batch, inHeight, inWidth, channels, outHeight, outWidth;
  int64_t filterHeight, filterWidth, strideHeight, strideWidth;
  int64_t padTop, padLeft, padBottom, padRight;

  memory::desc src() const {
    return memory::desc({batch, channels, inHeight, inWidth}, dt::f32, tag::nhwc);
  }
  memory::desc dst() const {
    return memory::desc({batch, channels, outHeight, outWidth}, dt::f32, tag::nhwc);
  }
  int64_t srcSize() const { return batch * inHeight * inWidth * channels; }
  int64_t dstSize() const { return batch * outHeight * outWidth * channels; }
};

PoolGeometry parsePool(const Napi::Value& value) {
  std::vector<int64_t> d = intList(value, "pool dims");
  if (d.size() != 14) throw std::invalid_argument("pool dims must hold 14 integers");
  return {d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13]};
}

LruCache<dnnl::primitive> poolCache(128);

dnnl::pooling_forward::desc forwardDesc(const PoolGeometry& g, algorithm kind, dnnl::prop_kind prop) {
  return dnnl::pooling_forward::desc(prop, kind, g.src(), g.dst(), {g.strideHeight, g.strideWidth},
                                     {g.filterHeight, g.filterWidth}, {g.padTop, g.padLeft},
                                     {g.padBottom, g.padRight});
}

// pool(kind, input, output, dims): forward reads x and writes y; avgBackward reads dy, writes dx.
Napi::Value pool(const Napi::CallbackInfo& info) {
  const std::string kind = info[0].As<Napi::String>().Utf8Value();
  const PoolGeometry g = parsePool(info[3]);
  const std::string key = kind + ":" + joinKey(intList(info[3], "pool dims"));
  ThreadScope threads(g.dstSize() * g.filterHeight * g.filterWidth);
  std::shared_ptr<dnnl::primitive> primitive = poolCache.find(key);
  dnnl::stream& stream = cpuStream();
  if (kind == "avgForward" || kind == "maxForward") {
    float* x = floatArray(info[1], "x", g.srcSize());
    float* y = floatArray(info[2], "y", g.dstSize());
    if (!primitive) {
      auto algorithmKind =
          kind == "avgForward" ? algorithm::pooling_avg_exclude_padding : algorithm::pooling_max;
      auto pd = dnnl::pooling_forward::primitive_desc(
          forwardDesc(g, algorithmKind, dnnl::prop_kind::forward_inference), cpuEngine());
      primitive = std::make_shared<dnnl::primitive>(dnnl::pooling_forward(pd));
      poolCache.insert(key, primitive);
    }
    primitive->execute(stream, {{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                                {DNNL_ARG_DST, memory(g.dst(), cpuEngine(), y)}});
  } else if (kind == "avgBackward") {
    float* dy = floatArray(info[1], "dy", g.dstSize());
    float* dx = floatArray(info[2], "dx", g.srcSize());
    if (!primitive) {
      auto hint = dnnl::pooling_forward::primitive_desc(
          forwardDesc(g, algorithm::pooling_avg_include_padding, dnnl::prop_kind::forward_training),
          cpuEngine());
      auto desc = dnnl::pooling_backward::desc(
          algorithm::pooling_avg_include_padding, g.src(), g.dst(), {g.strideHeight, g.strideWidth},
          {g.filterHeight, g.filterWidth}, {g.padTop, g.padLeft}, {g.padBottom, g.padRight});
      auto pd = dnnl::pooling_backward::primitive_desc(desc, cpuEngine(), hint);
      primitive = std::make_shared<dnnl::primitive>(dnnl::pooling_backward(pd));
      poolCache.insert(key, primitive);
    }
    primitive->execute(stream, {{DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                                {DNNL_ARG_DIFF_SRC, memory(g.src(), cpuEngine(), dx)}});
  } else {
    throw std::invalid_argument("kind must be avgForward, avgBackward or maxForward");
  }
  stream.wait();
  return info.Env().Undefined();
}

}  // namespace

void clearPoolCache() { poolCache.clear(); }
size_t poolCacheSize() { return poolCache.size(); }

void initPool(Napi::Env env, Napi::Object exports) {
  exports.Set("pool", wrap(env, "pool", pool));
}

}  // namespace supernas
