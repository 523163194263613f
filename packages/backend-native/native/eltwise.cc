// Unary element-wise ops through oneDNN's JIT eltwise primitive (vectorised exp, logistic,
// tanh, ...), treating every tensor as a flat 1-D array.
#include <limits>
#include <stdexcept>

#include "common.h"

namespace supernas {

using dnnl::algorithm;
using dnnl::memory;

namespace {

struct UnaryOp {
  algorithm kind;
  float alpha;
  float beta;
  bool usesAlphaArgument;
};

// tfjs kernel names (lower-cased) to oneDNN algorithms with tfjs' semantics.
const std::unordered_map<std::string, UnaryOp>& unaryOps() {
  static const std::unordered_map<std::string, UnaryOp> ops{
      {"abs", {algorithm::eltwise_abs, 0.f, 0.f, false}},
      {"elu", {algorithm::eltwise_elu, 1.f, 0.f, false}},
      {"exp", {algorithm::eltwise_exp, 0.f, 0.f, false}},
      {"leakyrelu", {algorithm::eltwise_relu, 0.f, 0.f, true}},
      {"log", {algorithm::eltwise_log, 0.f, 0.f, false}},
      {"neg", {algorithm::eltwise_linear, -1.f, 0.f, false}},
      {"reciprocal", {algorithm::eltwise_pow, 1.f, -1.f, false}},
      {"rsqrt", {algorithm::eltwise_pow, 1.f, -0.5f, false}},
      {"sigmoid", {algorithm::eltwise_logistic, 0.f, 0.f, false}},
      {"softplus", {algorithm::eltwise_soft_relu, 0.f, 0.f, false}},
      {"sqrt", {algorithm::eltwise_sqrt, 0.f, 0.f, false}},
      {"square", {algorithm::eltwise_square, 0.f, 0.f, false}},
      {"tanh", {algorithm::eltwise_tanh, 0.f, 0.f, false}},
      {"swish", {algorithm::eltwise_swish, 1.f, 0.f, false}},
  };
  return ops;
}

LruCache<dnnl::eltwise_forward> eltwiseCache(256);

// unary(op, x, y, alpha)
Napi::Value unary(const Napi::CallbackInfo& info) {
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  const int64_t size = floatArrayLength(info[1], "x");
  const float* x = floatArray(info[1], "x");
  float* y = floatArray(info[2], "y", size);
  const float alphaArgument = info[3].IsNumber() ? info[3].As<Napi::Number>().FloatValue() : 0.f;
  if (size == 0) return info.Env().Undefined();

  if (name == "step") {
    // tfjs' Step: 1 where x > 0, alpha elsewhere, NaN stays NaN.
    parallelFor(size, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        const float value = x[i];
        y[i] = value > 0.f ? 1.f : (value != value ? value : alphaArgument);
      }
    });
    return info.Env().Undefined();
  }

  // oneDNN's relu and clip turn NaN into 0; tfjs keeps it.
  if (name == "relu" || name == "relu6") {
    applyActivation(x, y, size, name == "relu" ? 1 : 2, 0.f);
    return info.Env().Undefined();
  }

  auto found = unaryOps().find(name);
  if (found == unaryOps().end()) throw std::invalid_argument("unknown unary op " + name);
  const UnaryOp& op = found->second;
  const float alpha = op.usesAlphaArgument ? alphaArgument : op.alpha;
  ThreadScope threads(size * 8);
  const std::string key = name + ":" + std::to_string(alpha) + ":" + std::to_string(size);
  std::shared_ptr<dnnl::eltwise_forward> primitive = eltwiseCache.find(key);
  memory::desc desc({size}, memory::data_type::f32, memory::format_tag::x);
  if (!primitive) {
    auto opDesc =
        dnnl::eltwise_forward::desc(dnnl::prop_kind::forward_inference, op.kind, desc, alpha, op.beta);
    primitive = std::make_shared<dnnl::eltwise_forward>(
        dnnl::eltwise_forward::primitive_desc(opDesc, cpuEngine()));
    eltwiseCache.insert(key, primitive);
  }
  dnnl::stream& stream = cpuStream();
  primitive->execute(stream, {{DNNL_ARG_SRC, memory(desc, cpuEngine(), const_cast<float*>(x))},
                              {DNNL_ARG_DST, memory(desc, cpuEngine(), y)}});
  stream.wait();
  // Where tfjs' results differ from oneDNN's: exp clamps its argument to [ln FLT_MIN,
  // ln FLT_MAX] first, turning NaN into inf; rsqrt (as x^-0.5) gives 0 for -inf and +inf for -0,
  // where tfjs' 1 / sqrt(x) gives NaN and -inf.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  if (name == "exp") {
    parallelFor(size, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        if (x[i] != x[i]) y[i] = nan;
      }
    });
  } else if (name == "rsqrt") {
    parallelFor(size, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) {
        if (!(x[i] > 0.f)) y[i] = x[i] == 0.f ? 1.f / x[i] : nan;
      }
    });
  }
  return info.Env().Undefined();
}

}  // namespace

void clearEltwiseCaches() { eltwiseCache.clear(); }
size_t eltwiseCacheSize() { return eltwiseCache.size(); }

void initEltwise(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", wrap(env, "unary", unary));
}

}  // namespace supernas
