/*
 * fleetloop_dds: the Node-API face of Cyclone DDS (libddsc) for @fleetloop/ros. It deals only in
 * entity handles and raw CDR bytes; names, QoS profiles and typing live in TypeScript
 * (src/dds/native.ts declares this module's functions).
 */
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

#include "dds/version.h"
#include "discovery.h"
#include "napi_util.h"
#include "qos.h"
#include "raw_cdr_type.h"
#include "reader.h"
#include "writer.h"

static void free_external(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static napi_value get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  NAPI_CALL(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < want) {
    napi_throw_type_error(env, NULL, "too few arguments");
    return NULL;
  }
  napi_value ok;
  napi_get_boolean(env, true, &ok);
  return ok;
}

static napi_value entity_or_throw(napi_env env, const char *what, dds_entity_t e) {
  if (e < 0) {
    fl_throw_dds(env, what, e);
    return NULL;
  }
  return fl_int32(env, e);
}

/* version() -> "0.10.2" */
static napi_value version(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value v;
  NAPI_CALL(env, napi_create_string_utf8(env, DDS_VERSION, NAPI_AUTO_LENGTH, &v));
  return v;
}

/* createDomain(domainId, config) -> domain handle, or 0 when the domain already exists here */
static napi_value create_domain(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t domain_id;
  if (get_args(env, info, 2, argv) == NULL || !fl_get_int32(env, argv[0], "domainId", &domain_id)) return NULL;
  char *config = fl_get_string(env, argv[1], "config");
  if (config == NULL) return NULL;
  dds_entity_t d = dds_create_domain((dds_domainid_t)domain_id, config);
  free(config);
  if (d == DDS_RETCODE_PRECONDITION_NOT_MET) return fl_int32(env, 0);
  return entity_or_throw(env, "dds_create_domain", d);
}

/* createParticipant(domainId) -> participant handle */
static napi_value create_participant(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t domain_id;
  if (get_args(env, info, 1, argv) == NULL || !fl_get_int32(env, argv[0], "domainId", &domain_id)) return NULL;
  return entity_or_throw(env, "dds_create_participant", dds_create_participant((dds_domainid_t)domain_id, NULL, NULL));
}

/* deleteEntity(handle): deletes the entity and everything it contains */
static napi_value delete_entity(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t e;
  if (get_args(env, info, 1, argv) == NULL || !fl_get_int32(env, argv[0], "entity", &e)) return NULL;
  dds_return_t rc = dds_delete(e);
  if (rc < 0 && rc != DDS_RETCODE_BAD_PARAMETER && rc != DDS_RETCODE_ALREADY_DELETED) fl_throw_dds(env, "dds_delete", rc);
  return NULL;
}

/* createTopic(participant, ddsTopicName, ddsTypeName) -> topic handle (raw CDR, keyless) */
static napi_value create_topic(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  int32_t participant;
  if (get_args(env, info, 3, argv) == NULL || !fl_get_int32(env, argv[0], "participant", &participant)) return NULL;
  char *name = fl_get_string(env, argv[1], "topic");
  if (name == NULL) return NULL;
  char *type_name = fl_get_string(env, argv[2], "type");
  if (type_name == NULL) {
    free(name);
    return NULL;
  }
  struct ddsi_sertype *st = fl_raw_cdr_type_new(type_name);
  free(type_name);
  if (st == NULL) {
    free(name);
    napi_throw_error(env, "DDS_NATIVE_FAILED", "out of memory");
    return NULL;
  }
  dds_entity_t t = dds_create_topic_sertype(participant, name, &st, NULL, NULL, NULL);
  free(name);
  if (t < 0) {
    ddsi_sertype_free(st);
    fl_throw_dds(env, "dds_create_topic", t);
    return NULL;
  }
  struct fl_topic *topic = malloc(sizeof(*topic));
  napi_value ext;
  if (topic == NULL) {
    dds_delete(t);
    napi_throw_error(env, "DDS_NATIVE_FAILED", "out of memory");
    return NULL;
  }
  /* dds_create_topic_sertype swapped `st` for the interned equal sertype if there was one */
  topic->topic = t;
  topic->type = st;
  if (napi_create_external(env, topic, free_external, NULL, &ext) != napi_ok) {
    dds_delete(t);
    free(topic);
    fl_throw_napi_status(env, napi_generic_failure, "napi_create_external");
    return NULL;
  }
  return ext;
}

/* topicHandle(topic external) -> number, for deleteEntity */
static napi_value topic_handle(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (get_args(env, info, 1, argv) == NULL) return NULL;
  struct fl_topic *t = fl_topic_unwrap(env, argv[0]);
  return t == NULL ? NULL : fl_int32(env, t->topic);
}

/* matchedCount(readerOrWriterHandle, isWriter) -> number of matched remote/local endpoints */
static napi_value matched_count(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  int32_t e;
  bool is_writer;
  if (get_args(env, info, 2, argv) == NULL || !fl_get_int32(env, argv[0], "entity", &e)) return NULL;
  NAPI_CALL(env, napi_get_value_bool(env, argv[1], &is_writer));
  dds_return_t rc;
  uint32_t count = 0;
  if (is_writer) {
    dds_publication_matched_status_t st;
    rc = dds_get_publication_matched_status(e, &st);
    count = st.current_count;
  } else {
    dds_subscription_matched_status_t st;
    rc = dds_get_subscription_matched_status(e, &st);
    count = st.current_count;
  }
  if (rc < 0) {
    fl_throw_dds(env, "reading the matched status", rc);
    return NULL;
  }
  napi_value r;
  NAPI_CALL(env, napi_create_uint32(env, count, &r));
  return r;
}

/* entityGuid(handle) -> 32 hex digits */
static napi_value entity_guid(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  int32_t e;
  if (get_args(env, info, 1, argv) == NULL || !fl_get_int32(env, argv[0], "entity", &e)) return NULL;
  dds_guid_t guid;
  dds_return_t rc = dds_get_guid(e, &guid);
  if (rc < 0) {
    fl_throw_dds(env, "dds_get_guid", rc);
    return NULL;
  }
  return fl_guid_string(env, &guid);
}

/* At environment teardown every Cyclone entity goes first, so that no Cyclone thread can call into
   a thread-safe function that Node has already destroyed. */
static void delete_all_entities(void *arg) {
  (void)arg;
  dds_delete(DDS_CYCLONEDDS_HANDLE);
}

#define EXPORT_FN(name, fn) {name, NULL, fn, NULL, NULL, NULL, napi_default, NULL}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    EXPORT_FN("version", version),
    EXPORT_FN("createDomain", create_domain),
    EXPORT_FN("createParticipant", create_participant),
    EXPORT_FN("deleteEntity", delete_entity),
    EXPORT_FN("createTopic", create_topic),
    EXPORT_FN("topicHandle", topic_handle),
    EXPORT_FN("matchedCount", matched_count),
    EXPORT_FN("entityGuid", entity_guid),
    EXPORT_FN("createWriter", fl_writer_create),
    EXPORT_FN("write", fl_writer_write),
    EXPORT_FN("writeBatch", fl_writer_write_batch),
    EXPORT_FN("closeWriter", fl_writer_close),
    EXPORT_FN("writerHandle", fl_writer_handle),
    EXPORT_FN("createReader", fl_reader_create),
    EXPORT_FN("closeReader", fl_reader_close),
    EXPORT_FN("readerHandle", fl_reader_handle),
    EXPORT_FN("publicationGuid", fl_reader_publication_guid),
    EXPORT_FN("createDiscovery", fl_discovery_create),
    EXPORT_FN("drainDiscovery", fl_discovery_drain),
    EXPORT_FN("closeDiscovery", fl_discovery_close),
  };
  NAPI_CALL(env, napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props));
  NAPI_CALL(env, napi_add_env_cleanup_hook(env, delete_all_entities, NULL));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)

