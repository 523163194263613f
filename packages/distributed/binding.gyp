{
  "targets": [
    {
      "target_name": "supernas_mpi",
      "sources": ["native/mpi-addon.cc", "native/collective-loop.cc"],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except_all"],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "OMPI_SKIP_MPICXX=1",
        "MPICH_SKIP_MPICXX=1"
      ],
      "cflags_cc": [
        "-std=c++17",
        "-O2",
        "-Wall",
        "<!@(node scripts/mpi-flags.mjs --cflags)"
      ],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++14", "-std=gnu++1y"],
      "libraries": ["<!@(node scripts/mpi-flags.mjs --libs)"]
    }
  ]
}
