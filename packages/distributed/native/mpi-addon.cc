// The `supernas_mpi` addon: a thin Node-API binding over the system's Open MPI.
//
// Every collective is started non-blocking and completed by polling MPI_Test against a
// deadline, so a collective that a dead or hung rank never joins returns a timeout instead of
// blocking forever. Before each collective a rank announces its sequence number to every other
// rank on a private communicator; on a timeout the announcements received so far say which ranks
// never arrived. The same loop runs on the JS thread (the *Sync functions) or on a libuv worker
// (the async ones, through Napi::AsyncWorker), never on both at once: the JS side queues calls,
// so MPI_THREAD_SERIALIZED is enough.
#include <napi.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>

#include "mpi-state.h"

namespace {

using namespace supernas_mpi;

Napi::Array numbers(Napi::Env env, const std::vector<double>& values) {
  Napi::Array result = Napi::Array::New(env, values.size());
  for (size_t i = 0; i < values.size(); ++i) result.Set(static_cast<uint32_t>(i), values[i]);
  return result;
}

Napi::Value outcomeValue(Napi::Env env, const Outcome& outcome) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("status", outcome.status == 0   ? "done"
                       : outcome.status == 1 ? "timeout"
                                             : "error");
  result.Set("seconds", outcome.seconds);
  if (outcome.status != 0) {
    result.Set("error", outcome.error);
    Napi::Array lastSeen = Napi::Array::New(env, outcome.lastSeen.size());
    for (size_t i = 0; i < outcome.lastSeen.size(); ++i)
      lastSeen.Set(static_cast<uint32_t>(i), static_cast<double>(outcome.lastSeen[i]));
    result.Set("lastSeen", lastSeen);
    result.Set("silentSeconds", numbers(env, outcome.silentSeconds));
  }
  return result;
}

void requireInitialized() {
  if (!state.initialized || state.finalized)
    throw std::runtime_error("MPI is not initialized (call init() first) or already finalized");
}

Reduction reductionOf(const std::string& name) {
  if (name == "sum") return Reduction::Sum;
  if (name == "mean") return Reduction::Mean;
  if (name == "max") return Reduction::Max;
  if (name == "min") return Reduction::Min;
  throw std::invalid_argument("reduction must be 'sum', 'mean', 'max' or 'min', but got '" + name +
                              "'");
}

void* bytesOf(const Napi::Value& value, const char* name, size_t* length) {
  if (!value.IsTypedArray()) throw std::invalid_argument(std::string(name) + " must be a typed array");
  Napi::TypedArray array = value.As<Napi::TypedArray>();
  *length = array.ByteLength();
  return static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
}

// Arguments: kind, buffer, receive|reduction|root, timeoutSeconds, sequence.
Operation parse(const Napi::CallbackInfo& info) {
  requireInitialized();
  if (state.poisoned)
    throw std::runtime_error(
        "an earlier collective timed out or failed; this process must end (MPI_Abort)");
  Operation operation;
  const std::string kind = info[0].As<Napi::String>().Utf8Value();
  operation.timeoutSeconds = info[3].As<Napi::Number>().DoubleValue();
  operation.sequence = info[4].As<Napi::Number>().Int64Value();
  size_t length = 0;
  if (kind == "allreduce") {
    operation.kind = Kind::Allreduce;
    operation.buffer = bytesOf(info[1], "buffer", &length);
    const napi_typedarray_type type = info[1].As<Napi::TypedArray>().TypedArrayType();
    if (type != napi_float32_array && type != napi_float64_array)
      throw std::invalid_argument("allreduce: buffer must be a Float32Array or Float64Array");
    operation.isDouble = type == napi_float64_array;
    operation.count = static_cast<long long>(length / (operation.isDouble ? 8 : 4));
    operation.reduction = reductionOf(info[2].As<Napi::String>().Utf8Value());
  } else if (kind == "broadcast") {
    operation.kind = Kind::Broadcast;
    operation.buffer = bytesOf(info[1], "buffer", &length);
    operation.count = static_cast<long long>(length);
    operation.root = info[2].As<Napi::Number>().Int32Value();
    if (operation.root < 0 || operation.root >= state.size)
      throw std::invalid_argument("broadcast: root must be a rank in [0, " +
                                  std::to_string(state.size) + ")");
  } else if (kind == "allgather") {
    operation.kind = Kind::Allgather;
    operation.buffer = bytesOf(info[1], "buffer", &length);
    operation.count = static_cast<long long>(length);
    size_t receiveLength = 0;
    operation.receive = bytesOf(info[2], "receive", &receiveLength);
    if (receiveLength != length * static_cast<size_t>(state.size))
      throw std::invalid_argument("allgather: receive must hold size * buffer bytes");
  } else if (kind == "barrier") {
    operation.kind = Kind::Barrier;
  } else {
    throw std::invalid_argument("unknown collective '" + kind + "'");
  }
  if (operation.count > 0x7fffffffLL)
    throw std::invalid_argument("collective buffers are limited to 2^31 - 1 elements per call");
  return operation;
}

class CollectiveWorker : public Napi::AsyncWorker {
 public:
  CollectiveWorker(Napi::Env env, Operation operation, Napi::Value keepAlive)
      : Napi::AsyncWorker(env, "supernas_mpi_collective"),
        deferred_(Napi::Promise::Deferred::New(env)),
        operation_(operation) {
    // The typed arrays must outlive the worker: the GC must not free what MPI writes into.
    keepAlive_ = Napi::Persistent(keepAlive.As<Napi::Object>());
  }

  Napi::Promise promise() { return deferred_.Promise(); }

  void Execute() override { outcome_ = run(operation_); }
  void OnOK() override {
    keepAlive_.Reset();
    deferred_.Resolve(outcomeValue(Env(), outcome_));
  }
  void OnError(const Napi::Error& error) override {
    keepAlive_.Reset();
    deferred_.Reject(error.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Operation operation_;
  Outcome outcome_;
  Napi::ObjectReference keepAlive_;
};

void finalizeAtExit() {
  // A collective still running on a worker (the process is exiting on a signal) would make
  // MPI_Finalize wait for it.
  if (state.initialized && !state.finalized && !state.poisoned && !state.inFlight.load()) {
    state.finalized = true;
    MPI_Finalize();
  }
}

Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (state.finalized) throw std::runtime_error("MPI was already finalized in this process");
  if (!state.initialized) {
    int already = 0;
    MPI_Initialized(&already);
    if (!already) {
      // With 2 or 3 ranks, coll/libnbc always picks a binomial tree for allreduce (a reduce to
      // one rank, then a broadcast); a ring moves half the bytes at the same number of steps.
      // Only the environment can choose, before MPI_Init; a user's own choice stays.
      const char* worldSize = std::getenv("OMPI_COMM_WORLD_SIZE");
      if (worldSize != nullptr && (std::strcmp(worldSize, "2") == 0 || std::strcmp(worldSize, "3") == 0))
        setenv("OMPI_MCA_coll_libnbc_iallreduce_algorithm", "1", 0);
      int provided = 0;
      const int code = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
      if (code != MPI_SUCCESS) throw std::runtime_error("MPI_Init_thread failed: " + errorString(code));
      state.threadLevel = provided;
      std::atexit(finalizeAtExit);
    } else {
      MPI_Query_thread(&state.threadLevel);
    }
    if (state.threadLevel < MPI_THREAD_SERIALIZED)
      throw std::runtime_error(
          "this MPI provides no MPI_THREAD_SERIALIZED support; collectives run on worker threads");
    MPI_Comm_rank(MPI_COMM_WORLD, &state.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &state.size);
    MPI_Comm_dup(MPI_COMM_WORLD, &state.data);
    MPI_Comm_dup(MPI_COMM_WORLD, &state.watch);
    // Errors come back as codes (turned into JS errors) instead of aborting inside MPI.
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(state.data, MPI_ERRORS_RETURN);
    MPI_Comm_set_errhandler(state.watch, MPI_ERRORS_RETURN);
    state.lastSeen.reset(new std::atomic<long long>[state.size]);
    for (int peer = 0; peer < state.size; ++peer) state.lastSeen[peer].store(-1);
    state.lastHeard.reset(new std::atomic<double>[state.size]);
    for (int peer = 0; peer < state.size; ++peer) state.lastHeard[peer].store(-1.0);
    state.initialized = true;
  }
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(version, &length);
  char host[MPI_MAX_PROCESSOR_NAME];
  int hostLength = 0;
  MPI_Get_processor_name(host, &hostLength);
  Napi::Object result = Napi::Object::New(env);
  result.Set("rank", state.rank);
  result.Set("size", state.size);
  result.Set("threadLevel", state.threadLevel == MPI_THREAD_MULTIPLE     ? "multiple"
                            : state.threadLevel == MPI_THREAD_SERIALIZED ? "serialized"
                                                                         : "funneled");
  std::string text(version, length);
  const size_t newline = text.find('\n');
  text = text.substr(0, std::min(newline, text.find('\0')));
  result.Set("library", text);
  result.Set("host", std::string(host, hostLength));
  return result;
}

Napi::Value Collective(const Napi::CallbackInfo& info) {
  const Operation operation = parse(info);
  return outcomeValue(info.Env(), run(operation));
}

Napi::Value CollectiveAsync(const Napi::CallbackInfo& info) {
  const Operation operation = parse(info);
  Napi::Array keep = Napi::Array::New(info.Env(), 2);
  keep.Set(0u, info[1]);
  keep.Set(1u, info[2]);
  auto* worker = new CollectiveWorker(info.Env(), operation, keep);
  Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

Napi::Value LastSeen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!state.initialized) return Napi::Array::New(env, 0);
  const std::vector<long long> seen = lastSeenSnapshot();
  Napi::Array result = Napi::Array::New(env, seen.size());
  for (size_t i = 0; i < seen.size(); ++i)
    result.Set(static_cast<uint32_t>(i), static_cast<double>(seen[i]));
  return result;
}

Napi::Value SilentSeconds(const Napi::CallbackInfo& info) {
  if (!state.initialized) return Napi::Array::New(info.Env(), 0);
  return numbers(info.Env(), silenceSnapshot());
}

Napi::Value Finalize(const Napi::CallbackInfo& info) {
  const bool wasPoisoned = state.poisoned;
  finalizeAtExit();
  return Napi::Boolean::New(info.Env(), !wasPoisoned);
}

Napi::Value Abort(const Napi::CallbackInfo& info) {
  const int code = info[0].As<Napi::Number>().Int32Value();
  state.poisoned = true;
  MPI_Abort(MPI_COMM_WORLD, code);
  return info.Env().Undefined();
}

Napi::Object Module(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init));
  exports.Set("collective", Napi::Function::New(env, Collective));
  exports.Set("collectiveAsync", Napi::Function::New(env, CollectiveAsync));
  exports.Set("lastSeen", Napi::Function::New(env, LastSeen));
  exports.Set("silentSeconds", Napi::Function::New(env, SilentSeconds));
  exports.Set("finalize", Napi::Function::New(env, Finalize));
  exports.Set("abort", Napi::Function::New(env, Abort));
  return exports;
}

}  // namespace

NODE_API_MODULE(supernas_mpi, Module)
