// Shared by the addon's two halves: the MPI state of this process, one collective call and its
// outcome, and the polling loop (collective-loop.cc) that the N-API bindings (mpi-addon.cc) run.
#pragma once

#include <mpi.h>

#include <atomic>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace supernas_mpi {

constexpr int kArrivalTag = 7301;
constexpr double kHeartbeatSeconds = 0.25;

enum class Kind { Allreduce, Broadcast, Allgather, Barrier };
enum class Reduction { Sum, Mean, Max, Min };

struct State {
  bool initialized = false;
  bool finalized = false;
  // A collective that timed out or failed is still pending inside MPI: MPI_Finalize would wait
  // for it forever, so the process must end through MPI_Abort instead.
  std::atomic<bool> poisoned{false};  // set on a worker, read at exit
  int rank = 0;
  int size = 1;
  int threadLevel = 0;
  MPI_Comm data = MPI_COMM_NULL;
  MPI_Comm watch = MPI_COMM_NULL;
  // The highest sequence number each rank announced; read from the JS thread while a worker
  // polls (a SIGTERM report), hence atomic.
  std::unique_ptr<std::atomic<long long>[]> lastSeen;
  // When this rank last heard from each rank (seconds on steady_clock, -1: never): a rank polling
  // a collective re-announces it every kHeartbeatSeconds, so one that went silent inside it
  // (stopped, hung, starved) can be told from one that is merely slow.
  std::unique_ptr<std::atomic<double>[]> lastHeard;
  std::atomic<bool> inFlight{false};
  std::vector<char> sendCopy;  // the send side of a large allreduce (see start())
  std::deque<std::pair<MPI_Request, std::unique_ptr<long long>>> announcements;
};

extern State state;

struct Operation {
  Kind kind = Kind::Barrier;
  void* buffer = nullptr;        // in place for allreduce / broadcast, the send side of allgather
  void* receive = nullptr;       // allgather's output
  long long count = 0;           // elements (allreduce) or bytes (broadcast, allgather)
  bool isDouble = false;
  Reduction reduction = Reduction::Sum;
  int root = 0;
  double timeoutSeconds = 0;     // <= 0: no deadline
  long long sequence = 0;
};

struct Outcome {
  int status = 0;  // 0 done, 1 timed out, 2 MPI error
  std::string error;
  double seconds = 0;
  std::vector<long long> lastSeen;
  std::vector<double> silentSeconds;  // per rank, since last heard (-1: never heard)
};

std::string errorString(int code);
std::vector<long long> lastSeenSnapshot();
// Seconds since each rank was last heard from (-1: never; 0 for this rank).
std::vector<double> silenceSnapshot();
double steadySeconds();
// Starts the collective and polls it to completion or to its deadline; marks the process
// poisoned on a timeout or an MPI error.
Outcome run(const Operation& operation);

}  // namespace supernas_mpi
