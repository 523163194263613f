// Compiled inference plans: a static (inference-only) network lowered once, in JS
// (src/infer/lower-static-graph.ts), to a list of ops over numbered buffers, then built here into
// oneDNN primitives with their weights reordered once into the layout each primitive wants, every
// memory object bound to its buffer, and run in one native call per forward. At batch 1 a small
// net is a few hundred microseconds of arithmetic; run op by op through tfjs the dispatch, the
// allocations, the primitive-cache lookups and the per-call weight reorders cost several times
// that.
//
// Activations that oneDNN's post-ops compute without losing NaN (swish, sigmoid) and residual
// additions (the `sum` post-op) are fused into the convolution; relu, relu6, h_swish and
// h_sigmoid run as NaN-keeping loops on the convolution's output while it is still in cache, so
// results match the cpu backend's for any input, NaN included.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <unordered_set>

#include "common.h"

namespace supernas {

namespace {

using dnnl::algorithm;
using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

// Activation codes shared with src/infer/plan-spec.ts.
enum Activation { kLinear = 0, kRelu, kRelu6, kSwish, kSigmoid, kHardSwish, kHardSigmoid };

inline float relu6(float value) {
  // Comparisons with NaN are false: NaN passes through, as on the cpu backend.
  return value < 0.f ? 0.f : (value > 6.f ? 6.f : value);
}

void activate(const float* in, float* out, int64_t count, int activation) {
  switch (activation) {
    case kLinear:
      if (in != out) std::memcpy(out, in, sizeof(float) * count);
      return;
    case kRelu:
      parallelFor(count, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = in[i] < 0.f ? 0.f : in[i];
      });
      return;
    case kRelu6:
      parallelFor(count, 1, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = relu6(in[i]);
      });
      return;
    case kSwish:
      parallelFor(count, 8, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = in[i] / (1.f + std::exp(-in[i]));
      });
      return;
    case kSigmoid:
      parallelFor(count, 8, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = 1.f / (1.f + std::exp(-in[i]));
      });
      return;
    case kHardSwish:
      parallelFor(count, 2, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = in[i] * (relu6(in[i] + 3.f) * (1.f / 6.f));
      });
      return;
    case kHardSigmoid:
      parallelFor(count, 2, [&](int64_t begin, int64_t end) {
        for (int64_t i = begin; i < end; ++i) out[i] = relu6(in[i] + 3.f) * (1.f / 6.f);
      });
      return;
    default:
      throw std::invalid_argument("unknown plan activation code " + std::to_string(activation));
  }
}

float* alignedFloats(int64_t count) {
  const size_t bytes = ((static_cast<size_t>(std::max<int64_t>(count, 1)) * sizeof(float) + 63) / 64) * 64;
  void* data = std::aligned_alloc(64, bytes);
  if (data == nullptr) throw std::runtime_error("out of memory for an inference plan buffer");
  return static_cast<float*>(data);
}

struct Op {
  std::string kind;
  int src = -1, other = -1, dst = -1;
  int activation = kLinear;
  int64_t work = 0;  // multiply-adds or element operations: decides the thread count
  // Element loops.
  int64_t size = 0, batch = 0, spatial = 0, channels = 0;
  std::vector<float> scale, shift;
  // Average pool.
  int64_t inHeight = 0, inWidth = 0, outHeight = 0, outWidth = 0, window = 0, padding = 0;
  // oneDNN ops (conv, dense): the primitive and its arguments, bound once.
  dnnl::primitive primitive;
  std::unordered_map<int, memory> args;
  bool readsInput = false;
  // Buffer copied into dst before a conv with a sum post-op (-1: the input; -2: none, dst
  // already holds the addend).
  int sumCopyFrom = -2;
};

struct Plan {
  std::vector<float*> buffers;
  std::vector<int64_t> bufferSizes;
  std::vector<memory> weightMemory;  // owns reordered weights
  std::vector<Op> ops;
  int output = -1;
  int64_t inputSize = 0, outputSize = 0;
  int threads = 0;  // primitives are built for a thread count
  ~Plan() {
    for (float* buffer : buffers) std::free(buffer);
  }
};

// Plans not yet released; a handle is released by inferPlanRelease or, failing that, when it is
// garbage collected, whichever comes first.
std::unordered_set<Plan*> livePlans;

int64_t intField(const Napi::Object& object, const char* name) {
  Napi::Value value = object.Get(name);
  if (!value.IsNumber()) throw std::invalid_argument(std::string("plan op field ") + name + " must be a number");
  return value.As<Napi::Number>().Int64Value();
}

std::vector<float> floatsField(const Napi::Object& object, const char* name) {
  const float* data = floatArray(object.Get(name), name);
  const int64_t length = floatArrayLength(object.Get(name), name);
  return std::vector<float>(data, data + length);
}

memory bufferMemory(Plan& plan, int buffer, const memory::desc& desc) {
  // Buffer -1 is the plan's input, bound to the caller's array on every run.
  if (buffer < 0) return memory(desc, cpuEngine(), DNNL_MEMORY_NONE);
  return memory(desc, cpuEngine(), plan.buffers.at(buffer));
}

// Reorders the caller's plain weights into `wanted` (a copy the plan owns).
memory ownedWeights(Plan& plan, const memory::desc& plain, const float* data, const memory::desc& wanted) {
  memory source(plain, cpuEngine(), const_cast<float*>(data));
  memory target(wanted, cpuEngine());
  dnnl::reorder(source, target).execute(cpuStream(), source, target);
  cpuStream().wait();
  plan.weightMemory.push_back(target);
  return target;
}

// Binds a oneDNN op's arguments once: its source and destination buffers, and copies of its
// weights (reordered into the layout the primitive chose) and bias.
void bindArguments(Plan& plan, Op& op, const memory::desc& src, const memory::desc& dst,
                   const memory::desc& plainWeights, const memory::desc& preferredWeights,
                   const memory::desc& biasDesc, const Napi::Object& spec,
                   const std::vector<const float*>& weights, const std::vector<int64_t>& weightSizes) {
  const int weightIndex = static_cast<int>(intField(spec, "weight"));
  const int biasIndex = static_cast<int>(intField(spec, "bias"));
  if (weightSizes.at(weightIndex) != static_cast<int64_t>(plainWeights.get_size() / sizeof(float)))
    throw std::invalid_argument(op.kind + " weight size does not match its dims");
  op.args[DNNL_ARG_SRC] = bufferMemory(plan, op.src, src);
  op.args[DNNL_ARG_WEIGHTS] = ownedWeights(plan, plainWeights, weights.at(weightIndex), preferredWeights);
  if (biasIndex >= 0) {
    if (weightSizes.at(biasIndex) != static_cast<int64_t>(biasDesc.get_size() / sizeof(float)))
      throw std::invalid_argument(op.kind + " bias size does not match");
    op.args[DNNL_ARG_BIAS] = ownedWeights(plan, biasDesc, weights.at(biasIndex), biasDesc);
  }
  op.args[DNNL_ARG_DST] = bufferMemory(plan, op.dst, dst);
  op.readsInput = op.src < 0;
  op.size = static_cast<int64_t>(dst.get_size() / sizeof(float));
}

void buildConv(Plan& plan, Op& op, const Napi::Object& spec, const std::vector<const float*>& weights,
               const std::vector<int64_t>& weightSizes) {
  std::vector<int64_t> d = intList(spec.Get("dims"), "dims");
  if (d.size() != 18) throw std::invalid_argument("conv dims must hold 18 integers");
  const int64_t batch = d[0], inH = d[1], inW = d[2], inC = d[3], outH = d[4], outW = d[5], outC = d[6];
  const int64_t kH = d[7], kW = d[8];
  const bool depthwise = d[17] != 0;
  const memory::desc src({batch, inC, inH, inW}, dt::f32, tag::nhwc);
  const memory::desc dst({batch, outC, outH, outW}, dt::f32, tag::nhwc);
  const memory::dims weightDims = depthwise ? memory::dims{inC, outC / inC, 1, kH, kW}
                                            : memory::dims{outC, inC, kH, kW};
  const memory::desc plainWeights(weightDims, dt::f32, depthwise ? tag::hwigo : tag::hwio);
  const bool withBias = intField(spec, "bias") >= 0;
  const memory::desc biasDesc({outC}, dt::f32, tag::x);
  const int postOp = static_cast<int>(intField(spec, "postOp"));
  const bool sum = spec.Get("sum").ToBoolean();
  dnnl::post_ops ops;
  if (postOp == kSwish) ops.append_eltwise(1.f, algorithm::eltwise_swish, 1.f, 0.f);
  if (postOp == kSigmoid) ops.append_eltwise(1.f, algorithm::eltwise_logistic, 0.f, 0.f);
  if (postOp != kLinear && postOp != kSwish && postOp != kSigmoid)
    throw std::invalid_argument("conv post-op must be linear, swish or sigmoid");
  if (sum) ops.append_sum(1.f);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  const memory::desc anyWeights(weightDims, dt::f32, tag::any);
  const memory::dims strides{d[9], d[10]}, dilates{d[11] - 1, d[12] - 1}, padL{d[13], d[14]},
      padR{d[15], d[16]};
  auto desc = withBias
                  ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference,
                                                    algorithm::convolution_direct, src, anyWeights,
                                                    biasDesc, dst, strides, dilates, padL, padR)
                  : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference,
                                                    algorithm::convolution_direct, src, anyWeights,
                                                    dst, strides, dilates, padL, padR);
  op.work = batch * outH * outW * outC * kH * kW * (depthwise ? 1 : inC);
  ThreadScope threads(op.work);
  auto pd = dnnl::convolution_forward::primitive_desc(desc, attr, cpuEngine());
  op.primitive = dnnl::convolution_forward(pd);
  bindArguments(plan, op, src, dst, plainWeights, pd.weights_desc(), biasDesc, spec, weights, weightSizes);
  op.sumCopyFrom = sum ? static_cast<int>(intField(spec, "sumCopyFrom")) : -2;
}

void buildDense(Plan& plan, Op& op, const Napi::Object& spec, const std::vector<const float*>& weights,
                const std::vector<int64_t>& weightSizes) {
  const int64_t batch = intField(spec, "batch");
  const int64_t in = intField(spec, "inFeatures");
  const int64_t out = intField(spec, "outFeatures");
  const bool withBias = intField(spec, "bias") >= 0;
  const memory::desc src({batch, in}, dt::f32, tag::nc);
  const memory::desc dst({batch, out}, dt::f32, tag::nc);
  // tfjs' [in, out] is oneDNN's {out, in} in `io` order.
  const memory::desc plainWeights({out, in}, dt::f32, tag::io);
  const memory::desc biasDesc({out}, dt::f32, tag::x);
  const memory::desc anyWeights({out, in}, dt::f32, tag::any);
  auto desc = withBias ? dnnl::inner_product_forward::desc(dnnl::prop_kind::forward_inference, src,
                                                                  anyWeights, biasDesc, dst)
                             : dnnl::inner_product_forward::desc(dnnl::prop_kind::forward_inference, src,
                                                                  anyWeights, dst);
  op.work = batch * in * out;
  ThreadScope threads(op.work);
  auto pd = dnnl::inner_product_forward::primitive_desc(desc, cpuEngine());
  op.primitive = dnnl::inner_product_forward(pd);
  bindArguments(plan, op, src, dst, plainWeights, pd.weights_desc(), biasDesc, spec, weights, weightSizes);
}

const float* bufferOf(const Plan& plan, int buffer, const float* input) {
  return buffer < 0 ? input : plan.buffers[buffer];
}

void runOp(Plan& plan, Op& op, const float* input) {
  ThreadScope threads(op.work);
  if (op.kind == "conv" || op.kind == "dense") {
    if (op.readsInput) op.args[DNNL_ARG_SRC].set_data_handle(const_cast<float*>(input));
    if (op.sumCopyFrom != -2) {
      std::memcpy(plan.buffers[op.dst], bufferOf(plan, op.sumCopyFrom, input), sizeof(float) * op.size);
    }
    op.primitive.execute(cpuStream(), op.args);
    cpuStream().wait();
    if (op.activation != kLinear) activate(plan.buffers[op.dst], plan.buffers[op.dst], op.size, op.activation);
    return;
  }
  const float* src = bufferOf(plan, op.src, input);
  float* dst = plan.buffers[op.dst];
  if (op.kind == "activation") {
    activate(src, dst, op.size, op.activation);
  } else if (op.kind == "scaleShift") {
    const int64_t channels = op.channels;
    const float* scale = op.scale.data();
    const float* shift = op.shift.data();
    parallelFor(op.size / channels, channels, [&](int64_t begin, int64_t end) {
      for (int64_t row = begin; row < end; ++row) {
        const float* in = src + row * channels;
        float* out = dst + row * channels;
        // Two roundings, as tfjs' mul then add.
        for (int64_t c = 0; c < channels; ++c) {
          const float scaled = in[c] * scale[c];
          out[c] = scaled + shift[c];
        }
      }
    });
    activate(dst, dst, op.size, op.activation);
  } else if (op.kind == "add" || op.kind == "multiply") {
    const float* other = bufferOf(plan, op.other, input);
    const bool add = op.kind == "add";
    parallelFor(op.size, 1, [&](int64_t begin, int64_t end) {
      if (add) {
        for (int64_t i = begin; i < end; ++i) dst[i] = src[i] + other[i];
      } else {
        for (int64_t i = begin; i < end; ++i) dst[i] = src[i] * other[i];
      }
    });
  } else if (op.kind == "channelMultiply") {
    // x [N, spatial, C] times gate [N, C].
    const float* gate = bufferOf(plan, op.other, input);
    const int64_t spatial = op.spatial, channels = op.channels;
    parallelFor(op.batch * spatial, channels, [&](int64_t begin, int64_t end) {
      for (int64_t row = begin; row < end; ++row) {
        const float* g = gate + (row / spatial) * channels;
        const float* in = src + row * channels;
        float* out = dst + row * channels;
        for (int64_t c = 0; c < channels; ++c) out[c] = in[c] * g[c];
      }
    });
  } else if (op.kind == "globalAvgPool") {
    const int64_t spatial = op.spatial, channels = op.channels;
    parallelFor(op.batch, spatial * channels, [&](int64_t begin, int64_t end) {
      std::vector<double> sums(channels);
      for (int64_t n = begin; n < end; ++n) {
        std::fill(sums.begin(), sums.end(), 0.0);
        const float* in = src + n * spatial * channels;
        for (int64_t s = 0; s < spatial; ++s) {
          for (int64_t c = 0; c < channels; ++c) sums[c] += in[s * channels + c];
        }
        for (int64_t c = 0; c < channels; ++c) dst[n * channels + c] = static_cast<float>(sums[c] / spatial);
      }
    });
  } else if (op.kind == "avgPool") {
    // Window == stride, zeros padded on each side counted in the divisor (PyTorch's default).
    const int64_t channels = op.channels, window = op.window, pad = op.padding;
    const float divisor = static_cast<float>(window * window);
    parallelFor(op.batch * op.outHeight, op.outWidth * channels * window * window,
                [&](int64_t begin, int64_t end) {
                  for (int64_t row = begin; row < end; ++row) {
                    const int64_t n = row / op.outHeight, oy = row % op.outHeight;
                    for (int64_t ox = 0; ox < op.outWidth; ++ox) {
                      float* out = dst + ((n * op.outHeight + oy) * op.outWidth + ox) * channels;
                      std::fill(out, out + channels, 0.f);
                      for (int64_t ky = 0; ky < window; ++ky) {
                        const int64_t y = oy * window + ky - pad;
                        if (y < 0 || y >= op.inHeight) continue;
                        for (int64_t kx = 0; kx < window; ++kx) {
                          const int64_t x = ox * window + kx - pad;
                          if (x < 0 || x >= op.inWidth) continue;
                          const float* in = src + ((n * op.inHeight + y) * op.inWidth + x) * channels;
                          for (int64_t c = 0; c < channels; ++c) out[c] += in[c];
                        }
                      }
                      for (int64_t c = 0; c < channels; ++c) out[c] /= divisor;
                    }
                  }
                });
  } else {
    throw std::invalid_argument("unknown plan op kind " + op.kind);
  }
}

void releasePlan(Napi::Env, Plan* plan) {
  if (livePlans.erase(plan) > 0) delete plan;
}

// inferPlanCreate({ buffers: number[], weights: Float32Array[], ops: object[], output, inputSize,
// outputSize }) -> handle
Napi::Value inferPlanCreate(const Napi::CallbackInfo& info) {
  Napi::Object spec = info[0].As<Napi::Object>();
  auto plan = std::make_unique<Plan>();
  plan->threads = configuredThreads();
  plan->bufferSizes = intList(spec.Get("buffers"), "buffers");
  for (int64_t size : plan->bufferSizes) plan->buffers.push_back(alignedFloats(size));
  plan->output = static_cast<int>(intField(spec, "output"));
  plan->inputSize = intField(spec, "inputSize");
  plan->outputSize = intField(spec, "outputSize");
  Napi::Array weightArray = spec.Get("weights").As<Napi::Array>();
  std::vector<const float*> weights;
  std::vector<int64_t> weightSizes;
  for (uint32_t i = 0; i < weightArray.Length(); ++i) {
    weights.push_back(floatArray(weightArray.Get(i), "weight"));
    weightSizes.push_back(floatArrayLength(weightArray.Get(i), "weight"));
  }
  Napi::Array ops = spec.Get("ops").As<Napi::Array>();
  const int bufferCount = static_cast<int>(plan->buffers.size());
  for (uint32_t i = 0; i < ops.Length(); ++i) {
    Napi::Object opSpec = ops.Get(i).As<Napi::Object>();
    Op op;
    op.kind = opSpec.Get("kind").As<Napi::String>().Utf8Value();
    op.src = static_cast<int>(intField(opSpec, "src"));
    op.dst = static_cast<int>(intField(opSpec, "dst"));
    if (opSpec.Has("other")) op.other = static_cast<int>(intField(opSpec, "other"));
    if (op.src >= bufferCount || op.other >= bufferCount || op.dst < 0 || op.dst >= bufferCount)
      throw std::invalid_argument("plan op " + std::to_string(i) + " names a buffer the plan does not have");
    op.activation = opSpec.Has("activation") ? static_cast<int>(intField(opSpec, "activation")) : kLinear;
    if (op.kind == "conv") {
      buildConv(*plan, op, opSpec, weights, weightSizes);
    } else if (op.kind == "dense") {
      buildDense(*plan, op, opSpec, weights, weightSizes);
    } else {
      op.size = intField(opSpec, "size");
      if (opSpec.Has("batch")) op.batch = intField(opSpec, "batch");
      if (opSpec.Has("spatial")) op.spatial = intField(opSpec, "spatial");
      if (opSpec.Has("channels")) op.channels = intField(opSpec, "channels");
      if (op.kind == "scaleShift") {
        op.scale = floatsField(opSpec, "scale");
        op.shift = floatsField(opSpec, "shift");
        if (static_cast<int64_t>(op.scale.size()) != op.channels || static_cast<int64_t>(op.shift.size()) != op.channels)
          throw std::invalid_argument("scaleShift scale and shift must hold one value per channel");
      }
      if (op.kind == "avgPool") {
        op.inHeight = intField(opSpec, "inHeight");
        op.inWidth = intField(opSpec, "inWidth");
        op.outHeight = intField(opSpec, "outHeight");
        op.outWidth = intField(opSpec, "outWidth");
        op.window = intField(opSpec, "window");
        op.padding = intField(opSpec, "padding");
      }
      op.work = op.size * (op.kind == "globalAvgPool" ? 1 : 4);
    }
    if (op.size > plan->bufferSizes[op.dst]) throw std::invalid_argument("plan op output overflows its buffer");
    plan->ops.push_back(std::move(op));
  }
  if (plan->output < 0 || plan->output >= bufferCount) throw std::invalid_argument("plan output buffer out of range");
  Plan* raw = plan.release();
  livePlans.insert(raw);
  return Napi::External<Plan>::New(info.Env(), raw, releasePlan);
}

Plan* planOf(const Napi::Value& value) {
  if (!value.IsExternal()) throw std::invalid_argument("expected an inference plan handle");
  Plan* plan = value.As<Napi::External<Plan>>().Data();
  if (livePlans.count(plan) == 0) throw std::invalid_argument("the inference plan was released");
  return plan;
}

// inferPlanRun(handle, input, output[, opSeconds]) -> false, running nothing, when the thread count changed
// since the plan was built (build another).
Napi::Value inferPlanRun(const Napi::CallbackInfo& info) {
  Plan* plan = planOf(info[0]);
  if (plan->threads != configuredThreads()) return Napi::Boolean::New(info.Env(), false);
  const float* input = floatArray(info[1], "input", plan->inputSize);
  float* output = floatArray(info[2], "output", plan->outputSize);
  // Optional: per-op seconds added into a Float64Array (bench/profile-static-infer.mjs).
  double* opSeconds = nullptr;
  if (info.Length() > 3 && info[3].IsTypedArray()) {
    Napi::TypedArray times = info[3].As<Napi::TypedArray>();
    if (times.TypedArrayType() != napi_float64_array || times.ElementLength() != plan->ops.size())
      throw std::invalid_argument("opSeconds must be a Float64Array of one entry per op");
    opSeconds = info[3].As<Napi::Float64Array>().Data();
  }
  for (size_t i = 0; i < plan->ops.size(); ++i) {
    const auto start = opSeconds ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    runOp(*plan, plan->ops[i], input);
    if (opSeconds) opSeconds[i] += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  std::memcpy(output, plan->buffers[plan->output], sizeof(float) * plan->outputSize);
  return Napi::Boolean::New(info.Env(), true);
}

// inferPlanRelease(handle): frees the plan's buffers and weights now; running it then throws.
Napi::Value inferPlanRelease(const Napi::CallbackInfo& info) {
  if (!info[0].IsExternal()) throw std::invalid_argument("expected an inference plan handle");
  releasePlan(info.Env(), info[0].As<Napi::External<Plan>>().Data());
  return info.Env().Undefined();
}

// inferPlanLiveCount(): plans not yet released, for the memory tests.
Napi::Value inferPlanLiveCount(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(livePlans.size()));
}

}  // namespace

void initInferPlan(Napi::Env env, Napi::Object exports) {
  exports.Set("inferPlanCreate", wrap(env, "inferPlanCreate", inferPlanCreate));
  exports.Set("inferPlanRun", wrap(env, "inferPlanRun", inferPlanRun));
  exports.Set("inferPlanRelease", wrap(env, "inferPlanRelease", inferPlanRelease));
  exports.Set("inferPlanLiveCount", wrap(env, "inferPlanLiveCount", inferPlanLiveCount));
}

}  // namespace supernas
