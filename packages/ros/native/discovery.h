#ifndef FLEETLOOP_DISCOVERY_H
#define FLEETLOOP_DISCOVERY_H

#include <node_api.h>

/* createDiscovery(participant, onEvents) -> external: follows DCPSPublication/DCPSSubscription */
napi_value fl_discovery_create(napi_env env, napi_callback_info info);
/* drainDiscovery(external) -> events taken now (what onEvents would receive next) */
napi_value fl_discovery_drain(napi_env env, napi_callback_info info);
/* closeDiscovery(external) */
napi_value fl_discovery_close(napi_env env, napi_callback_info info);

#endif
