{
  "targets": [
    {
      "target_name": "fleetloop_dds",
      "sources": [
        "native/addon.c",
        "native/discovery.c",
        "native/napi_util.c",
        "native/qos.c",
        "native/raw_cdr_type.c",
        "native/reader.c",
        "native/writer.c"
      ],
      "defines": ["NAPI_VERSION=8", "DDS_NDEBUG"],
      "cflags_c": ["-std=gnu11", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "libraries": ["-lddsc"]
    }
  ]
}
