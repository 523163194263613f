// The collective loop: announce this rank's arrival, start the non-blocking collective, poll it
// against the deadline, and on a timeout report which ranks never arrived.
#include <sched.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "mpi-state.h"

namespace supernas_mpi {

State state;

std::string errorString(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return std::string(text, length);
}

double steadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

namespace {

void reapAnnouncements() {
  while (!state.announcements.empty()) {
    int done = 0;
    MPI_Test(&state.announcements.front().first, &done, MPI_STATUS_IGNORE);
    if (!done) break;
    state.announcements.pop_front();
  }
}

void announce(long long sequence) {
  reapAnnouncements();
  for (int peer = 0; peer < state.size; ++peer) {
    if (peer == state.rank) continue;
    auto value = std::make_unique<long long>(sequence);
    MPI_Request request;
    if (MPI_Isend(value.get(), 1, MPI_LONG_LONG, peer, kArrivalTag, state.watch, &request) ==
        MPI_SUCCESS) {
      state.announcements.emplace_back(request, std::move(value));
    }
  }
}

void drainArrivals() {
  for (;;) {
    int pending = 0;
    MPI_Status status;
    if (MPI_Iprobe(MPI_ANY_SOURCE, kArrivalTag, state.watch, &pending, &status) != MPI_SUCCESS ||
        !pending)
      return;
    long long sequence = 0;
    MPI_Recv(&sequence, 1, MPI_LONG_LONG, status.MPI_SOURCE, kArrivalTag, state.watch,
             MPI_STATUS_IGNORE);
    std::atomic<long long>& seen = state.lastSeen[status.MPI_SOURCE];
    if (sequence > seen.load()) seen.store(sequence);
    state.lastHeard[status.MPI_SOURCE].store(steadySeconds());
  }
}

MPI_Op mpiOp(Reduction reduction) {
  switch (reduction) {
    case Reduction::Max:
      return MPI_MAX;
    case Reduction::Min:
      return MPI_MIN;
    default:
      return MPI_SUM;
  }
}

int start(const Operation& operation, MPI_Request* request) {
  const int count = static_cast<int>(operation.count);
  switch (operation.kind) {
    case Kind::Allreduce: {
      const MPI_Datatype type = operation.isDouble ? MPI_DOUBLE : MPI_FLOAT;
      const size_t bytes = static_cast<size_t>(operation.count) * (operation.isDouble ? 8 : 4);
      // Open MPI's non-blocking allreduce (coll/libnbc) falls back to a binomial tree, twice the
      // traffic of reduce-scatter + allgather, for any in-place call; from 4 ranks, a copy of a
      // large buffer buys the bandwidth-optimal algorithm.
      if (state.size >= 4 && bytes >= 65536) {
        state.sendCopy.resize(bytes);
        std::memcpy(state.sendCopy.data(), operation.buffer, bytes);
        return MPI_Iallreduce(state.sendCopy.data(), operation.buffer, count, type,
                              mpiOp(operation.reduction), state.data, request);
      }
      return MPI_Iallreduce(MPI_IN_PLACE, operation.buffer, count, type, mpiOp(operation.reduction),
                            state.data, request);
    }
    case Kind::Broadcast:
      return MPI_Ibcast(operation.buffer, count, MPI_BYTE, operation.root, state.data, request);
    case Kind::Allgather:
      return MPI_Iallgather(operation.buffer, count, MPI_BYTE, operation.receive, count, MPI_BYTE,
                            state.data, request);
    case Kind::Barrier:
      return MPI_Ibarrier(state.data, request);
  }
  return MPI_ERR_OTHER;
}

void divideBySize(const Operation& operation) {
  if (operation.isDouble) {
    double* values = static_cast<double*>(operation.buffer);
    const double size = state.size;
    for (long long i = 0; i < operation.count; ++i) values[i] /= size;
  } else {
    float* values = static_cast<float*>(operation.buffer);
    const float size = static_cast<float>(state.size);
    for (long long i = 0; i < operation.count; ++i) values[i] /= size;
  }
}

}  // namespace

std::vector<long long> lastSeenSnapshot() {
  std::vector<long long> result(state.size);
  for (int peer = 0; peer < state.size; ++peer) result[peer] = state.lastSeen[peer].load();
  return result;
}

std::vector<double> silenceSnapshot() {
  std::vector<double> result(state.size, 0.0);
  const double now = steadySeconds();
  for (int peer = 0; peer < state.size; ++peer) {
    if (peer == state.rank) continue;
    const double heard = state.lastHeard[peer].load();
    result[peer] = heard < 0 ? -1.0 : now - heard;
  }
  return result;
}

Outcome runPolling(const Operation& operation);

Outcome run(const Operation& operation) {
  state.inFlight.store(true);
  Outcome outcome = runPolling(operation);
  state.inFlight.store(false);
  return outcome;
}

// Polls the request to completion or to the deadline. Spinning first keeps small collectives
// fast; yielding leaves the cores to the other ranks (often oversubscribed onto fewer cores);
// short sleeps after a second stop a rank waiting for a late peer from burning a core.
Outcome runPolling(const Operation& operation) {
  using Clock = std::chrono::steady_clock;
  const auto began = Clock::now();
  Outcome outcome;
  announce(operation.sequence);
  MPI_Request request;
  int code = start(operation, &request);
  if (code == MPI_SUCCESS) {
    long long polls = 0;
    auto lastDrain = began;
    auto lastHeartbeat = began;
    for (;;) {
      int done = 0;
      code = MPI_Test(&request, &done, MPI_STATUS_IGNORE);
      if (code != MPI_SUCCESS || done) break;
      ++polls;
      const auto now = Clock::now();
      const double elapsed = std::chrono::duration<double>(now - began).count();
      if (now - lastDrain > std::chrono::milliseconds(100)) {
        drainArrivals();
        lastDrain = now;
      }
      if (std::chrono::duration<double>(now - lastHeartbeat).count() > kHeartbeatSeconds) {
        announce(operation.sequence);  // still here, still waiting
        lastHeartbeat = now;
      }
      if (operation.timeoutSeconds > 0 && elapsed > operation.timeoutSeconds) {
        state.poisoned = true;
        drainArrivals();
        outcome.status = 1;
        outcome.seconds = elapsed;
        outcome.lastSeen = lastSeenSnapshot();
        outcome.silentSeconds = silenceSnapshot();
        return outcome;
      }
      if (polls > 2000) {
        // Sleeping starves a transfer in progress (MPI progresses only inside MPI_Test), so
        // sleep only once the wait is long enough that a peer is surely late, not busy.
        if (elapsed > 1.0) {
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        } else {
          sched_yield();
        }
      }
    }
  }
  outcome.seconds = std::chrono::duration<double>(Clock::now() - began).count();
  if (code != MPI_SUCCESS) {
    state.poisoned = true;
    drainArrivals();
    outcome.status = 2;
    outcome.error = errorString(code);
    outcome.lastSeen = lastSeenSnapshot();
    outcome.silentSeconds = silenceSnapshot();
    return outcome;
  }
  if (operation.kind == Kind::Allreduce && operation.reduction == Reduction::Mean)
    divideBySize(operation);
  drainArrivals();
  return outcome;
}

}  // namespace supernas_mpi
