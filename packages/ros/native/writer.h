#ifndef FLEETLOOP_WRITER_H
#define FLEETLOOP_WRITER_H

#include <node_api.h>

#include "dds/dds.h"

/* createWriter(participant, topic, qos) -> external */
napi_value fl_writer_create(napi_env env, napi_callback_info info);
/* write(external, data: Uint8Array, sourceTimestampNs?: bigint) */
napi_value fl_writer_write(napi_env env, napi_callback_info info);
/* writeBatch(external, messages: Uint8Array[], sourceTimestampNs?: bigint) -> count */
napi_value fl_writer_write_batch(napi_env env, napi_callback_info info);
/* closeWriter(external) */
napi_value fl_writer_close(napi_env env, napi_callback_info info);
/* writerHandle(external) -> number */
napi_value fl_writer_handle(napi_env env, napi_callback_info info);

/* Topic handles are externals holding the entity and its (interned) sertype, because Cyclone
   0.10 offers no way to look a topic's sertype up from its handle. */
struct fl_topic {
  dds_entity_t topic;
  const struct ddsi_sertype *type;
};

/* The topic behind a createTopic external; NULL after throwing. */
struct fl_topic *fl_topic_unwrap(napi_env env, napi_value v);

#endif
