/*
 * Readers hand samples to JavaScript in batches without ever blocking Cyclone's threads.
 *
 * Cyclone's data-available listener (a receive thread, or the writing thread for local delivery)
 * only flips an atomic flag and, on the 0 -> 1 edge, queues one call on a thread-safe function.
 * That call runs on the JavaScript thread, takes everything the reader holds with dds_takecdr and
 * passes it to JavaScript in one function call: small payloads copied into one ArrayBuffer,
 * large ones as external ArrayBuffers over the received bytes (no copy). Because samples stay in
 * the reader's history until JavaScript takes them, the history QoS (keep-last depth) decides what
 * a slow consumer loses, exactly as for a C reader.
 *
 * A loaning reader (like dds_take with loans, then dds_return_loan) detaches every buffer it handed
 * over as soon as the JavaScript call returns: large samples go back to Cyclone at once instead of
 * when the garbage collector finds them. Without that, 1 MB samples at a thousand a second keep
 * V8's external-memory heuristic running a full mark-compact every few dozen samples.
 */
#include "reader.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "napi_util.h"
#include "qos.h"
#include "raw_cdr_type.h"
#include "writer.h"

#define TAKE_CHUNK 256
/* Samples at least this large are handed over without a copy. */
#define ZERO_COPY_MIN 65536
/* Work done per JavaScript turn before yielding to the event loop. */
#define TURN_MAX_SAMPLES 8192
#define TURN_MAX_BYTES (64u * 1024u * 1024u)

struct fl_reader {
  dds_entity_t reader;
  napi_threadsafe_function tsfn;
  atomic_int signalled;
  atomic_int closed;
  atomic_int refs; /* the JS external + the thread-safe function */
  bool loan;       /* detach the handed-over buffers when the JavaScript call returns */
};

static void reader_unref(struct fl_reader *r) {
  if (atomic_fetch_sub(&r->refs, 1) == 1) free(r);
}

static void signal_js(struct fl_reader *r) {
  if (atomic_exchange(&r->signalled, 1) == 0) {
    if (napi_call_threadsafe_function(r->tsfn, NULL, napi_tsfn_nonblocking) != napi_ok) atomic_store(&r->signalled, 0);
  }
}

static void on_data_available(dds_entity_t rd, void *arg) {
  (void)rd;
  struct fl_reader *r = arg;
  if (!atomic_load(&r->closed)) signal_js(r);
}

/* Large samples without padding go to JavaScript as they are, over the received bytes. */
static bool zero_copy(const struct fl_serdata *d) {
  return d->size >= ZERO_COPY_MIN && fl_serdata_cdr_padding(d) == 0;
}

static void release_serdata(napi_env env, void *data, void *hint) {
  (void)env;
  (void)data;
  ddsi_serdata_unref(hint);
}

/* Calls onBatch(count, block, locations, stamps, externals) for `n` taken samples. */
static bool deliver(napi_env env, napi_value cb, bool loan, struct ddsi_serdata **sds, dds_sample_info_t *infos,
                    uint32_t n) {
  size_t copied = 0;
  uint32_t valid = 0, externals = 0;
  for (uint32_t i = 0; i < n; i++) {
    if (!infos[i].valid_data) continue;
    const struct fl_serdata *d = (const struct fl_serdata *)sds[i];
    valid++;
    if (zero_copy(d))
      externals++;
    else
      copied += d->size - fl_serdata_cdr_padding(d);
  }
  bool ok = true;
  if (valid > 0) {
    napi_value block, loc_ab, stamp_ab, locations, stamps, ext_arr = NULL, argv[5], ignored;
    napi_value ext_abs[TAKE_CHUNK];
    void *block_data = NULL, *loc_data = NULL, *stamp_data = NULL;
    ok = napi_create_arraybuffer(env, copied, &block_data, &block) == napi_ok &&
         napi_create_arraybuffer(env, (size_t)valid * 2 * sizeof(uint32_t), &loc_data, &loc_ab) == napi_ok &&
         napi_create_arraybuffer(env, (size_t)valid * 2 * sizeof(int64_t), &stamp_data, &stamp_ab) == napi_ok &&
         napi_create_typedarray(env, napi_uint32_array, (size_t)valid * 2, loc_ab, 0, &locations) == napi_ok &&
         napi_create_typedarray(env, napi_bigint64_array, (size_t)valid * 2, stamp_ab, 0, &stamps) == napi_ok &&
         (externals == 0 || napi_create_array_with_length(env, externals, &ext_arr) == napi_ok);
    if (ok) {
      uint32_t *loc = loc_data;
      int64_t *stamp = stamp_data;
      size_t off = 0;
      uint32_t j = 0, e = 0;
      for (uint32_t i = 0; i < n && ok; i++) {
        if (!infos[i].valid_data) continue;
        struct fl_serdata *d = (struct fl_serdata *)sds[i];
        uint32_t len = d->size;
        if (zero_copy(d)) {
          napi_value ab;
          /* The external buffer keeps the serdata reference; its finalizer drops it. */
          ok = napi_create_external_arraybuffer(env, d->data, d->size, release_serdata, d, &ab) == napi_ok &&
               napi_set_element(env, ext_arr, e, ab) == napi_ok;
          if (ok) sds[i] = NULL;
          ext_abs[e] = ab;
          loc[2 * j] = 0x80000000u | e++;
        } else {
          /* JavaScript gets the CDR buffer as written: without DDSI's padding, options cleared */
          uint32_t pad = fl_serdata_cdr_padding(d);
          unsigned char *dst = (unsigned char *)block_data + off;
          len = d->size - pad;
          memcpy(dst, d->data, len);
          if (pad > 0) dst[3] = (unsigned char)(dst[3] & ~0x03u);
          loc[2 * j] = (uint32_t)off;
          off += len;
        }
        loc[2 * j + 1] = len;
        stamp[2 * j] = infos[i].source_timestamp;
        stamp[2 * j + 1] = (int64_t)infos[i].publication_handle;
        j++;
      }
    }
    if (ok) {
      napi_create_uint32(env, valid, &argv[0]);
      argv[1] = block;
      argv[2] = locations;
      argv[3] = stamps;
      if (ext_arr != NULL)
        argv[4] = ext_arr;
      else
        napi_get_undefined(env, &argv[4]);
      napi_value global;
      napi_get_global(env, &global);
      ok = napi_call_function(env, global, cb, 5, argv, &ignored) == napi_ok;
      if (loan) {
        /* Views kept past the call read as empty; the serdata finalizers run on a later turn. */
        napi_detach_arraybuffer(env, block);
        for (uint32_t k = 0; k < externals; k++) napi_detach_arraybuffer(env, ext_abs[k]);
      }
    }
  }
  for (uint32_t i = 0; i < n; i++)
    if (sds[i] != NULL) ddsi_serdata_unref(sds[i]);
  return ok;
}

static void call_js(napi_env env, napi_value cb, void *context, void *data) {
  (void)data;
  struct fl_reader *r = context;
  if (env == NULL || atomic_load(&r->closed)) return;
  atomic_store(&r->signalled, 0);
  struct ddsi_serdata *sds[TAKE_CHUNK];
  dds_sample_info_t infos[TAKE_CHUNK];
  uint32_t samples = 0;
  size_t bytes = 0;
  for (;;) {
    if (atomic_load(&r->closed)) return; /* the callback may have closed the reader */
    dds_return_t n = dds_takecdr(r->reader, sds, TAKE_CHUNK, infos, DDS_ANY_STATE);
    if (n <= 0) return;
    for (dds_return_t i = 0; i < n; i++) bytes += ((const struct fl_serdata *)sds[i])->size;
    samples += (uint32_t)n;
    if (!deliver(env, cb, r->loan, sds, infos, (uint32_t)n)) return; /* exception surfaces as uncaught */
    if ((uint32_t)n < TAKE_CHUNK) return;
    if (samples >= TURN_MAX_SAMPLES || bytes >= TURN_MAX_BYTES) {
      signal_js(r); /* more waiting: continue on a later turn so timers and I/O still run */
      return;
    }
  }
}

/* Runs at environment teardown for a reader never closed. Registered after the thread-safe
   function, so it runs before Node tears that function down (hooks run newest first): once the
   reader is deleted no Cyclone thread can call into the function. */
static void teardown(void *arg) {
  struct fl_reader *r = arg;
  if (atomic_exchange(&r->closed, 1) == 0) dds_delete(r->reader);
}

static void tsfn_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  reader_unref(data);
}

static void external_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  reader_unref(data);
}

static struct fl_reader *unwrap(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok || p == NULL) {
    napi_throw_type_error(env, NULL, "expected a reader handle");
    return NULL;
  }
  return p;
}

napi_value fl_reader_create(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t participant;
  if (argc < 4 || !fl_get_int32(env, argv[0], "participant", &participant)) return NULL;
  bool loan = false;
  if (argc >= 5 && napi_get_value_bool(env, argv[4], &loan) != napi_ok) {
    napi_throw_type_error(env, NULL, "loan must be a boolean");
    return NULL;
  }
  struct fl_topic *topic = fl_topic_unwrap(env, argv[1]);
  if (topic == NULL) return NULL;
  dds_qos_t *qos = fl_qos_from_js(env, argv[2]);
  if (qos == NULL) return NULL;
  struct fl_reader *r = calloc(1, sizeof(*r));
  if (r == NULL) {
    dds_delete_qos(qos);
    napi_throw_error(env, "DDS_NATIVE_FAILED", "out of memory");
    return NULL;
  }
  atomic_init(&r->refs, 2);
  r->loan = loan;
  napi_value name;
  napi_create_string_utf8(env, "fleetloop-dds-reader", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[3], NULL, name, 0, 1, r, tsfn_finalize, r, call_js, &r->tsfn) != napi_ok) {
    dds_delete_qos(qos);
    free(r);
    fl_throw_napi_status(env, napi_generic_failure, "napi_create_threadsafe_function");
    return NULL;
  }
  dds_listener_t *listener = dds_create_listener(r);
  dds_lset_data_available(listener, on_data_available);
  r->reader = dds_create_reader(participant, topic->topic, qos, listener);
  dds_delete_listener(listener);
  dds_delete_qos(qos);
  if (r->reader < 0) {
    dds_return_t rc = r->reader;
    atomic_store(&r->closed, 1);
    reader_unref(r); /* the external never comes to be */
    napi_release_threadsafe_function(r->tsfn, napi_tsfn_abort);
    fl_throw_dds(env, "dds_create_reader", rc);
    return NULL;
  }
  napi_value ext;
  NAPI_CALL(env, napi_create_external(env, r, external_finalize, NULL, &ext));
  NAPI_CALL(env, napi_add_env_cleanup_hook(env, teardown, r));
  /* Samples that arrived before the listener could fire (transient-local history) are taken now. */
  signal_js(r);
  return ext;
}

napi_value fl_reader_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct fl_reader *r = argc >= 1 ? unwrap(env, argv[0]) : NULL;
  if (r == NULL) return NULL;
  if (atomic_exchange(&r->closed, 1) == 0) {
    napi_remove_env_cleanup_hook(env, teardown, r);
    /* dds_delete waits for a listener that is running, so no thread calls the function after this. */
    dds_return_t rc = dds_delete(r->reader);
    napi_release_threadsafe_function(r->tsfn, napi_tsfn_release);
    if (rc < 0 && rc != DDS_RETCODE_BAD_PARAMETER && rc != DDS_RETCODE_ALREADY_DELETED) {
      fl_throw_dds(env, "dds_delete(reader)", rc);
      return NULL;
    }
  }
  return NULL;
}

napi_value fl_reader_handle(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct fl_reader *r = argc >= 1 ? unwrap(env, argv[0]) : NULL;
  if (r == NULL) return NULL;
  return fl_int32(env, atomic_load(&r->closed) ? 0 : r->reader);
}

napi_value fl_reader_publication_guid(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  struct fl_reader *r = argc >= 2 ? unwrap(env, argv[0]) : NULL;
  int64_t ih;
  if (r == NULL || !fl_get_int64_bigint(env, argv[1], "instanceHandle", &ih)) return NULL;
  napi_value result;
  if (atomic_load(&r->closed)) {
    napi_get_null(env, &result);
    return result;
  }
  dds_builtintopic_endpoint_t *ep = dds_get_matched_publication_data(r->reader, (dds_instance_handle_t)ih);
  if (ep == NULL) {
    napi_get_null(env, &result);
    return result;
  }
  result = fl_guid_string(env, &ep->key);
  dds_builtintopic_free_endpoint(ep);
  return result;
}
