/*
 * Endpoint discovery from Cyclone's builtin topics. Both builtin readers share one thread-safe
 * function; their listeners only signal it (see reader.c for the pattern), and the JavaScript
 * thread takes the samples and turns each into
 *   { kind: 'writer' | 'reader', guid, alive, topic?, type?, qos? }
 * where `alive: false` means the endpoint is gone (only the guid is then known).
 */
#include "discovery.h"

#include <stdatomic.h>
#include <stdlib.h>

#include "napi_util.h"
#include "qos.h"

#define TAKE_CHUNK 64

struct fl_discovery {
  dds_entity_t publications;
  dds_entity_t subscriptions;
  napi_threadsafe_function tsfn;
  atomic_int signalled;
  atomic_int closed;
  atomic_int refs;
};

static void discovery_unref(struct fl_discovery *d) {
  if (atomic_fetch_sub(&d->refs, 1) == 1) free(d);
}

static void on_data_available(dds_entity_t rd, void *arg) {
  (void)rd;
  struct fl_discovery *d = arg;
  if (atomic_load(&d->closed)) return;
  if (atomic_exchange(&d->signalled, 1) == 0 &&
      napi_call_threadsafe_function(d->tsfn, NULL, napi_tsfn_nonblocking) != napi_ok)
    atomic_store(&d->signalled, 0);
}

static napi_status set_str(napi_env env, napi_value obj, const char *key, const char *s) {
  napi_value v;
  napi_status st = napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return st == napi_ok ? napi_set_named_property(env, obj, key, v) : st;
}

/* Appends the events from one builtin reader to `arr` starting at *len; false after throwing. */
static bool take_into(napi_env env, dds_entity_t rd, const char *kind, napi_value arr, uint32_t *len) {
  void *samples[TAKE_CHUNK];
  dds_sample_info_t infos[TAKE_CHUNK];
  for (;;) {
    samples[0] = NULL;
    dds_return_t n = dds_take(rd, samples, infos, TAKE_CHUNK, TAKE_CHUNK);
    if (n < 0) {
      fl_throw_dds(env, "dds_take(builtin topic)", n);
      return false;
    }
    bool ok = true;
    for (dds_return_t i = 0; i < n && ok; i++) {
      const dds_builtintopic_endpoint_t *ep = samples[i];
      bool alive = infos[i].valid_data && infos[i].instance_state == DDS_IST_ALIVE;
      napi_value ev, guid, alive_v;
      ok = napi_create_object(env, &ev) == napi_ok && set_str(env, ev, "kind", kind) == napi_ok &&
           (guid = fl_guid_string(env, &ep->key)) != NULL && napi_set_named_property(env, ev, "guid", guid) == napi_ok &&
           napi_get_boolean(env, alive, &alive_v) == napi_ok && napi_set_named_property(env, ev, "alive", alive_v) == napi_ok;
      if (ok && alive && ep->topic_name != NULL && ep->type_name != NULL) {
        napi_value qos = fl_qos_to_js(env, ep->qos);
        ok = set_str(env, ev, "topic", ep->topic_name) == napi_ok && set_str(env, ev, "type", ep->type_name) == napi_ok &&
             qos != NULL && napi_set_named_property(env, ev, "qos", qos) == napi_ok;
      }
      if (ok) ok = napi_set_element(env, arr, (*len)++, ev) == napi_ok;
    }
    if (n > 0) dds_return_loan(rd, samples, n);
    if (!ok) {
      fl_throw_napi_status(env, napi_generic_failure, "building discovery events");
      return false;
    }
    if (n < TAKE_CHUNK) return true;
  }
}

static napi_value take_events(napi_env env, struct fl_discovery *d) {
  napi_value arr;
  uint32_t len = 0;
  NAPI_CALL(env, napi_create_array(env, &arr));
  if (!atomic_load(&d->closed)) {
    if (!take_into(env, d->publications, "writer", arr, &len) || !take_into(env, d->subscriptions, "reader", arr, &len))
      return NULL;
  }
  return arr;
}

static void call_js(napi_env env, napi_value cb, void *context, void *data) {
  (void)data;
  struct fl_discovery *d = context;
  if (env == NULL || atomic_load(&d->closed)) return;
  atomic_store(&d->signalled, 0);
  napi_value events = take_events(env, d);
  uint32_t len = 0;
  if (events == NULL || napi_get_array_length(env, events, &len) != napi_ok || len == 0) return;
  napi_value global, ignored;
  napi_get_global(env, &global);
  napi_call_function(env, global, cb, 1, &events, &ignored);
}

/* At environment teardown, before Node destroys the thread-safe function (see reader.c). */
static void teardown(void *arg) {
  struct fl_discovery *d = arg;
  if (atomic_exchange(&d->closed, 1) == 0) {
    dds_delete(d->publications);
    dds_delete(d->subscriptions);
  }
}

static void tsfn_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  discovery_unref(data);
}

static void external_finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  discovery_unref(data);
}

static struct fl_discovery *unwrap(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *p = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1 ||
      napi_get_value_external(env, argv[0], &p) != napi_ok || p == NULL) {
    napi_throw_type_error(env, NULL, "expected a discovery handle");
    return NULL;
  }
  return p;
}

napi_value fl_discovery_create(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int32_t participant;
  if (argc < 2 || !fl_get_int32(env, argv[0], "participant", &participant)) return NULL;
  struct fl_discovery *d = calloc(1, sizeof(*d));
  if (d == NULL) {
    napi_throw_error(env, "DDS_NATIVE_FAILED", "out of memory");
    return NULL;
  }
  atomic_init(&d->refs, 2);
  napi_value name;
  napi_create_string_utf8(env, "fleetloop-dds-discovery", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[1], NULL, name, 0, 1, d, tsfn_finalize, d, call_js, &d->tsfn) != napi_ok) {
    free(d);
    fl_throw_napi_status(env, napi_generic_failure, "napi_create_threadsafe_function");
    return NULL;
  }
  /* Discovery alone must not keep the process alive. */
  napi_unref_threadsafe_function(env, d->tsfn);
  dds_listener_t *listener = dds_create_listener(d);
  dds_lset_data_available(listener, on_data_available);
  d->publications = dds_create_reader(participant, DDS_BUILTIN_TOPIC_DCPSPUBLICATION, NULL, listener);
  d->subscriptions = d->publications < 0 ? d->publications
                                         : dds_create_reader(participant, DDS_BUILTIN_TOPIC_DCPSSUBSCRIPTION, NULL, listener);
  dds_delete_listener(listener);
  if (d->publications < 0 || d->subscriptions < 0) {
    dds_return_t rc = d->publications < 0 ? d->publications : d->subscriptions;
    atomic_store(&d->closed, 1);
    if (d->publications > 0) dds_delete(d->publications);
    discovery_unref(d);
    napi_release_threadsafe_function(d->tsfn, napi_tsfn_abort);
    fl_throw_dds(env, "dds_create_reader(builtin topic)", rc);
    return NULL;
  }
  napi_value ext;
  NAPI_CALL(env, napi_create_external(env, d, external_finalize, NULL, &ext));
  NAPI_CALL(env, napi_add_env_cleanup_hook(env, teardown, d));
  return ext;
}

napi_value fl_discovery_drain(napi_env env, napi_callback_info info) {
  struct fl_discovery *d = unwrap(env, info);
  return d == NULL ? NULL : take_events(env, d);
}

napi_value fl_discovery_close(napi_env env, napi_callback_info info) {
  struct fl_discovery *d = unwrap(env, info);
  if (d == NULL) return NULL;
  if (atomic_exchange(&d->closed, 1) == 0) {
    napi_remove_env_cleanup_hook(env, teardown, d);
    dds_delete(d->publications);
    dds_delete(d->subscriptions);
    napi_release_threadsafe_function(d->tsfn, napi_tsfn_release);
  }
  return NULL;
}
