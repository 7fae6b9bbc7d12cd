/* Writers publish caller-provided CDR bytes; each write copies them once into a serdata. */
#include "writer.h"

#include <stdlib.h>

#include "napi_util.h"
#include "qos.h"
#include "raw_cdr_type.h"

struct fl_writer {
  dds_entity_t writer;
  const struct ddsi_sertype *type;
  bool closed;
};

struct fl_topic *fl_topic_unwrap(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == NULL) {
    napi_throw_type_error(env, NULL, "expected a topic handle");
    return NULL;
  }
  return p;
}

static void writer_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static struct fl_writer *unwrap(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == NULL) {
    napi_throw_type_error(env, NULL, "expected a writer handle");
    return NULL;
  }
  struct fl_writer *w = p;
  if (w->closed) {
    napi_throw_error(env, "DDS_WRITER_CLOSED", "the writer is closed");
    return NULL;
  }
  return w;
}

napi_value fl_writer_create(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t participant;
  if (argc < 3 || !fl_get_int32(env, argv[0], "participant", &participant)) return NULL;
  struct fl_topic *t = fl_topic_unwrap(env, argv[1]);
  if (t == NULL) return NULL;
  dds_qos_t *qos = fl_qos_from_js(env, argv[2]);
  if (qos == NULL) return NULL;
  /* Keyless topics have one instance: unregistering it when the writer goes is all ROS expects. */
  dds_qset_writer_data_lifecycle(qos, false);
  dds_entity_t wr = dds_create_writer(participant, t->topic, qos, NULL);
  dds_delete_qos(qos);
  if (wr < 0) {
    fl_throw_dds(env, "dds_create_writer", wr);
    return NULL;
  }
  struct fl_writer *w = malloc(sizeof(*w));
  if (w == NULL) {
    dds_delete(wr);
    napi_throw_error(env, "DDS_NATIVE_FAILED", "out of memory");
    return NULL;
  }
  w->writer = wr;
  w->type = t->type;
  w->closed = false;
  napi_value ext;
  if (napi_create_external(env, w, writer_finalize, NULL, &ext) != napi_ok) {
    dds_delete(wr);
    free(w);
    fl_throw_napi_status(env, napi_generic_failure, "napi_create_external");
    return NULL;
  }
  return ext;
}

static bool get_timestamp(napi_env env, napi_value v, dds_time_t *ts) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok || t == napi_undefined) {
    *ts = dds_time();
    return true;
  }
  int64_t x;
  if (!fl_get_int64_bigint(env, v, "sourceTimestampNs", &x)) return false;
  *ts = x;
  return true;
}

static dds_return_t write_one(const struct fl_writer *w, const void *data, size_t size, dds_time_t ts) {
  struct fl_serdata *d = fl_serdata_from_cdr(w->type, data, size);
  if (d == NULL) return DDS_RETCODE_OUT_OF_RESOURCES;
  d->c.statusinfo = 0;
  d->c.timestamp.v = ts;
  /* forwardcdr keeps the source timestamp set above (writecdr would overwrite it); it consumes
     the reference */
  return dds_forwardcdr(w->writer, &d->c);
}

napi_value fl_writer_write(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "write(writer, data, sourceTimestampNs?)");
    return NULL;
  }
  struct fl_writer *w = unwrap(env, argv[0]);
  if (w == NULL) return NULL;
  napi_typedarray_type type;
  size_t len, offset;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, argv[1], &type, &len, &data, &ab, &offset) != napi_ok || type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "data must be a Uint8Array");
    return NULL;
  }
  dds_time_t ts;
  if (!get_timestamp(env, argc >= 3 ? argv[2] : NULL, &ts)) return NULL;
  dds_return_t rc = write_one(w, data, len, ts);
  if (rc < 0) fl_throw_dds(env, "dds_write", rc);
  return NULL;
}

napi_value fl_writer_write_batch(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 2) {
    napi_throw_type_error(env, NULL, "writeBatch(writer, messages, sourceTimestampNs?)");
    return NULL;
  }
  struct fl_writer *w = unwrap(env, argv[0]);
  if (w == NULL) return NULL;
  uint32_t count;
  if (napi_get_array_length(env, argv[1], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "messages must be an array of Uint8Array");
    return NULL;
  }
  dds_time_t ts;
  if (!get_timestamp(env, argc >= 3 ? argv[2] : NULL, &ts)) return NULL;
  for (uint32_t i = 0; i < count; i++) {
    napi_value item, ab;
    napi_typedarray_type type;
    size_t len, offset;
    void *data;
    if (napi_get_element(env, argv[1], i, &item) != napi_ok ||
        napi_get_typedarray_info(env, item, &type, &len, &data, &ab, &offset) != napi_ok || type != napi_uint8_array) {
      napi_throw_type_error(env, NULL, "messages must be an array of Uint8Array");
      return NULL;
    }
    dds_return_t rc = write_one(w, data, len, ts);
    if (rc < 0) {
      fl_throw_dds(env, "dds_write", rc);
      return NULL;
    }
  }
  napi_value r;
  NAPI_CALL(env, napi_create_uint32(env, count, &r));
  return r;
}

napi_value fl_writer_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *p = NULL;
  if (argc < 1 || napi_get_value_external(env, argv[0], &p) != napi_ok || p == NULL) {
    napi_throw_type_error(env, NULL, "expected a writer handle");
    return NULL;
  }
  struct fl_writer *w = p;
  if (!w->closed) {
    w->closed = true;
    dds_return_t rc = dds_delete(w->writer);
    if (rc < 0 && rc != DDS_RETCODE_BAD_PARAMETER && rc != DDS_RETCODE_ALREADY_DELETED) fl_throw_dds(env, "dds_delete(writer)", rc);
  }
  return NULL;
}

napi_value fl_writer_handle(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct fl_writer *w = argc >= 1 ? unwrap(env, argv[0]) : NULL;
  return w == NULL ? NULL : fl_int32(env, w->writer);
}
