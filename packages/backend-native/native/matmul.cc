// Batched matrix multiply through oneDNN's sgemm (row-major), with tfjs' batch broadcasting
// (batch index modulo each side's batch count), an optional bias and activation.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common.h"

namespace supernas {

namespace {

// matmul(a, b, bias | null, out, dims [batchA, batchB, M, N, K, transposeA, transposeB],
//        activation, alpha)
Napi::Value matmul(const Napi::CallbackInfo& info) {
  std::vector<int64_t> dims = intList(info[4], "matmul dims");
  if (dims.size() != 7) throw std::invalid_argument("matmul dims must hold 7 integers");
  const int64_t batchA = dims[0], batchB = dims[1], m = dims[2], n = dims[3], k = dims[4];
  const bool transposeA = dims[5] != 0, transposeB = dims[6] != 0;
  const int64_t batch = std::max(batchA, batchB);
  float* a = floatArray(info[0], "a", batchA * m * k);
  float* b = floatArray(info[1], "b", batchB * k * n);
  const int64_t biasLength = info[2].IsNull() ? 0 : floatArrayLength(info[2], "bias");
  if (biasLength != 0 && biasLength != 1 && biasLength != n) {
    throw std::invalid_argument("bias must hold 1 or N floats");
  }
  float* bias = optionalFloatArray(info[2], "bias");
  float* out = floatArray(info[3], "out", batch * m * n);
  const int activation = info[5].As<Napi::Number>().Int32Value();
  const float alpha = info[6].As<Napi::Number>().FloatValue();

  {
  ThreadScope threads(batch * m * n * k);
  for (int64_t bi = 0; bi < batch; ++bi) {
    const float* aBatch = a + (bi % batchA) * m * k;
    const float* bBatch = b + (bi % batchB) * k * n;
    float* outBatch = out + bi * m * n;
    if (k == 0) {
      std::fill(outBatch, outBatch + m * n, 0.f);
      continue;
    }
    dnnl_status_t status = dnnl_sgemm(transposeA ? 'T' : 'N', transposeB ? 'T' : 'N', m, n, k, 1.f,
                                      aBatch, transposeA ? m : k, bBatch, transposeB ? k : n, 0.f,
                                      outBatch, n);
    if (status != dnnl_success) throw std::runtime_error("dnnl_sgemm failed");
  }
  }
  if (bias) {
    const int64_t rows = batch * m;
    parallelFor(rows, n, [&](int64_t begin, int64_t end) {
      for (int64_t row = begin; row < end; ++row) {
        float* line = out + row * n;
        if (biasLength == 1) {
          for (int64_t j = 0; j < n; ++j) line[j] += bias[0];
        } else {
          for (int64_t j = 0; j < n; ++j) line[j] += bias[j];
        }
      }
    });
  }
  applyActivation(out, out, batch * m * n, activation, alpha);
  return info.Env().Undefined();
}

}  // namespace

void initMatmul(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", wrap(env, "matmul", matmul));
}

}  // namespace supernas
