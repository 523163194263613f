// One strided copy serves Transpose, Tile, Slice, StridedSlice, Pad and Concat: the JS side
// describes each as sizes plus source and destination strides (tile repeats are stride-0 dims).
// Dims that are contiguous in both source and destination merge, so most copies become runs of
// memcpy over long rows.
#include <cstring>
#include <stdexcept>

#include "common.h"

namespace supernas {

namespace {

// stridedCopy(src, dst, sizes, srcStrides, srcOffset, dstStrides, dstOffset)
Napi::Value stridedCopy(const Napi::CallbackInfo& info) {
  const float* src = floatArray(info[0], "src");
  float* dst = floatArray(info[1], "dst");
  const int64_t srcLength = floatArrayLength(info[0], "src");
  const int64_t dstLength = floatArrayLength(info[1], "dst");
  const std::vector<int64_t> rawSizes = intList(info[2], "sizes");
  const std::vector<int64_t> rawSrcStrides = intList(info[3], "srcStrides");
  const int64_t srcOffset = info[4].As<Napi::Number>().Int64Value();
  const std::vector<int64_t> rawDstStrides = intList(info[5], "dstStrides");
  const int64_t dstOffset = info[6].As<Napi::Number>().Int64Value();
  if (rawSrcStrides.size() != rawSizes.size() || rawDstStrides.size() != rawSizes.size()) {
    throw std::invalid_argument("sizes and strides must have the same length");
  }
  // Bounds: the extreme offsets each side can reach must stay inside its array.
  int64_t srcLow = srcOffset, srcHigh = srcOffset, dstLow = dstOffset, dstHigh = dstOffset;
  for (size_t d = 0; d < rawSizes.size(); ++d) {
    if (rawSizes[d] <= 0) return info.Env().Undefined();
    const int64_t srcSpan = (rawSizes[d] - 1) * rawSrcStrides[d];
    const int64_t dstSpan = (rawSizes[d] - 1) * rawDstStrides[d];
    (srcSpan < 0 ? srcLow : srcHigh) += srcSpan;
    (dstSpan < 0 ? dstLow : dstHigh) += dstSpan;
  }
  if (srcLow < 0 || srcHigh >= srcLength || dstLow < 0 || dstHigh >= dstLength) {
    throw std::invalid_argument("strided copy reaches outside its arrays");
  }
  std::vector<int64_t> sizes, srcStrides, dstStrides;
  for (size_t d = 0; d < rawSizes.size(); ++d) {
    if (rawSizes[d] == 1) continue;
    if (!sizes.empty() && srcStrides.back() == rawSrcStrides[d] * rawSizes[d] &&
        dstStrides.back() == rawDstStrides[d] * rawSizes[d]) {
      sizes.back() *= rawSizes[d];
      srcStrides.back() = rawSrcStrides[d];
      dstStrides.back() = rawDstStrides[d];
      continue;
    }
    sizes.push_back(rawSizes[d]);
    srcStrides.push_back(rawSrcStrides[d]);
    dstStrides.push_back(rawDstStrides[d]);
  }
  if (sizes.empty()) {
    dst[dstOffset] = src[srcOffset];
    return info.Env().Undefined();
  }
  const size_t outerDims = sizes.size() - 1;
  const int64_t inner = sizes.back();
  const int64_t srcInner = srcStrides.back(), dstInner = dstStrides.back();
  int64_t outer = 1;
  for (size_t d = 0; d < outerDims; ++d) outer *= sizes[d];
  parallelFor(outer, inner, [&](int64_t begin, int64_t end) {
    std::vector<int64_t> coords(outerDims, 0);
    int64_t srcAt = srcOffset, dstAt = dstOffset, remainder = begin;
    for (size_t d = outerDims; d-- > 0;) {
      coords[d] = remainder % sizes[d];
      remainder /= sizes[d];
      srcAt += coords[d] * srcStrides[d];
      dstAt += coords[d] * dstStrides[d];
    }
    for (int64_t row = begin; row < end; ++row) {
      if (srcInner == 1 && dstInner == 1) {
        std::memcpy(dst + dstAt, src + srcAt, sizeof(float) * inner);
      } else if (srcInner == 0) {
        const float value = src[srcAt];
        for (int64_t i = 0; i < inner; ++i) dst[dstAt + i * dstInner] = value;
      } else {
        for (int64_t i = 0; i < inner; ++i) dst[dstAt + i * dstInner] = src[srcAt + i * srcInner];
      }
      for (size_t d = outerDims; d-- > 0;) {
        srcAt += srcStrides[d];
        dstAt += dstStrides[d];
        if (++coords[d] < sizes[d]) break;
        srcAt -= coords[d] * srcStrides[d];
        dstAt -= coords[d] * dstStrides[d];
        coords[d] = 0;
      }
    }
  });
  return info.Env().Undefined();
}

}  // namespace

void initLayout(Napi::Env env, Napi::Object exports) {
  exports.Set("stridedCopy", wrap(env, "stridedCopy", stridedCopy));
}

}  // namespace supernas
