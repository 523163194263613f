#pragma once

#include <omp.h>

#include <algorithm>
#include <cstdint>

namespace supernas {

// Threads set through setNumThreads (default: OpenMP's initial maximum).
int configuredThreads();
void setConfiguredThreads(int threads);

// Ops below this many multiply-adds (or element operations) run on the calling thread alone:
// waking the other OpenMP threads costs more than they save, and on a busy machine a parallel
// region can wait a whole scheduler time slice for a descheduled thread.
constexpr int64_t kThreadWorkThreshold = 1 << 18;

// Limits oneDNN (which reads omp_get_max_threads() when it creates and runs a primitive) to one
// thread for small ops, restoring the configured count when it goes out of scope.
class ThreadScope {
 public:
  explicit ThreadScope(int64_t work) {
    if (work < kThreadWorkThreshold && configuredThreads() > 1) {
      omp_set_num_threads(1);
      limited_ = true;
    }
  }
  ~ThreadScope() {
    if (limited_) omp_set_num_threads(configuredThreads());
  }
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;

 private:
  bool limited_ = false;
};

// Below this much work (elements x cost) a parallel region costs more than it saves.
constexpr int64_t kParallelThreshold = 1 << 15;

template <typename Body>
void parallelFor(int64_t count, int64_t costPerItem, Body body) {
  if (count <= 0) return;
  const int threads = omp_get_max_threads();
  if (threads <= 1 || count < 2 || count * costPerItem < kParallelThreshold) {
    body(int64_t{0}, count);
    return;
  }
  const int64_t chunks = std::min<int64_t>(threads, count);
#pragma omp parallel num_threads(static_cast<int>(chunks))
  {
    const int64_t chunk = omp_get_thread_num();
    const int64_t begin = count * chunk / chunks;
    const int64_t end = count * (chunk + 1) / chunks;
    if (begin < end) body(begin, end);
  }
}

}  // namespace supernas
