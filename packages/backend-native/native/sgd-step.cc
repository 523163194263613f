// One SGD step with momentum, Nesterov and L2 weight decay (PyTorch's SGD, as @supernas/trainer's
// Sgd composes it from 8 tfjs ops) in one pass over the parameter: 8 full-size passes and 8 op
// dispatches become one of each.
#include <stdexcept>

#include "common.h"

// Each product and sum rounded on its own, as the separate tfjs ops round them: the fused path
// gives the composed one's results bit for bit.
#pragma GCC optimize("fp-contract=off")

namespace supernas {

namespace {

// sgdStep(parameter, gradient, buffer, learningRate, momentum, weightDecay, nesterov,
//         nextParameter, nextBuffer); weightDecay 0 leaves the gradient as it is.
Napi::Value sgdStep(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "parameter");
  const float* parameter = floatArray(info[0], "parameter");
  const float* gradient = floatArray(info[1], "gradient", size);
  const float* buffer = floatArray(info[2], "buffer", size);
  const float learningRate = info[3].As<Napi::Number>().FloatValue();
  const float momentum = info[4].As<Napi::Number>().FloatValue();
  const float weightDecay = info[5].As<Napi::Number>().FloatValue();
  const bool nesterov = info[6].As<Napi::Boolean>().Value();
  float* nextParameter = floatArray(info[7], "nextParameter", size);
  float* nextBuffer = floatArray(info[8], "nextBuffer", size);
  const bool decay = weightDecay != 0.f;
  const bool withMomentum = momentum > 0.f;
  parallelFor(size, 8, [&](int64_t begin, int64_t end) {
    const float* p = parameter;
    const float* g = gradient;
    const float* b = buffer;
    float* nextP = nextParameter;
    float* nextB = nextBuffer;
#pragma omp simd
    for (int64_t i = begin; i < end; ++i) {
      const float direction = decay ? g[i] + p[i] * weightDecay : g[i];
      const float next = withMomentum ? b[i] * momentum + direction : direction;
      const float step = nesterov ? direction + next * momentum : next;
      nextB[i] = next;
      nextP[i] = p[i] - step * learningRate;
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void initSgdStep(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdStep", wrap(env, "sgdStep", sgdStep));
}

}  // namespace supernas
