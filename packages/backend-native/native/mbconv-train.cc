// Training kernels for the layers of an elastic MBConv block, written for the shapes a sandwich
// step runs (NHWC float32, channels innermost):
// - batch norm with batch statistics fused with the activation after it (none or swish), forward
//   and backward: 2 passes over x forward (statistics in one pass, then normalise and activate)
//   and 2 backward, where BN and swish as separate kernels take 3 + 1 and 2 + 1, and the
//   pre-activation tensor is neither written nor kept for the backward pass;
// - the depthwise convolution's weight gradient, one pass over x and dy with per-thread sums:
//   oneDNN 2.6's NHWC implementation of it took 3-4x as long as the forward convolution.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "common.h"

// The element loops select (clamps, the sigmoid's cut-off) rather than branch; GCC if-converts
// and vectorises them only when comparisons may not trap. No result changes.
#pragma GCC optimize("no-trapping-math")
// The sigmoid loops are compute-bound: full-width vectors where the CPU has AVX-512 (GCC
// prefers 256-bit ones by default); a mere preference elsewhere.
#pragma GCC target("prefer-vector-width=512")

namespace supernas {

namespace {

// e^v, vectorisable (the compiler does not vectorise expf without fast-math): 2^k * e^r with
// r = v - k ln2 in [-ln2/2, ln2/2] and a degree-6 Taylor polynomial (relative error < 2e-7).
// v is clamped to [-87, 88] (NaN to -87: callers multiply by the NaN again), where 2^k is a
// normal float; the offset of 200 makes the truncation a floor.
inline float vectorExp(float v) {
  v = v > -87.f ? v : -87.f;
  v = v < 88.f ? v : 88.f;
  const int32_t k = static_cast<int32_t>(v * 1.44269504088896341f + 200.5f) - 200;
  const float kf = static_cast<float>(k);
  const float r = v - kf * 0.693145751953125f - kf * 1.42860682030941723e-6f;
  float p = 1.f / 720.f;
  p = p * r + 1.f / 120.f;
  p = p * r + 1.f / 24.f;
  p = p * r + 1.f / 6.f;
  p = p * r + 0.5f;
  p = p * r + 1.f;
  p = p * r + 1.f;
  const int32_t bits = (k + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

// sigmoid(u) = 1 / (1 + e^-u); exactly 0 below -87 so that swish(-inf) = -inf * 0 = NaN, as on
// the cpu backend. (A division-free reciprocal measured slower here: the loops are bound by
// memory traffic, which hides the division.)
inline float sigmoid(float u) {
  const float s = 1.f / (1.f + vectorExp(-u));
  return u < -87.f ? 0.f : s;
}

// The gradient at u = BN(x) of swish(u), given the gradient at swish's output.
inline float swishGradient(float gradient, float u) {
  const float sig = sigmoid(u);
  return gradient * (sig * (1.f + u * (1.f - sig)));
}

enum Activation { kLinear = 0, kSwish = 1 };

Activation activationOf(const Napi::Value& value) {
  const int code = value.As<Napi::Number>().Int32Value();
  if (code != kLinear && code != kSwish) throw std::invalid_argument("activation must be 0 or 1");
  return static_cast<Activation>(code);
}

int threadsFor(int64_t work, int64_t rows) {
  const int threads = work >= kParallelThreshold ? omp_get_max_threads() : 1;
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, rows)));
}

// Per-column sums over rows [0, rows) of `width` float columns: `accumulate(begin, end, acc)`
// adds rows [begin, end) into float `acc`. Blocks of 64 rows are summed in float (vector adds)
// and the blocks in double, one partial per thread, so long columns lose no precision.
template <typename Accumulate>
std::vector<double> columnSums(int64_t rows, int64_t width, int64_t costPerRow,
                               Accumulate accumulate) {
  constexpr int64_t kBlock = 64;
  const int chunks = threadsFor(rows * costPerRow, rows);
  std::vector<double> partial(static_cast<size_t>(chunks) * width, 0.0);
#pragma omp parallel num_threads(chunks) if (chunks > 1)
  {
    const int chunk = omp_get_thread_num();
    std::vector<float> block(width);
    std::vector<double> local(width, 0.0);
    const int64_t end = rows * (chunk + 1) / chunks;
    for (int64_t begin = rows * chunk / chunks; begin < end; begin += kBlock) {
      std::fill(block.begin(), block.end(), 0.f);
      accumulate(begin, std::min(end, begin + kBlock), block.data());
      for (int64_t k = 0; k < width; ++k) local[k] += block[k];
    }
    std::copy(local.begin(), local.end(), partial.begin() + static_cast<size_t>(chunk) * width);
  }
  std::vector<double> sums(width, 0.0);
  for (int chunk = 0; chunk < chunks; ++chunk) {
    for (int64_t k = 0; k < width; ++k) sums[k] += partial[static_cast<size_t>(chunk) * width + k];
  }
  return sums;
}

// batchNormActivationTraining(x, channels, gamma, beta, epsilon, activation, y, mean, inverseStd)
// y = act((x - mean) * gamma * inverseStd + beta) with the batch's mean and biased variance.
Napi::Value batchNormActivationTraining(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "x");
  const float* x = floatArray(info[0], "x");
  const int64_t channels = info[1].As<Napi::Number>().Int64Value();
  if (channels <= 0 || size == 0 || size % channels != 0) throw std::invalid_argument("bad channel count");
  const float* gamma = floatArray(info[2], "gamma", channels);
  const float* beta = floatArray(info[3], "beta", channels);
  const double epsilon = info[4].As<Napi::Number>().DoubleValue();
  const Activation activation = activationOf(info[5]);
  float* y = floatArray(info[6], "y", size);
  float* mean = floatArray(info[7], "mean", channels);
  float* inverseStd = floatArray(info[8], "inverseStd", channels);
  const int64_t rows = size / channels;

  // One pass for both moments, shifted by the first row so that a channel with a large mean
  // loses no precision to cancellation: sum(x - s) in [0, C), sum((x - s)^2) in [C, 2C).
  const float* shift = x;
  const std::vector<double> sums = columnSums(rows, 2 * channels, 2 * channels,
                                              [&](int64_t begin, int64_t end, float* acc) {
    float* squares = acc + channels;
    for (int64_t row = begin; row < end; ++row) {
      const float* in = x + row * channels;
#pragma omp simd
      for (int64_t c = 0; c < channels; ++c) {
        const float d = in[c] - shift[c];
        acc[c] += d;
        squares[c] += d * d;
      }
    }
  });
  std::vector<float> scale(channels);
  for (int64_t c = 0; c < channels; ++c) {
    const double shifted = sums[c] / rows;
    const double variance = std::max(0.0, sums[channels + c] / rows - shifted * shifted);
    mean[c] = static_cast<float>(shift[c] + shifted);
    inverseStd[c] = static_cast<float>(1.0 / std::sqrt(variance + epsilon));
    scale[c] = gamma[c] * inverseStd[c];
  }
  const float* s = scale.data();
  parallelFor(rows, activation == kSwish ? 8 * channels : channels, [&](int64_t begin, int64_t end) {
    // Locals, not the lambda's captures: the compiler cannot vectorise through a captured
    // pointer that a store might alias.
    const float* m = mean;
    const float* b = beta;
    const float* src = x;
    float* dst = y;
    for (int64_t row = begin; row < end; ++row) {
      const float* in = src + row * channels;
      float* out = dst + row * channels;
      if (activation == kSwish) {
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) {
          const float u = (in[c] - m[c]) * s[c] + b[c];
          out[c] = u * sigmoid(u);
        }
      } else {
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) out[c] = (in[c] - m[c]) * s[c] + b[c];
      }
    }
  });
  return info.Env().Undefined();
}

// batchNormActivationTrainingGrad(dy, x, channels, mean, inverseStd, gamma, beta | null,
//                                 activation, dx, dGamma, dBeta)
// With swish, the gradient at the BN output (du) is recomputed from x in both passes rather than
// written by the first and read by the second: the loops are bound by memory traffic (24 bytes
// an element this way, 32 with du stored), not by the second sigmoid.
Napi::Value batchNormActivationTrainingGrad(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "dy");
  const float* dy = floatArray(info[0], "dy");
  const float* x = floatArray(info[1], "x", size);
  const int64_t channels = info[2].As<Napi::Number>().Int64Value();
  if (channels <= 0 || size == 0 || size % channels != 0) throw std::invalid_argument("bad channel count");
  const float* mean = floatArray(info[3], "mean", channels);
  const float* inverseStd = floatArray(info[4], "inverseStd", channels);
  const float* gamma = floatArray(info[5], "gamma", channels);
  // beta only shapes the input of the activation; linear BN's gradient does not read it.
  const float* beta = optionalFloatArray(info[6], "beta", channels);
  const Activation activation = activationOf(info[7]);
  if (activation != kLinear && beta == nullptr) throw std::invalid_argument("beta is required with an activation");
  float* dx = floatArray(info[8], "dx", size);
  float* dGamma = floatArray(info[9], "dGamma", channels);
  float* dBeta = floatArray(info[10], "dBeta", channels);
  const int64_t rows = size / channels;
  std::vector<float> scale(channels);
  for (int64_t c = 0; c < channels; ++c) scale[c] = gamma[c] * inverseStd[c];
  const float* s = scale.data();

  // sum(du) in [0, C), sum(du * (x - mean)) in [C, 2C).
  const std::vector<double> sums = columnSums(
      rows, 2 * channels, (activation == kSwish ? 10 : 2) * channels,
      [&](int64_t begin, int64_t end, float* acc) {
        float* products = acc + channels;
        const float* m = mean;
        const float* b = beta;
        for (int64_t row = begin; row < end; ++row) {
          const float* in = x + row * channels;
          const float* gradient = dy + row * channels;
          if (activation == kSwish) {
#pragma omp simd
            for (int64_t c = 0; c < channels; ++c) {
              const float centered = in[c] - m[c];
              const float g = swishGradient(gradient[c], centered * s[c] + b[c]);
              acc[c] += g;
              products[c] += g * centered;
            }
          } else {
#pragma omp simd
            for (int64_t c = 0; c < channels; ++c) {
              acc[c] += gradient[c];
              products[c] += gradient[c] * (in[c] - m[c]);
            }
          }
        }
      });
  std::vector<float> slope(channels), shift(channels);
  for (int64_t c = 0; c < channels; ++c) {
    dBeta[c] = static_cast<float>(sums[c]);
    dGamma[c] = static_cast<float>(sums[channels + c] * inverseStd[c]);
    // dx = scale * (du - mean(du) - xhat * mean(du * xhat)), xhat = (x - mean) * inverseStd
    slope[c] = static_cast<float>(-scale[c] * inverseStd[c] * (sums[channels + c] * inverseStd[c]) / rows);
    shift[c] = static_cast<float>(-scale[c] * sums[c] / rows);
  }
  parallelFor(rows, (activation == kSwish ? 10 : 1) * channels, [&](int64_t begin, int64_t end) {
    const float* m = mean;
    const float* b = beta;
    const float* k = slope.data();
    const float* t = shift.data();
    for (int64_t row = begin; row < end; ++row) {
      const float* gradient = dy + row * channels;
      const float* in = x + row * channels;
      float* out = dx + row * channels;
      if (activation == kSwish) {
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) {
          const float centered = in[c] - m[c];
          const float g = swishGradient(gradient[c], centered * s[c] + b[c]);
          out[c] = g * s[c] + centered * k[c] + t[c];
        }
      } else {
#pragma omp simd
        for (int64_t c = 0; c < channels; ++c) {
          out[c] = gradient[c] * s[c] + (in[c] - m[c]) * k[c] + t[c];
        }
      }
    }
  });
  return info.Env().Undefined();
}

// depthwiseBackwardWeights(x, dy, dFilter, dims): the weight gradient of a depthwise convolution
// with channel multiplier 1 and no dilation; dims as conv.cc reads them (18 integers), dFilter
// [kH, kW, C, 1]. Each thread sums a share of the output rows into its own k*k*C partial.
Napi::Value depthwiseBackwardWeights(const Napi::CallbackInfo& info) {
  const std::vector<int64_t> d = intList(info[3], "convolution dims");
  if (d.size() != 18) throw std::invalid_argument("convolution dims must hold 18 integers");
  const int64_t batch = d[0], inHeight = d[1], inWidth = d[2], channels = d[3];
  const int64_t outHeight = d[4], outWidth = d[5], outChannels = d[6];
  const int64_t filterHeight = d[7], filterWidth = d[8], strideHeight = d[9], strideWidth = d[10];
  const int64_t padTop = d[13], padLeft = d[14];
  if (d[17] == 0 || outChannels != channels || d[11] != 1 || d[12] != 1) {
    throw std::invalid_argument("depthwiseBackwardWeights takes multiplier 1 and no dilation");
  }
  const float* x = floatArray(info[0], "x", batch * inHeight * inWidth * channels);
  const float* dy = floatArray(info[1], "dy", batch * outHeight * outWidth * channels);
  const int64_t taps = filterHeight * filterWidth;
  float* dFilter = floatArray(info[2], "dFilter", taps * channels);
  const int64_t outRows = batch * outHeight;
  const int64_t width = taps * channels;
  const int chunks = threadsFor(outRows * outWidth * width, outRows);
  std::vector<double> partial(static_cast<size_t>(chunks) * width, 0.0);
#pragma omp parallel num_threads(chunks) if (chunks > 1)
  {
    const int chunk = omp_get_thread_num();
    std::vector<float> rowSums(width);
    std::vector<double> local(width, 0.0);
    for (int64_t outRow = outRows * chunk / chunks; outRow < outRows * (chunk + 1) / chunks; ++outRow) {
      const int64_t n = outRow / outHeight;
      const int64_t oh = outRow % outHeight;
      std::fill(rowSums.begin(), rowSums.end(), 0.f);
      for (int64_t kh = 0; kh < filterHeight; ++kh) {
        const int64_t ih = oh * strideHeight - padTop + kh;
        if (ih < 0 || ih >= inHeight) continue;
        const float* inRow = x + (n * inHeight + ih) * inWidth * channels;
        const float* gradientRow = dy + outRow * outWidth * channels;
        for (int64_t ow = 0; ow < outWidth; ++ow) {
          const float* gradient = gradientRow + ow * channels;
          for (int64_t kw = 0; kw < filterWidth; ++kw) {
            const int64_t iw = ow * strideWidth - padLeft + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const float* in = inRow + iw * channels;
            float* acc = rowSums.data() + (kh * filterWidth + kw) * channels;
#pragma omp simd
            for (int64_t c = 0; c < channels; ++c) acc[c] += in[c] * gradient[c];
          }
        }
      }
      for (int64_t k = 0; k < width; ++k) local[k] += rowSums[k];
    }
    std::copy(local.begin(), local.end(), partial.begin() + static_cast<size_t>(chunk) * width);
  }
  for (int64_t k = 0; k < width; ++k) {
    double sum = 0.0;
    for (int chunk = 0; chunk < chunks; ++chunk) sum += partial[static_cast<size_t>(chunk) * width + k];
    dFilter[k] = static_cast<float>(sum);
  }
  return info.Env().Undefined();
}

}  // namespace

void initMbconvTrain(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormActivationTraining",
              wrap(env, "batchNormActivationTraining", batchNormActivationTraining));
  exports.Set("batchNormActivationTrainingGrad",
              wrap(env, "batchNormActivationTrainingGrad", batchNormActivationTrainingGrad));
  exports.Set("depthwiseBackwardWeights", wrap(env, "depthwiseBackwardWeights", depthwiseBackwardWeights));
}

}  // namespace supernas
