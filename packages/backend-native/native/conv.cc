// Convolutions (regular and depthwise; forward, backward data, backward weights) on NHWC
// activations in place. Weights are declared `format_tag::any` so oneDNN picks its fast blocked
// layout; tfjs' HWIO (or [kH, kW, C, multiplier]) weights are reordered into it on every call,
// which is cheap next to the convolution and always correct because weights change every step.
#include <stdexcept>

#include "common.h"

namespace supernas {

using dnnl::algorithm;
using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

namespace {

struct ConvGeometry {
  int64_t batch, inHeight, inWidth, inChannels;
  int64_t outHeight, outWidth, outChannels;
  int64_t filterHeight, filterWidth;
  int64_t strideHeight, strideWidth, dilationHeight, dilationWidth;
  int64_t padTop, padLeft, padBottom, padRight;
  bool depthwise;

  memory::desc src() const {
    return memory::desc({batch, inChannels, inHeight, inWidth}, dt::f32, tag::nhwc);
  }
  memory::desc dst() const {
    return memory::desc({batch, outChannels, outHeight, outWidth}, dt::f32, tag::nhwc);
  }
  memory::dims weightDims() const {
    if (depthwise) {
      return {inChannels, outChannels / inChannels, 1, filterHeight, filterWidth};
    }
    return {outChannels, inChannels, filterHeight, filterWidth};
  }
  // tfjs' own layout: HWIO, or [kH, kW, C, multiplier] which is oneDNN's grouped `hwigo`.
  memory::desc plainWeights() const {
    return memory::desc(weightDims(), dt::f32, depthwise ? tag::hwigo : tag::hwio);
  }
  memory::desc anyWeights() const { return memory::desc(weightDims(), dt::f32, tag::any); }
  memory::dims strides() const { return {strideHeight, strideWidth}; }
  memory::dims dilates() const { return {dilationHeight - 1, dilationWidth - 1}; }
  memory::dims padL() const { return {padTop, padLeft}; }
  memory::dims padR() const { return {padBottom, padRight}; }
  int64_t srcSize() const { return batch * inHeight * inWidth * inChannels; }
  int64_t dstSize() const { return batch * outHeight * outWidth * outChannels; }
  // Multiply-adds, to decide whether the op is worth more than one thread.
  int64_t work() const {
    return dstSize() * filterHeight * filterWidth * (depthwise ? 1 : inChannels);
  }
  int64_t weightSize() const {
    return filterHeight * filterWidth * (depthwise ? outChannels : inChannels * outChannels);
  }
};

ConvGeometry parseGeometry(const Napi::Value& value) {
  std::vector<int64_t> dims = intList(value, "convolution dims");
  if (dims.size() != 18) throw std::invalid_argument("convolution dims must hold 18 integers");
  ConvGeometry g{dims[0],  dims[1],  dims[2],  dims[3],  dims[4],  dims[5],
                 dims[6],  dims[7],  dims[8],  dims[9],  dims[10], dims[11],
                 dims[12], dims[13], dims[14], dims[15], dims[16], dims[17] != 0};
  if (g.depthwise && (g.inChannels <= 0 || g.outChannels % g.inChannels != 0)) {
    throw std::invalid_argument("depthwise outChannels must be a multiple of inChannels");
  }
  return g;
}

// A reorder between tfjs' plain weights and the layout a primitive wants, with the buffer that
// holds the reordered copy (owned by the cache entry, reused across calls).
struct WeightsLayout {
  bool needsReorder = false;
  memory::desc plain;
  memory::desc preferred;
  dnnl::reorder toPreferred;
  dnnl::reorder toPlain;
  memory buffer;

  void init(const memory::desc& plainDesc, const memory::desc& preferredDesc, bool plainToPreferred) {
    plain = plainDesc;
    preferred = preferredDesc;
    needsReorder = plain != preferred;
    if (!needsReorder) return;
    buffer = memory(preferred, cpuEngine());
    memory plainMemory(plain, cpuEngine(), DNNL_MEMORY_NONE);
    if (plainToPreferred) {
      toPreferred = dnnl::reorder(plainMemory, buffer);
    } else {
      toPlain = dnnl::reorder(buffer, plainMemory);
    }
  }
};

struct ForwardEntry {
  dnnl::convolution_forward primitive;
  WeightsLayout weights;
  std::string implementation;
};

struct BackwardDataEntry {
  dnnl::convolution_backward_data primitive;
  WeightsLayout weights;
  std::string implementation;
};

struct BackwardWeightsEntry {
  dnnl::convolution_backward_weights primitive;
  WeightsLayout weights;
  std::string implementation;
};

LruCache<ForwardEntry> forwardCache(256);
LruCache<BackwardDataEntry> backwardDataCache(256);
LruCache<BackwardWeightsEntry> backwardWeightsCache(256);

std::string geometryKey(const Napi::Value& dims) { return joinKey(intList(dims, "convolution dims")); }

dnnl::convolution_forward::desc forwardDesc(const ConvGeometry& g, bool withBias) {
  if (withBias) {
    return dnnl::convolution_forward::desc(
        dnnl::prop_kind::forward_training, algorithm::convolution_direct, g.src(), g.anyWeights(),
        memory::desc({g.outChannels}, dt::f32, tag::x), g.dst(), g.strides(), g.dilates(),
        g.padL(), g.padR());
  }
  return dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                         algorithm::convolution_direct, g.src(), g.anyWeights(),
                                         g.dst(), g.strides(), g.dilates(), g.padL(), g.padR());
}

// Codes shared with src/kernels/activation.ts.
dnnl::primitive_attr activationAttr(int activation, float alpha) {
  dnnl::primitive_attr attr;
  dnnl::post_ops ops;
  switch (activation) {
    case 0: break;
    case 1: ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f); break;
    case 2: ops.append_eltwise(1.f, algorithm::eltwise_clip, 0.f, 6.f); break;
    case 3: ops.append_eltwise(1.f, algorithm::eltwise_elu, 1.f, 0.f); break;
    case 4: ops.append_eltwise(1.f, algorithm::eltwise_relu, alpha, 0.f); break;
    case 5: ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f); break;
    default: throw std::invalid_argument("unknown activation code " + std::to_string(activation));
  }
  attr.set_post_ops(ops);
  return attr;
}

std::shared_ptr<ForwardEntry> forwardEntry(const ConvGeometry& g, const std::string& key,
                                           bool withBias, int activation, float alpha) {
  std::shared_ptr<ForwardEntry> entry = forwardCache.find(key);
  if (entry) return entry;
  auto pd = dnnl::convolution_forward::primitive_desc(forwardDesc(g, withBias),
                                                      activationAttr(activation, alpha), cpuEngine());
  entry = std::make_shared<ForwardEntry>();
  entry->primitive = dnnl::convolution_forward(pd);
  entry->weights.init(g.plainWeights(), pd.weights_desc(), true);
  entry->implementation = pd.impl_info_str();
  forwardCache.insert(key, entry);
  return entry;
}

dnnl::convolution_forward::primitive_desc forwardHint(const ConvGeometry& g) {
  return dnnl::convolution_forward::primitive_desc(forwardDesc(g, false), cpuEngine());
}

std::shared_ptr<BackwardDataEntry> backwardDataEntry(const ConvGeometry& g, const std::string& key) {
  std::shared_ptr<BackwardDataEntry> entry = backwardDataCache.find(key);
  if (entry) return entry;
  auto desc = dnnl::convolution_backward_data::desc(algorithm::convolution_direct, g.src(),
                                                    g.anyWeights(), g.dst(), g.strides(),
                                                    g.dilates(), g.padL(), g.padR());
  auto pd = dnnl::convolution_backward_data::primitive_desc(desc, cpuEngine(), forwardHint(g));
  entry = std::make_shared<BackwardDataEntry>();
  entry->primitive = dnnl::convolution_backward_data(pd);
  entry->weights.init(g.plainWeights(), pd.weights_desc(), true);
  entry->implementation = pd.impl_info_str();
  backwardDataCache.insert(key, entry);
  return entry;
}

std::shared_ptr<BackwardWeightsEntry> backwardWeightsEntry(const ConvGeometry& g,
                                                           const std::string& key) {
  std::shared_ptr<BackwardWeightsEntry> entry = backwardWeightsCache.find(key);
  if (entry) return entry;
  auto desc = dnnl::convolution_backward_weights::desc(algorithm::convolution_direct, g.src(),
                                                       g.anyWeights(), g.dst(), g.strides(),
                                                       g.dilates(), g.padL(), g.padR());
  auto pd = dnnl::convolution_backward_weights::primitive_desc(desc, cpuEngine(), forwardHint(g));
  entry = std::make_shared<BackwardWeightsEntry>();
  entry->primitive = dnnl::convolution_backward_weights(pd);
  entry->weights.init(g.plainWeights(), pd.diff_weights_desc(), false);
  entry->implementation = pd.impl_info_str();
  backwardWeightsCache.insert(key, entry);
  return entry;
}

// Weights in the layout the primitive wants: the user's buffer itself when layouts agree.
memory preparedWeights(WeightsLayout& layout, float* plainData) {
  memory plain(layout.plain, cpuEngine(), plainData);
  if (!layout.needsReorder) return plain;
  layout.toPreferred.execute(cpuStream(), plain, layout.buffer);
  return layout.buffer;
}

// convForward(x, filter, bias | null, y, dims, activation, alpha)
Napi::Value convForward(const Napi::CallbackInfo& info) {
  const ConvGeometry g = parseGeometry(info[4]);
  float* x = floatArray(info[0], "x", g.srcSize());
  float* filter = floatArray(info[1], "filter", g.weightSize());
  float* bias = optionalFloatArray(info[2], "bias", g.outChannels);
  float* y = floatArray(info[3], "y", g.dstSize());
  const int activation = info[5].As<Napi::Number>().Int32Value();
  const float alpha = info[6].As<Napi::Number>().FloatValue();
  // Relu and relu6 run after the primitive (applyActivation): as oneDNN post-ops they would turn
  // NaN into 0. Their primitive is then the linear one, and shares its cache entry.
  const bool separateActivation = !activationKeepsNaNInOneDnn(activation);
  const int postOp = separateActivation ? 0 : activation;
  const float postOpAlpha = separateActivation ? 0.f : alpha;
  ThreadScope threads(g.work());
  const std::string key = geometryKey(info[4]) + (bias ? "b" : "n") + std::to_string(postOp) +
                          ":" + std::to_string(postOpAlpha);
  auto entry = forwardEntry(g, key, bias != nullptr, postOp, postOpAlpha);
  dnnl::stream& stream = cpuStream();
  memory weights = preparedWeights(entry->weights, filter);
  std::unordered_map<int, memory> args{{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                                       {DNNL_ARG_WEIGHTS, weights},
                                       {DNNL_ARG_DST, memory(g.dst(), cpuEngine(), y)}};
  if (bias) args[DNNL_ARG_BIAS] = memory({{g.outChannels}, dt::f32, tag::x}, cpuEngine(), bias);
  entry->primitive.execute(stream, args);
  stream.wait();
  if (separateActivation) applyActivation(y, y, g.dstSize(), activation, alpha);
  return info.Env().Undefined();
}

// convBackwardData(dy, filter, dx, dims)
Napi::Value convBackwardData(const Napi::CallbackInfo& info) {
  const ConvGeometry g = parseGeometry(info[3]);
  float* dy = floatArray(info[0], "dy", g.dstSize());
  float* filter = floatArray(info[1], "filter", g.weightSize());
  float* dx = floatArray(info[2], "dx", g.srcSize());
  ThreadScope threads(g.work());
  auto entry = backwardDataEntry(g, geometryKey(info[3]));
  dnnl::stream& stream = cpuStream();
  memory weights = preparedWeights(entry->weights, filter);
  entry->primitive.execute(stream, {{DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                                    {DNNL_ARG_WEIGHTS, weights},
                                    {DNNL_ARG_DIFF_SRC, memory(g.src(), cpuEngine(), dx)}});
  stream.wait();
  return info.Env().Undefined();
}

// convBackwardWeights(x, dy, dFilter, dims)
Napi::Value convBackwardWeights(const Napi::CallbackInfo& info) {
  const ConvGeometry g = parseGeometry(info[3]);
  float* x = floatArray(info[0], "x", g.srcSize());
  float* dy = floatArray(info[1], "dy", g.dstSize());
  float* dFilter = floatArray(info[2], "dFilter", g.weightSize());
  ThreadScope threads(g.work());
  auto entry = backwardWeightsEntry(g, geometryKey(info[3]));
  dnnl::stream& stream = cpuStream();
  memory plain(entry->weights.plain, cpuEngine(), dFilter);
  memory target = entry->weights.needsReorder ? entry->weights.buffer : plain;
  entry->primitive.execute(stream, {{DNNL_ARG_SRC, memory(g.src(), cpuEngine(), x)},
                                    {DNNL_ARG_DIFF_DST, memory(g.dst(), cpuEngine(), dy)},
                                    {DNNL_ARG_DIFF_WEIGHTS, target}});
  if (entry->weights.needsReorder) entry->weights.toPlain.execute(stream, target, plain);
  stream.wait();
  return info.Env().Undefined();
}

// convImplementation(kind, dims): the oneDNN implementation chosen, for benchmarks and debugging.
Napi::Value convImplementation(const Napi::CallbackInfo& info) {
  const std::string kind = info[0].As<Napi::String>().Utf8Value();
  const ConvGeometry g = parseGeometry(info[1]);
  const std::string key = geometryKey(info[1]);
  ThreadScope threads(g.work());
  std::string result;
  if (kind == "forward") {
    result = forwardEntry(g, key + "n0:0.000000", false, 0, 0.f)->implementation;
  } else if (kind == "backwardData") {
    result = backwardDataEntry(g, key)->implementation;
  } else if (kind == "backwardWeights") {
    result = backwardWeightsEntry(g, key)->implementation;
  } else {
    throw std::invalid_argument("kind must be forward, backwardData or backwardWeights");
  }
  return Napi::String::New(info.Env(), result);
}

}  // namespace

void clearConvCaches() {
  forwardCache.clear();
  backwardDataCache.clear();
  backwardWeightsCache.clear();
}

size_t convCacheSize() {
  return forwardCache.size() + backwardDataCache.size() + backwardWeightsCache.size();
}

void initConv(Napi::Env env, Napi::Object exports) {
  exports.Set("convForward", wrap(env, "convForward", convForward));
  exports.Set("convBackwardData", wrap(env, "convBackwardData", convBackwardData));
  exports.Set("convBackwardWeights", wrap(env, "convBackwardWeights", convBackwardWeights));
  exports.Set("convImplementation", wrap(env, "convImplementation", convImplementation));
}

}  // namespace supernas
