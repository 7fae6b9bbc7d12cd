/* Small helpers for Node-API calls: every failure becomes a pending JavaScript exception. */
#ifndef FLEETLOOP_NAPI_UTIL_H
#define FLEETLOOP_NAPI_UTIL_H

#include <node_api.h>
#include <stdbool.h>
#include <stdint.h>

#include "dds/dds.h"

/* Evaluates a napi call; on failure throws (unless an exception is already pending) and returns NULL. */
#define NAPI_CALL(env, call)                                                 \
  do {                                                                       \
    napi_status status_ = (call);                                            \
    if (status_ != napi_ok) {                                                \
      fl_throw_napi_status((env), status_, #call);                           \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

void fl_throw_napi_status(napi_env env, napi_status status, const char *what);

/* Throws an Error with `code` = "DDS_CALL_FAILED" and `ddsRetcode` naming Cyclone's return code. */
void fl_throw_dds(napi_env env, const char *operation, dds_return_t rc);

/* Argument readers; return false after throwing a TypeError. */
bool fl_get_int32(napi_env env, napi_value v, const char *name, int32_t *out);
bool fl_get_int64_bigint(napi_env env, napi_value v, const char *name, int64_t *out);
/* Copies a JS string into malloc'd memory; the caller frees it. */
char *fl_get_string(napi_env env, napi_value v, const char *name);

napi_value fl_int32(napi_env env, int32_t v);
napi_value fl_guid_string(napi_env env, const dds_guid_t *guid);
void fl_guid_hex(const dds_guid_t *guid, char out[33]);

#endif
