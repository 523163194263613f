// Reductions over any set of axes. Adjacent axes collapse, then each run of reduced axes is
// reduced as an [outer, reduced, inner] problem, innermost run first. Sums accumulate in double,
// as tfjs' JavaScript loops do, so long sums (batch statistics) agree with the cpu backend.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common.h"

namespace supernas {

namespace {

struct SumOp {
  static double init() { return 0.0; }
  static double combine(double acc, double value) { return acc + value; }
};
struct ProdOp {
  static double init() { return 1.0; }
  static double combine(double acc, double value) { return acc * value; }
};
struct MaxOp {
  static double init() { return -std::numeric_limits<double>::infinity(); }
  static double combine(double acc, double value) {
    return value > acc || value != value ? value : acc;
  }
};
struct MinOp {
  static double init() { return std::numeric_limits<double>::infinity(); }
  static double combine(double acc, double value) {
    return value < acc || value != value ? value : acc;
  }
};

// Reduces in[begin, end) with eight independent accumulators, so the loop is not one long
// chain of dependent additions.
template <typename Op, typename In>
double reduceRow(const In* in, int64_t begin, int64_t end) {
  double lanes[8];
  for (double& lane : lanes) lane = Op::init();
  int64_t r = begin;
  for (; r + 8 <= end; r += 8) {
    for (int lane = 0; lane < 8; ++lane) lanes[lane] = Op::combine(lanes[lane], in[r + lane]);
  }
  for (; r < end; ++r) lanes[0] = Op::combine(lanes[0], in[r]);
  double value = lanes[0];
  for (int lane = 1; lane < 8; ++lane) value = Op::combine(value, lanes[lane]);
  return value;
}

// out[a, b] = reduce over r of in[a, r, b].
template <typename Op, typename In>
void reduceMiddle(const In* in, int64_t outer, int64_t reduced, int64_t inner, double* out) {
  const int threads = omp_get_max_threads();
  const bool splitReduced = outer < threads && reduced >= 2 * threads &&
                            outer * reduced * inner >= kParallelThreshold;
  if (!splitReduced) {
    parallelFor(outer, reduced * inner, [&](int64_t begin, int64_t end) {
      std::vector<double> acc(inner);
      for (int64_t a = begin; a < end; ++a) {
        std::fill(acc.begin(), acc.end(), Op::init());
        const In* block = in + a * reduced * inner;
        if (inner == 1) {
          acc[0] = reduceRow<Op>(block, 0, reduced);
        } else {
          for (int64_t r = 0; r < reduced; ++r) {
            const In* row = block + r * inner;
            for (int64_t b = 0; b < inner; ++b) acc[b] = Op::combine(acc[b], row[b]);
          }
        }
        std::copy(acc.begin(), acc.end(), out + a * inner);
      }
    });
    return;
  }
  // Few outputs, long reductions (batch statistics): each thread reduces a slice of the rows.
  const int chunks = static_cast<int>(std::min<int64_t>(threads, reduced));
  std::vector<double> partial(static_cast<size_t>(chunks) * outer * inner, Op::init());
#pragma omp parallel num_threads(chunks)
  {
    const int chunk = omp_get_thread_num();
    const int64_t begin = reduced * chunk / chunks, end = reduced * (chunk + 1) / chunks;
    // A private accumulator: neighbouring threads' partial sums would share cache lines.
    std::vector<double> local(static_cast<size_t>(outer * inner), Op::init());
    double* acc = local.data();
    for (int64_t a = 0; a < outer; ++a) {
      const In* block = in + a * reduced * inner;
      double* accRow = acc + a * inner;
      if (inner == 1) {
        accRow[0] = reduceRow<Op>(block, begin, end);
      } else {
        for (int64_t r = begin; r < end; ++r) {
          const In* row = block + r * inner;
          for (int64_t b = 0; b < inner; ++b) accRow[b] = Op::combine(accRow[b], row[b]);
        }
      }
    }
    std::copy(local.begin(), local.end(), partial.begin() + static_cast<size_t>(chunk) * outer * inner);
  }
  for (int64_t i = 0; i < outer * inner; ++i) {
    double value = partial[i];
    for (int chunk = 1; chunk < chunks; ++chunk) {
      value = Op::combine(value, partial[static_cast<size_t>(chunk) * outer * inner + i]);
    }
    out[i] = value;
  }
}

template <typename Op>
void reduceAll(const float* x, std::vector<int64_t> sizes, std::vector<bool> reducedFlags,
               std::vector<double>& result) {
  // The first pass reads floats; later passes read the double partial results.
  std::vector<double> current;
  bool first = true;
  while (true) {
    int last = -1;
    for (int d = static_cast<int>(sizes.size()) - 1; d >= 0; --d) {
      if (reducedFlags[d]) {
        last = d;
        break;
      }
    }
    if (last < 0) break;
    int64_t outer = 1, inner = 1;
    for (int d = 0; d < last; ++d) outer *= sizes[d];
    for (size_t d = last + 1; d < sizes.size(); ++d) inner *= sizes[d];
    std::vector<double> next(static_cast<size_t>(outer * inner));
    if (first) {
      reduceMiddle<Op, float>(x, outer, sizes[last], inner, next.data());
    } else {
      reduceMiddle<Op, double>(current.data(), outer, sizes[last], inner, next.data());
    }
    first = false;
    current.swap(next);
    sizes.erase(sizes.begin() + last);
    reducedFlags.erase(reducedFlags.begin() + last);
  }
  if (first) {
    int64_t total = sizeOf(sizes);
    current.assign(x, x + total);
  }
  result.swap(current);
}

// reduce(op, x, shape, axes, out)
Napi::Value reduce(const Napi::CallbackInfo& info) {
  const std::string op = info[0].As<Napi::String>().Utf8Value();
  const std::vector<int64_t> shape = intList(info[2], "shape");
  const std::vector<int64_t> axes = intList(info[3], "axes");
  const float* x = floatArray(info[1], "x", sizeOf(shape));
  std::vector<bool> isReduced(shape.size(), false);
  int64_t reducedCount = 1;
  for (int64_t axis : axes) {
    if (axis < 0 || axis >= static_cast<int64_t>(shape.size())) throw std::invalid_argument("axis out of range");
    if (!isReduced[axis]) reducedCount *= shape[axis];
    isReduced[axis] = true;
  }
  const int64_t outSize = sizeOf(shape) / std::max<int64_t>(reducedCount, 1);
  float* out = floatArray(info[4], "out", reducedCount == 0 ? -1 : outSize);
  // Collapse: drop size-1 dims and merge neighbours that are both kept or both reduced.
  std::vector<int64_t> sizes;
  std::vector<bool> flags;
  for (size_t d = 0; d < shape.size(); ++d) {
    if (shape[d] == 1) continue;
    if (!sizes.empty() && flags.back() == isReduced[d]) {
      sizes.back() *= shape[d];
    } else {
      sizes.push_back(shape[d]);
      flags.push_back(isReduced[d]);
    }
  }
  std::vector<double> result;
  if (op == "sum" || op == "mean") reduceAll<SumOp>(x, sizes, flags, result);
  else if (op == "prod") reduceAll<ProdOp>(x, sizes, flags, result);
  else if (op == "max") reduceAll<MaxOp>(x, sizes, flags, result);
  else if (op == "min") reduceAll<MinOp>(x, sizes, flags, result);
  else throw std::invalid_argument("unknown reduction " + op);
  const double scale = op == "mean" ? 1.0 / static_cast<double>(reducedCount) : 1.0;
  const int64_t count = static_cast<int64_t>(result.size());
  for (int64_t i = 0; i < count; ++i) out[i] = static_cast<float>(result[i] * scale);
  return info.Env().Undefined();
}

}  // namespace

void initReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduce", wrap(env, "reduce", reduce));
}

}  // namespace supernas
