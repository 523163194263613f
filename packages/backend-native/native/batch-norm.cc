// Inference-style batch normalisation (tfjs' FusedBatchNorm kernel) over the channel (last)
// axis: y = (x - mean) * scale / sqrt(variance + epsilon) + offset, each parameter holding
// either one value per channel or a single value.
#include <cmath>
#include <stdexcept>

#include "common.h"

namespace supernas {

namespace {

std::vector<float> perChannel(const Napi::Value& value, const char* name, int64_t channels,
                              float fallback) {
  std::vector<float> result(channels, fallback);
  if (value.IsNull() || value.IsUndefined()) return result;
  const int64_t length = floatArrayLength(value, name);
  const float* data = floatArray(value, name);
  if (length != 1 && length != channels) {
    throw std::invalid_argument(std::string(name) + " must hold 1 or channels floats");
  }
  for (int64_t c = 0; c < channels; ++c) result[c] = data[length == 1 ? 0 : c];
  return result;
}

// batchNorm(x, channels, mean, variance, offset | null, scale | null, epsilon, out)
Napi::Value batchNorm(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "x");
  const float* x = floatArray(info[0], "x");
  const int64_t channels = info[1].As<Napi::Number>().Int64Value();
  if (channels <= 0 || size % channels != 0) throw std::invalid_argument("bad channel count");
  const std::vector<float> mean = perChannel(info[2], "mean", channels, 0.f);
  const std::vector<float> variance = perChannel(info[3], "variance", channels, 1.f);
  const std::vector<float> offset = perChannel(info[4], "offset", channels, 0.f);
  const std::vector<float> scale = perChannel(info[5], "scale", channels, 1.f);
  const double epsilon = info[6].As<Napi::Number>().DoubleValue();
  float* out = floatArray(info[7], "out", size);
  std::vector<float> factor(channels);
  for (int64_t c = 0; c < channels; ++c) {
    factor[c] = static_cast<float>(scale[c] / std::sqrt(static_cast<double>(variance[c]) + epsilon));
  }
  const int64_t rows = size / channels;
  parallelFor(rows, channels, [&](int64_t begin, int64_t end) {
    const float* m = mean.data();
    const float* f = factor.data();
    const float* o = offset.data();
    for (int64_t row = begin; row < end; ++row) {
      const float* in = x + row * channels;
      float* result = out + row * channels;
      for (int64_t c = 0; c < channels; ++c) result[c] = (in[c] - m[c]) * f[c] + o[c];
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void initBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNorm", wrap(env, "batchNorm", batchNorm));
}

}  // namespace supernas
