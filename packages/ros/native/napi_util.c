#include "napi_util.h"

#include <stdio.h>
#include <stdlib.h>

void fl_throw_napi_status(napi_env env, napi_status status, const char *what) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return;
  const napi_extended_error_info *info = NULL;
  napi_get_last_error_info(env, &info);
  char msg[512];
  snprintf(msg, sizeof(msg), "Node-API call failed (%d: %s): %s", (int)status,
           info != NULL && info->error_message != NULL ? info->error_message : "unknown", what);
  napi_throw_error(env, "DDS_NATIVE_FAILED", msg);
}

void fl_throw_dds(napi_env env, const char *operation, dds_return_t rc) {
  char msg[512];
  snprintf(msg, sizeof(msg), "%s failed: %s (%d)", operation, dds_strretcode(rc), (int)rc);
  napi_value message, error, code;
  if (napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message) != napi_ok) return;
  if (napi_create_error(env, NULL, message, &error) != napi_ok) return;
  if (napi_create_int32(env, (int32_t)rc, &code) == napi_ok) napi_set_named_property(env, error, "ddsRetcode", code);
  napi_value rcname;
  if (napi_create_string_utf8(env, dds_strretcode(rc), NAPI_AUTO_LENGTH, &rcname) == napi_ok)
    napi_set_named_property(env, error, "ddsRetcodeName", rcname);
  napi_throw(env, error);
}

bool fl_get_int32(napi_env env, napi_value v, const char *name, int32_t *out) {
  if (napi_get_value_int32(env, v, out) != napi_ok) {
    char msg[128];
    snprintf(msg, sizeof(msg), "%s must be a number", name);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  return true;
}

bool fl_get_int64_bigint(napi_env env, napi_value v, const char *name, int64_t *out) {
  bool lossless = false;
  if (napi_get_value_bigint_int64(env, v, out, &lossless) != napi_ok || !lossless) {
    char msg[128];
    snprintf(msg, sizeof(msg), "%s must be a bigint within int64", name);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  return true;
}

char *fl_get_string(napi_env env, napi_value v, const char *name) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, NULL, 0, &len) != napi_ok) {
    char msg[128];
    snprintf(msg, sizeof(msg), "%s must be a string", name);
    napi_throw_type_error(env, NULL, msg);
    return NULL;
  }
  char *s = malloc(len + 1);
  if (s == NULL) {
    napi_throw_error(env, "DDS_NATIVE_FAILED", "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

napi_value fl_int32(napi_env env, int32_t v) {
  napi_value r;
  NAPI_CALL(env, napi_create_int32(env, v, &r));
  return r;
}

void fl_guid_hex(const dds_guid_t *guid, char out[33]) {
  static const char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; i++) {
    out[2 * i] = hex[guid->v[i] >> 4];
    out[2 * i + 1] = hex[guid->v[i] & 0xf];
  }
  out[32] = 0;
}

napi_value fl_guid_string(napi_env env, const dds_guid_t *guid) {
  char buf[33];
  fl_guid_hex(guid, buf);
  napi_value r;
  NAPI_CALL(env, napi_create_string_latin1(env, buf, 32, &r));
  return r;
}
