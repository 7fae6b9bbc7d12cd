/* QoS conversion between the JavaScript description and Cyclone's dds_qos_t. */
#ifndef FLEETLOOP_QOS_H
#define FLEETLOOP_QOS_H

#include <node_api.h>

#include "dds/dds.h"

/* Builds a reader/writer QoS from { reliable, transientLocal, keepAll, depth, deadlineNs,
   lifespanNs, livelinessLeaseNs, maxBlockingNs, latencyBudgetNs, transportPriority, maxSamples }
   where
   durations are numbers of nanoseconds and a negative duration means "infinite"/"default".
   Returns NULL after throwing. */
dds_qos_t *fl_qos_from_js(napi_env env, napi_value obj);

/* The same shape as fl_qos_from_js accepts, read back from an endpoint's QoS. */
napi_value fl_qos_to_js(napi_env env, const dds_qos_t *qos);

#endif
