// Entry point of the `supernas_native` addon: shared helpers and the module's exports.
#include <omp.h>

#include <sstream>
#include <stdexcept>

#include "common.h"

namespace supernas {

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

static int threadCount = 0;

int configuredThreads() {
  if (threadCount == 0) threadCount = omp_get_max_threads();
  return threadCount;
}

void setConfiguredThreads(int threads) {
  threadCount = threads;
  omp_set_num_threads(threads);
}

static Napi::Float32Array asFloat32Array(const Napi::Value& value, const char* name) {
  if (!value.IsTypedArray() ||
      value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw std::invalid_argument(std::string(name) + " must be a Float32Array");
  }
  return value.As<Napi::Float32Array>();
}

float* floatArray(const Napi::Value& value, const char* name, int64_t expected) {
  Napi::Float32Array array = asFloat32Array(value, name);
  if (expected >= 0 && static_cast<int64_t>(array.ElementLength()) != expected) {
    std::ostringstream message;
    message << name << " must hold " << expected << " floats, but holds " << array.ElementLength();
    throw std::invalid_argument(message.str());
  }
  return array.Data();
}

float* optionalFloatArray(const Napi::Value& value, const char* name, int64_t expected) {
  if (value.IsNull() || value.IsUndefined()) return nullptr;
  return floatArray(value, name, expected);
}

int64_t floatArrayLength(const Napi::Value& value, const char* name) {
  return static_cast<int64_t>(asFloat32Array(value, name).ElementLength());
}

std::vector<int64_t> intList(const Napi::Value& value, const char* name) {
  std::vector<int64_t> result;
  if (value.IsTypedArray()) {
    Napi::TypedArray typed = value.As<Napi::TypedArray>();
    if (typed.TypedArrayType() == napi_int32_array) {
      Napi::Int32Array ints = value.As<Napi::Int32Array>();
      result.assign(ints.Data(), ints.Data() + ints.ElementLength());
      return result;
    }
  }
  if (!value.IsArray()) throw std::invalid_argument(std::string(name) + " must be an array of integers");
  Napi::Array array = value.As<Napi::Array>();
  result.reserve(array.Length());
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value item = array.Get(i);
    if (!item.IsNumber()) throw std::invalid_argument(std::string(name) + " must be an array of integers");
    result.push_back(item.As<Napi::Number>().Int64Value());
  }
  return result;
}

int64_t sizeOf(const std::vector<int64_t>& shape) {
  int64_t size = 1;
  for (int64_t dim : shape) size *= dim;
  return size;
}

std::string joinKey(const std::vector<int64_t>& values) {
  std::string key;
  key.reserve(values.size() * 4);
  for (int64_t value : values) {
    key += std::to_string(value);
    key += ',';
  }
  return key;
}

Napi::Function wrap(Napi::Env env, const char* name,
                    Napi::Value (*body)(const Napi::CallbackInfo&)) {
  std::string label(name);
  return Napi::Function::New(
      env,
      [body, label](const Napi::CallbackInfo& info) -> Napi::Value {
        try {
          return body(info);
        } catch (const Napi::Error&) {
          throw;
        } catch (const dnnl::error& error) {
          throw Napi::Error::New(info.Env(), "supernas_native." + label + ": oneDNN error " +
                                                 std::to_string(static_cast<int>(error.status)) +
                                                 ": " + error.what());
        } catch (const std::exception& error) {
          throw Napi::Error::New(info.Env(), "supernas_native." + label + ": " + error.what());
        }
      },
      name);
}

static Napi::Value version(const Napi::CallbackInfo& info) {
  const dnnl_version_t* dnnlVersion = dnnl_version();
  Napi::Object result = Napi::Object::New(info.Env());
  std::ostringstream text;
  text << dnnlVersion->major << '.' << dnnlVersion->minor << '.' << dnnlVersion->patch;
  result.Set("onednn", text.str());
  result.Set("cpuRuntime", dnnlVersion->cpu_runtime == DNNL_RUNTIME_OMP ? "omp" : "other");
  result.Set("threads", configuredThreads());
  const char* isa = "unknown";
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: isa = "sse41"; break;
    case dnnl::cpu_isa::avx: isa = "avx"; break;
    case dnnl::cpu_isa::avx2: isa = "avx2"; break;
    case dnnl::cpu_isa::avx512_core: isa = "avx512_core"; break;
    case dnnl::cpu_isa::avx512_core_vnni: isa = "avx512_core_vnni"; break;
    case dnnl::cpu_isa::avx512_core_bf16: isa = "avx512_core_bf16"; break;
    case dnnl::cpu_isa::avx512_core_amx: isa = "avx512_core_amx"; break;
    default: break;
  }
  result.Set("isa", isa);
  return result;
}

static Napi::Value setNumThreads(const Napi::CallbackInfo& info) {
  const int threads = info[0].As<Napi::Number>().Int32Value();
  if (threads < 1) throw std::invalid_argument("threads must be at least 1");
  setConfiguredThreads(threads);
  // Primitives are built for a thread count: rebuild them for the new one.
  clearConvCaches();
  clearEltwiseCaches();
  clearPoolCache();
  clearFusedCaches();
  return info.Env().Undefined();
}

static Napi::Value clearCaches(const Napi::CallbackInfo& info) {
  clearConvCaches();
  clearEltwiseCaches();
  clearPoolCache();
  clearFusedCaches();
  return info.Env().Undefined();
}

static Napi::Value cacheSize(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(convCacheSize() + eltwiseCacheSize() + poolCacheSize() +
                                                     fusedCacheSize()));
}

static Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("version", wrap(env, "version", version));
  exports.Set("setNumThreads", wrap(env, "setNumThreads", setNumThreads));
  exports.Set("clearCaches", wrap(env, "clearCaches", clearCaches));
  exports.Set("cacheSize", wrap(env, "cacheSize", cacheSize));
  initConv(env, exports);
  initMatmul(env, exports);
  initEltwise(env, exports);
  initBinary(env, exports);
  initReduce(env, exports);
  initLayout(env, exports);
  initBatchNorm(env, exports);
  initPool(env, exports);
  initFused(env, exports);
  initMbconvTrain(env, exports);
  initChannelGate(env, exports);
  initSgdStep(env, exports);
  initInferPlan(env, exports);
  return exports;
}

}  // namespace supernas

static Napi::Object initModule(Napi::Env env, Napi::Object exports) {
  return supernas::init(env, exports);
}

NODE_API_MODULE(supernas_native, initModule)
