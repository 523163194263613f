// Broadcasting binary ops. Shapes are collapsed first (adjacent dims that broadcast the same way
// merge), so [N,H,W,C] op [C] becomes a flat loop over rows of C and [N,H,W,C] op [N,1,1,C] a
// loop over N x (H*W) rows, each with a contiguous, vectorisable inner loop.
#include <cstring>
#include <stdexcept>

#include "common.h"

namespace supernas {

namespace {

struct BroadcastPlan {
  std::vector<int64_t> sizes;
  std::vector<int64_t> aStrides;
  std::vector<int64_t> bStrides;
  int64_t total = 1;
};

BroadcastPlan makePlan(const std::vector<int64_t>& outShape, const std::vector<int64_t>& aShape,
                       const std::vector<int64_t>& bShape) {
  const size_t rank = outShape.size();
  if (aShape.size() > rank || bShape.size() > rank) {
    throw std::invalid_argument("operand rank exceeds output rank");
  }
  BroadcastPlan plan;
  std::vector<bool> aBroadcast, bBroadcast;
  for (size_t d = 0; d < rank; ++d) {
    const int64_t outDim = outShape[d];
    const int64_t aDim = d + aShape.size() >= rank ? aShape[d + aShape.size() - rank] : 1;
    const int64_t bDim = d + bShape.size() >= rank ? bShape[d + bShape.size() - rank] : 1;
    if ((aDim != outDim && aDim != 1) || (bDim != outDim && bDim != 1)) {
      throw std::invalid_argument("operand shapes do not broadcast to the output shape");
    }
    if (outDim == 1) continue;
    const bool aIsBroadcast = aDim == 1, bIsBroadcast = bDim == 1;
    if (!plan.sizes.empty() && aBroadcast.back() == aIsBroadcast &&
        bBroadcast.back() == bIsBroadcast) {
      plan.sizes.back() *= outDim;
    } else {
      plan.sizes.push_back(outDim);
      aBroadcast.push_back(aIsBroadcast);
      bBroadcast.push_back(bIsBroadcast);
    }
  }
  if (plan.sizes.empty()) {
    plan.sizes.push_back(1);
    aBroadcast.push_back(false);
    bBroadcast.push_back(false);
  }
  const size_t dims = plan.sizes.size();
  plan.aStrides.assign(dims, 0);
  plan.bStrides.assign(dims, 0);
  int64_t aRunning = 1, bRunning = 1;
  for (size_t d = dims; d-- > 0;) {
    if (!aBroadcast[d]) {
      plan.aStrides[d] = aRunning;
      aRunning *= plan.sizes[d];
    }
    if (!bBroadcast[d]) {
      plan.bStrides[d] = bRunning;
      bRunning *= plan.sizes[d];
    }
    plan.total *= plan.sizes[d];
  }
  return plan;
}

template <typename Op, typename Out>
inline void innerLoop(const float* a, int64_t aStride, const float* b, int64_t bStride, Out* out,
                      int64_t count) {
  if (aStride != 0 && bStride != 0) {
    for (int64_t i = 0; i < count; ++i) out[i] = Op::apply(a[i], b[i]);
  } else if (aStride != 0) {
    const float bValue = b[0];
    for (int64_t i = 0; i < count; ++i) out[i] = Op::apply(a[i], bValue);
  } else if (bStride != 0) {
    const float aValue = a[0];
    for (int64_t i = 0; i < count; ++i) out[i] = Op::apply(aValue, b[i]);
  } else {
    const Out value = Op::apply(a[0], b[0]);
    for (int64_t i = 0; i < count; ++i) out[i] = value;
  }
}

template <typename Op, typename Out>
void runPlan(const BroadcastPlan& plan, const float* a, const float* b, Out* out) {
  const size_t outerDims = plan.sizes.size() - 1;
  const int64_t inner = plan.sizes.back();
  const int64_t aInner = plan.aStrides.back(), bInner = plan.bStrides.back();
  const int64_t outer = plan.total / inner;
  parallelFor(outer, inner, [&](int64_t begin, int64_t end) {
    std::vector<int64_t> coords(outerDims, 0);
    int64_t aOffset = 0, bOffset = 0;
    int64_t remainder = begin;
    for (size_t d = outerDims; d-- > 0;) {
      coords[d] = remainder % plan.sizes[d];
      remainder /= plan.sizes[d];
      aOffset += coords[d] * plan.aStrides[d];
      bOffset += coords[d] * plan.bStrides[d];
    }
    for (int64_t row = begin; row < end; ++row) {
      innerLoop<Op, Out>(a + aOffset, aInner, b + bOffset, bInner, out + row * inner, inner);
      for (size_t d = outerDims; d-- > 0;) {
        aOffset += plan.aStrides[d];
        bOffset += plan.bStrides[d];
        if (++coords[d] < plan.sizes[d]) break;
        aOffset -= coords[d] * plan.aStrides[d];
        bOffset -= coords[d] * plan.bStrides[d];
        coords[d] = 0;
      }
    }
  });
}

struct Add { static float apply(float a, float b) { return a + b; } };
struct Sub { static float apply(float a, float b) { return a - b; } };
struct Mul { static float apply(float a, float b) { return a * b; } };
struct Div { static float apply(float a, float b) { return a / b; } };
struct SquaredDifference {
  static float apply(float a, float b) { return (a - b) * (a - b); }
};
// tfjs propagates NaN from either side of Maximum/Minimum.
struct Maximum {
  static float apply(float a, float b) { return a != a || b != b ? a + b : (a > b ? a : b); }
};
struct Minimum {
  static float apply(float a, float b) { return a != a || b != b ? a + b : (a < b ? a : b); }
};
struct Greater { static uint8_t apply(float a, float b) { return a > b; } };
struct GreaterEqual { static uint8_t apply(float a, float b) { return a >= b; } };
struct Less { static uint8_t apply(float a, float b) { return a < b; } };
struct LessEqual { static uint8_t apply(float a, float b) { return a <= b; } };
struct Equal { static uint8_t apply(float a, float b) { return a == b; } };
struct NotEqual { static uint8_t apply(float a, float b) { return a != b; } };

template <typename Op>
void runFloat(const BroadcastPlan& plan, const float* a, const float* b, const Napi::Value& out) {
  runPlan<Op, float>(plan, a, b, floatArray(out, "out", plan.total));
}

template <typename Op>
void runBool(const BroadcastPlan& plan, const float* a, const float* b, const Napi::Value& out) {
  if (!out.IsTypedArray() || out.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw std::invalid_argument("out must be a Uint8Array for a comparison");
  }
  Napi::Uint8Array bytes = out.As<Napi::Uint8Array>();
  if (static_cast<int64_t>(bytes.ElementLength()) != plan.total) {
    throw std::invalid_argument("out has the wrong length");
  }
  runPlan<Op, uint8_t>(plan, a, b, bytes.Data());
}

// binary(op, a, aShape, b, bShape, out, outShape)
Napi::Value binary(const Napi::CallbackInfo& info) {
  const std::string op = info[0].As<Napi::String>().Utf8Value();
  const std::vector<int64_t> aShape = intList(info[2], "aShape");
  const std::vector<int64_t> bShape = intList(info[4], "bShape");
  const std::vector<int64_t> outShape = intList(info[6], "outShape");
  const float* a = floatArray(info[1], "a", sizeOf(aShape));
  const float* b = floatArray(info[3], "b", sizeOf(bShape));
  const BroadcastPlan plan = makePlan(outShape, aShape, bShape);
  if (sizeOf(outShape) == 0) return info.Env().Undefined();
  const Napi::Value out = info[5];
  if (op == "add") runFloat<Add>(plan, a, b, out);
  else if (op == "sub") runFloat<Sub>(plan, a, b, out);
  else if (op == "mul") runFloat<Mul>(plan, a, b, out);
  else if (op == "div") runFloat<Div>(plan, a, b, out);
  else if (op == "squaredDifference") runFloat<SquaredDifference>(plan, a, b, out);
  else if (op == "maximum") runFloat<Maximum>(plan, a, b, out);
  else if (op == "minimum") runFloat<Minimum>(plan, a, b, out);
  else if (op == "greater") runBool<Greater>(plan, a, b, out);
  else if (op == "greaterEqual") runBool<GreaterEqual>(plan, a, b, out);
  else if (op == "less") runBool<Less>(plan, a, b, out);
  else if (op == "lessEqual") runBool<LessEqual>(plan, a, b, out);
  else if (op == "equal") runBool<Equal>(plan, a, b, out);
  else if (op == "notEqual") runBool<NotEqual>(plan, a, b, out);
  else throw std::invalid_argument("unknown binary op " + op);
  return info.Env().Undefined();
}

// addN(inputs[], out): sums same-shaped tensors, as gradients accumulate.
Napi::Value addN(const Napi::CallbackInfo& info) {
  Napi::Array inputs = info[0].As<Napi::Array>();
  const int64_t size = floatArrayLength(info[1], "out");
  float* out = floatArray(info[1], "out");
  std::vector<const float*> sources;
  for (uint32_t i = 0; i < inputs.Length(); ++i) sources.push_back(floatArray(inputs.Get(i), "input", size));
  if (sources.empty()) {
    std::memset(out, 0, sizeof(float) * size);
    return info.Env().Undefined();
  }
  parallelFor(size, static_cast<int64_t>(sources.size()), [&](int64_t begin, int64_t end) {
    std::memcpy(out + begin, sources[0] + begin, sizeof(float) * (end - begin));
    for (size_t s = 1; s < sources.size(); ++s) {
      const float* source = sources[s];
      for (int64_t i = begin; i < end; ++i) out[i] += source[i];
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void initBinary(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", wrap(env, "binary", binary));
  exports.Set("addN", wrap(env, "addN", addN));
}

}  // namespace supernas
