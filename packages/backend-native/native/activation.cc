// tfjs' fused activations applied in place, with tfjs cpu's NaN semantics. oneDNN's relu (alpha 0)
// and clip are max/min instructions that return the bound for a NaN input; tfjs' Math.max /
// Math.min keep NaN, and a NaN that turns into 0 hides a diverged training run.
#include <algorithm>
#include <cmath>

#include "common.h"

namespace supernas {

bool activationKeepsNaNInOneDnn(int activation) { return activation != 1 && activation != 2; }

void applyActivation(const float* in, float* out, int64_t count, int activation, float alpha) {
  if (activation == 0) {
    if (in != out) std::copy(in, in + count, out);
    return;
  }
  parallelFor(count, activation == 3 || activation == 5 ? 20 : 1, [&](int64_t begin, int64_t end) {
    // `v < 0 ? 0 : v` is false for NaN, so NaN passes through; it still compiles to vmaxps.
    switch (activation) {
      case 1:
        for (int64_t i = begin; i < end; ++i) out[i] = in[i] < 0.f ? 0.f : in[i];
        break;
      case 2:
        for (int64_t i = begin; i < end; ++i) {
          out[i] = in[i] < 0.f ? 0.f : (in[i] > 6.f ? 6.f : in[i]);
        }
        break;
      case 3:
        for (int64_t i = begin; i < end; ++i) out[i] = in[i] < 0.f ? std::expm1(in[i]) : in[i];
        break;
      case 4:
        for (int64_t i = begin; i < end; ++i) out[i] = in[i] < 0.f ? alpha * in[i] : in[i];
        break;
      case 5:
        for (int64_t i = begin; i < end; ++i) out[i] = 1.f / (1.f + std::exp(-in[i]));
        break;
      default:
        break;
    }
  });
}

}  // namespace supernas
