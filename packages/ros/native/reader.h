#ifndef FLEETLOOP_READER_H
#define FLEETLOOP_READER_H

#include <node_api.h>

/* createReader(participant, topic, qos, onBatch) -> external; see reader.c */
napi_value fl_reader_create(napi_env env, napi_callback_info info);
/* closeReader(external) */
napi_value fl_reader_close(napi_env env, napi_callback_info info);
/* readerHandle(external) -> number (the dds_entity_t) */
napi_value fl_reader_handle(napi_env env, napi_callback_info info);
/* publicationGuid(external, instanceHandle: bigint) -> string | null */
napi_value fl_reader_publication_guid(napi_env env, napi_callback_info info);

#endif
