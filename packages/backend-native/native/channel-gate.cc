// The backward passes of a squeeze-excite block's channel gate, y[n, h, w, c] = x[n, h, w, c] *
// gate[n, c], with the global average pool that feeds the gate (src/kernels/channel-gate-kernels.ts;
// the op is @supernas/elastic's squeeze-excite in a training pass):
//
// - channelGateGrad(dy, x, batch, channels, dGate): dGate[n, c] = sum over h, w of dy * x: one
//   read of dy and x, where tfjs runs a multiply (writing a full tensor) and a sum.
// - channelGateInputGrad(dy, gate, dPooled, batch, channels, area, dx): dx = dy * gate[n, c] +
//   dPooled[n, c] / area: the gate's and the pool's gradients in one pass, where tfjs runs a
//   multiply, a broadcast of the pool's gradient and an add, three full tensors written.
//
// Both split the work by sample only, so a result never depends on the thread count.
#include <algorithm>
#include <stdexcept>
#include <vector>

#include "common.h"

namespace supernas {

namespace {

// dy * gate + pooled with two roundings, as the tfjs ops it replaces: never a fused multiply-add
// (C++ lets GCC contract one otherwise). Not inlined, so no caller's options apply to it.
__attribute__((noinline, optimize("fp-contract=off"))) void gateRow(const float* dy,
                                                                     const float* gate,
                                                                     const float* pooled, float* dx,
                                                                     int64_t channels) {
#pragma omp simd
  for (int64_t c = 0; c < channels; ++c) dx[c] = dy[c] * gate[c] + pooled[c];
}

struct GateShape {
  int64_t batch;
  int64_t channels;
  int64_t area;
};

GateShape gateShape(const Napi::CallbackInfo& info, int64_t size, int batchArg, int channelsArg) {
  const int64_t batch = info[batchArg].As<Napi::Number>().Int64Value();
  const int64_t channels = info[channelsArg].As<Napi::Number>().Int64Value();
  if (batch <= 0 || channels <= 0 || size % (batch * channels) != 0 || size == 0)
    throw std::invalid_argument("channel gate: the tensor is not [batch, ..., channels]");
  return {batch, channels, size / (batch * channels)};
}

// channelGateGrad(dy, x, batch, channels, dGate)
Napi::Value channelGateGrad(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "dy");
  const GateShape s = gateShape(info, size, 2, 3);
  const float* dy = floatArray(info[0], "dy", size);
  const float* x = floatArray(info[1], "x", size);
  float* dGate = floatArray(info[4], "dGate", s.batch * s.channels);
  const int64_t channels = s.channels;
  // Rows of one sample are summed in float blocks of 64 (vector adds), the blocks in double.
  constexpr int64_t kBlock = 64;
  parallelFor(s.batch, s.area * channels * 2, [&](int64_t begin, int64_t end) {
    std::vector<float> block(channels);
    std::vector<double> total(channels);
    for (int64_t n = begin; n < end; ++n) {
      std::fill(total.begin(), total.end(), 0.0);
      const float* gradient = dy + n * s.area * channels;
      const float* in = x + n * s.area * channels;
      for (int64_t first = 0; first < s.area; first += kBlock) {
        std::fill(block.begin(), block.end(), 0.f);
        float* acc = block.data();
        const int64_t last = std::min(s.area, first + kBlock);
        for (int64_t row = first; row < last; ++row) {
          const float* g = gradient + row * channels;
          const float* v = in + row * channels;
#pragma omp simd
          for (int64_t c = 0; c < channels; ++c) acc[c] += g[c] * v[c];
        }
        for (int64_t c = 0; c < channels; ++c) total[c] += block[c];
      }
      for (int64_t c = 0; c < channels; ++c) dGate[n * channels + c] = static_cast<float>(total[c]);
    }
  });
  return info.Env().Undefined();
}

// channelGateInputGrad(dy, gate, dPooled, batch, channels, area, dx)
Napi::Value channelGateInputGrad(const Napi::CallbackInfo& info) {
  const int64_t size = floatArrayLength(info[0], "dy");
  const GateShape s = gateShape(info, size, 3, 4);
  const float area = static_cast<float>(info[5].As<Napi::Number>().DoubleValue());
  if (static_cast<int64_t>(area) != s.area)
    throw std::invalid_argument("channel gate: area does not match the tensor");
  const float* dy = floatArray(info[0], "dy", size);
  const float* gate = floatArray(info[1], "gate", s.batch * s.channels);
  const float* dPooled = floatArray(info[2], "dPooled", s.batch * s.channels);
  float* dx = floatArray(info[6], "dx", size);
  const int64_t channels = s.channels;
  const int64_t rows = s.batch * s.area;
  parallelFor(rows, channels * 2, [&](int64_t begin, int64_t end) {
    std::vector<float> pooled(channels);
    int64_t sample = -1;
    for (int64_t row = begin; row < end; ++row) {
      const int64_t n = row / s.area;
      if (n != sample) {
        sample = n;
        // As tfjs: the pool's gradient divided by the area in float, then added.
        for (int64_t c = 0; c < channels; ++c) pooled[c] = dPooled[n * channels + c] / area;
      }
      gateRow(dy + row * channels, gate + n * channels, pooled.data(), dx + row * channels, channels);
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void initChannelGate(Napi::Env env, Napi::Object exports) {
  exports.Set("channelGateGrad", wrap(env, "channelGateGrad", channelGateGrad));
  exports.Set("channelGateInputGrad", wrap(env, "channelGateInputGrad", channelGateInputGrad));
}

}  // namespace supernas
