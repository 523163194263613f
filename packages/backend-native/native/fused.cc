// Fused training kernels: batch norm with batch statistics (forward and backward) and the swish
// gradient. Composed from tfjs ops these take 4-6 full-size passes each way; fused they take
// two or three, which is most of a small convolutional net's training step.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common.h"

namespace supernas {

namespace {

// Per-channel sums over the rows of a [rows, channels] array, in double, split across threads
// by rows with one partial sum per thread. `accumulate(begin, end, acc)` adds rows
// [begin, end) into `acc` (`width` doubles).
template <typename Accumulate>
std::vector<double> rowSums(int64_t rows, int64_t width, Accumulate accumulate) {
  const int threads = rows * width >= kParallelThreshold ? omp_get_max_threads() : 1;
  const int chunks = static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(threads, rows)));
  std::vector<double> partial(static_cast<size_t>(chunks) * width, 0.0);
#pragma omp parallel num_threads(chunks) if (chunks > 1)
  {
    const int chunk = omp_get_thread_num();
    // A private accumulator: neighbouring threads' partial sums would share cache lines.
    std::vector<double> local(width, 0.0);
    accumulate(rows * chunk / chunks, rows * (chunk + 1) / chunks, local.data());
    std::copy(local.begin(), local.end(), partial.begin() + static_cast<size_t>(chunk) * width);
  }
  std::vector<double> sums(width, 0.0);
  for (int chunk = 0; chunk < chunks; ++chunk) {
    for (int64_t k = 0; k < width; ++k) sums[k] += partial[static_cast<size_t>(chunk) * width + k];
  }
  return sums;
}

// batchNormTraining(x, channels, gamma, beta, epsilon, y, mean, inverseStd)
Napi::Value batchNormTraining(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "x");
  const float* x = floatArray(info[0], "x");
  const int64_t channels = info[1].As<Napi::Number>().Int64Value();
  if (channels <= 0 || size % channels != 0 || size == 0) throw std::invalid_argument("bad channel count");
  const float* gamma = floatArray(info[2], "gamma", channels);
  const float* beta = floatArray(info[3], "beta", channels);
  const double epsilon = info[4].As<Napi::Number>().DoubleValue();
  float* y = floatArray(info[5], "y", size);
  float* mean = floatArray(info[6], "mean", channels);
  float* inverseStd = floatArray(info[7], "inverseStd", channels);
  const int64_t rows = size / channels;

  const std::vector<double> sums = rowSums(rows, channels, [&](int64_t begin, int64_t end, double* acc) {
    for (int64_t row = begin; row < end; ++row) {
      const float* in = x + row * channels;
      for (int64_t c = 0; c < channels; ++c) acc[c] += in[c];
    }
  });
  for (int64_t c = 0; c < channels; ++c) mean[c] = static_cast<float>(sums[c] / rows);
  // Centred second pass: no cancellation for channels with a large mean.
  const std::vector<double> squares = rowSums(rows, channels, [&](int64_t begin, int64_t end, double* acc) {
    for (int64_t row = begin; row < end; ++row) {
      const float* in = x + row * channels;
      for (int64_t c = 0; c < channels; ++c) {
        const double centered = static_cast<double>(in[c]) - mean[c];
        acc[c] += centered * centered;
      }
    }
  });
  std::vector<float> scale(channels);
  for (int64_t c = 0; c < channels; ++c) {
    inverseStd[c] = static_cast<float>(1.0 / std::sqrt(squares[c] / rows + epsilon));
    scale[c] = gamma[c] * inverseStd[c];
  }
  parallelFor(rows, channels, [&](int64_t begin, int64_t end) {
    const float* m = mean;
    const float* s = scale.data();
    for (int64_t row = begin; row < end; ++row) {
      const float* in = x + row * channels;
      float* out = y + row * channels;
      for (int64_t c = 0; c < channels; ++c) out[c] = (in[c] - m[c]) * s[c] + beta[c];
    }
  });
  return info.Env().Undefined();
}

// batchNormTrainingGrad(dy, x, channels, mean, inverseStd, gamma, dx, dGamma, dBeta)
Napi::Value batchNormTrainingGrad(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "dy");
  const float* dy = floatArray(info[0], "dy");
  const float* x = floatArray(info[1], "x", size);
  const int64_t channels = info[2].As<Napi::Number>().Int64Value();
  if (channels <= 0 || size % channels != 0 || size == 0) throw std::invalid_argument("bad channel count");
  const float* mean = floatArray(info[3], "mean", channels);
  const float* inverseStd = floatArray(info[4], "inverseStd", channels);
  const float* gamma = floatArray(info[5], "gamma", channels);
  float* dx = floatArray(info[6], "dx", size);
  float* dGamma = floatArray(info[7], "dGamma", channels);
  float* dBeta = floatArray(info[8], "dBeta", channels);
  const int64_t rows = size / channels;

  // One pass for both sums: sum(dy) in acc[0, C), sum(dy * (x - mean)) in acc[C, 2C).
  const std::vector<double> sums = rowSums(rows, 2 * channels, [&](int64_t begin, int64_t end, double* acc) {
    double* products = acc + channels;
    for (int64_t row = begin; row < end; ++row) {
      const float* gradient = dy + row * channels;
      const float* in = x + row * channels;
      for (int64_t c = 0; c < channels; ++c) {
        acc[c] += gradient[c];
        products[c] += static_cast<double>(gradient[c]) * (in[c] - mean[c]);
      }
    }
  });
  std::vector<float> scale(channels), slope(channels), shift(channels);
  for (int64_t c = 0; c < channels; ++c) {
    dBeta[c] = static_cast<float>(sums[c]);
    dGamma[c] = static_cast<float>(sums[channels + c] * inverseStd[c]);
    scale[c] = gamma[c] * inverseStd[c];
    // dx = scale * (dy - mean(dy) - xhat * mean(dy * xhat)), xhat = (x - mean) * inverseStd
    slope[c] = static_cast<float>(-scale[c] * inverseStd[c] * (sums[channels + c] * inverseStd[c]) / rows);
    shift[c] = static_cast<float>(-scale[c] * sums[c] / rows);
  }
  parallelFor(rows, channels, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const float* gradient = dy + row * channels;
      const float* in = x + row * channels;
      float* out = dx + row * channels;
      for (int64_t c = 0; c < channels; ++c) {
        out[c] = gradient[c] * scale[c] + (in[c] - mean[c]) * slope[c] + shift[c];
      }
    }
  });
  return info.Env().Undefined();
}

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
  exports.Set("batchNormTraining", wrap(env, "batchNormTraining", batchNormTraining));
  exports.Set("batchNormTrainingGrad", wrap(env, "batchNormTrainingGrad", batchNormTrainingGrad));
  exports.Set("swishGrad", wrap(env, "swishGrad", swishGrad));
}

}  // namespace supernas
