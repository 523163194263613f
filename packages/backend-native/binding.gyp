{
  "targets": [
    {
      "target_name": "supernas_native",
      "sources": [
        "native/activation.cc",
        "native/addon.cc",
        "native/channel-gate.cc",
        "native/batch-norm.cc",
        "native/binary.cc",
        "native/conv.cc",
        "native/eltwise.cc",
        "native/fused.cc",
        "native/infer-plan.cc",
        "native/layout.cc",
        "native/matmul.cc",
        "native/mbconv-train.cc",
        "native/pool.cc",
        "native/reduce.cc",
        "native/sgd-step.cc"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": [
        "-std=c++17",
        "-O3",
        "-fopenmp",
        "-Wall",
        "-Wno-unused-function",
        "<!(node -p \"process.env.SUPERNAS_NATIVE_PORTABLE === '1' ? '-mtune=generic' : '-march=native'\")"
      ],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++14", "-std=gnu++1y", "-O2", "-O1", "-O0"],
      "ldflags": ["-fopenmp"],
      "libraries": ["-ldnnl"]
    }
  ]
}
