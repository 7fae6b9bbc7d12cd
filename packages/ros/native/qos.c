#include "qos.h"

#include <math.h>

#include "napi_util.h"

static bool get_prop_double(napi_env env, napi_value obj, const char *name, double *out, double dflt) {
  bool has = false;
  *out = dflt;
  if (napi_has_named_property(env, obj, name, &has) != napi_ok || !has) return true;
  napi_value v;
  napi_valuetype t;
  if (napi_get_named_property(env, obj, name, &v) != napi_ok || napi_typeof(env, v, &t) != napi_ok) return false;
  if (t == napi_undefined) return true;
  if (t == napi_boolean) {
    bool b;
    napi_get_value_bool(env, v, &b);
    *out = b ? 1 : 0;
    return true;
  }
  if (t != napi_number || napi_get_value_double(env, v, out) != napi_ok) {
    char msg[128];
    snprintf(msg, sizeof(msg), "qos.%s must be a number or boolean", name);
    napi_throw_type_error(env, NULL, msg);
    return false;
  }
  return true;
}

static dds_duration_t duration_ns(double v) {
  return v < 0 || !isfinite(v) ? DDS_INFINITY : (dds_duration_t)v;
}

dds_qos_t *fl_qos_from_js(napi_env env, napi_value obj) {
  double reliable, transient_local, keep_all, depth, deadline, lifespan, liveliness, max_blocking, latency_budget, priority,
      max_samples;
  if (!get_prop_double(env, obj, "reliable", &reliable, 1) ||
      !get_prop_double(env, obj, "transientLocal", &transient_local, 0) ||
      !get_prop_double(env, obj, "keepAll", &keep_all, 0) || !get_prop_double(env, obj, "depth", &depth, 10) ||
      !get_prop_double(env, obj, "deadlineNs", &deadline, -1) ||
      !get_prop_double(env, obj, "lifespanNs", &lifespan, -1) ||
      !get_prop_double(env, obj, "livelinessLeaseNs", &liveliness, -1) ||
      !get_prop_double(env, obj, "maxBlockingNs", &max_blocking, -1) ||
      !get_prop_double(env, obj, "latencyBudgetNs", &latency_budget, -1) ||
      !get_prop_double(env, obj, "transportPriority", &priority, 0) ||
      !get_prop_double(env, obj, "maxSamples", &max_samples, -1))
    return NULL;
  dds_qos_t *qos = dds_create_qos();
  dds_qset_reliability(qos, reliable != 0 ? DDS_RELIABILITY_RELIABLE : DDS_RELIABILITY_BEST_EFFORT,
                       max_blocking < 0 ? DDS_MSECS(100) : duration_ns(max_blocking));
  dds_qset_durability(qos, transient_local != 0 ? DDS_DURABILITY_TRANSIENT_LOCAL : DDS_DURABILITY_VOLATILE);
  dds_history_kind_t hk = keep_all != 0 ? DDS_HISTORY_KEEP_ALL : DDS_HISTORY_KEEP_LAST;
  int32_t hdepth = keep_all != 0 ? 1 : depth >= 1 ? (int32_t)depth : 1;
  dds_qset_history(qos, hk, hdepth);
  /* What a transient-local writer keeps for late joiners is the durability-service history, which
     defaults to keep-last 1: make it the writer's history, as rmw_cyclonedds does. */
  if (transient_local != 0)
    dds_qset_durability_service(qos, 0, hk, hdepth, DDS_LENGTH_UNLIMITED, DDS_LENGTH_UNLIMITED, DDS_LENGTH_UNLIMITED);
  if (deadline >= 0) dds_qset_deadline(qos, duration_ns(deadline));
  if (lifespan >= 0) dds_qset_lifespan(qos, duration_ns(lifespan));
  if (liveliness >= 0) dds_qset_liveliness(qos, DDS_LIVELINESS_AUTOMATIC, duration_ns(liveliness));
  if (latency_budget >= 0) dds_qset_latency_budget(qos, duration_ns(latency_budget));
  if (priority != 0) dds_qset_transport_priority(qos, (int32_t)priority);
  if (max_samples >= 1) dds_qset_resource_limits(qos, (int32_t)max_samples, DDS_LENGTH_UNLIMITED, (int32_t)max_samples);
  /* ROS 2 (rmw_cyclonedds) speaks XCDR1 only. */
  dds_data_representation_id_t xcdr1 = DDS_DATA_REPRESENTATION_XCDR1;
  dds_qset_data_representation(qos, 1, &xcdr1);
  return qos;
}

static napi_status set_double(napi_env env, napi_value obj, const char *name, double v) {
  napi_value jv;
  napi_status s = napi_create_double(env, v, &jv);
  return s == napi_ok ? napi_set_named_property(env, obj, name, jv) : s;
}

static napi_status set_bool(napi_env env, napi_value obj, const char *name, bool v) {
  napi_value jv;
  napi_status s = napi_get_boolean(env, v, &jv);
  return s == napi_ok ? napi_set_named_property(env, obj, name, jv) : s;
}

static double ns_or_infinite(dds_duration_t d) {
  return d == DDS_INFINITY ? -1.0 : (double)d;
}

napi_value fl_qos_to_js(napi_env env, const dds_qos_t *qos) {
  napi_value obj;
  NAPI_CALL(env, napi_create_object(env, &obj));
  dds_reliability_kind_t rk = DDS_RELIABILITY_BEST_EFFORT;
  dds_duration_t max_blocking = 0;
  dds_durability_kind_t dk = DDS_DURABILITY_VOLATILE;
  dds_history_kind_t hk = DDS_HISTORY_KEEP_LAST;
  int32_t depth = 1;
  dds_duration_t deadline = DDS_INFINITY, lifespan = DDS_INFINITY, lease = DDS_INFINITY;
  dds_liveliness_kind_t lk;
  if (qos != NULL) {
    dds_qget_reliability(qos, &rk, &max_blocking);
    dds_qget_durability(qos, &dk);
    dds_qget_history(qos, &hk, &depth);
    dds_qget_deadline(qos, &deadline);
    dds_qget_lifespan(qos, &lifespan);
    dds_qget_liveliness(qos, &lk, &lease);
  }
  NAPI_CALL(env, set_bool(env, obj, "reliable", rk == DDS_RELIABILITY_RELIABLE));
  NAPI_CALL(env, set_bool(env, obj, "transientLocal", dk != DDS_DURABILITY_VOLATILE));
  NAPI_CALL(env, set_bool(env, obj, "keepAll", hk == DDS_HISTORY_KEEP_ALL));
  NAPI_CALL(env, set_double(env, obj, "depth", depth));
  NAPI_CALL(env, set_double(env, obj, "deadlineNs", ns_or_infinite(deadline)));
  NAPI_CALL(env, set_double(env, obj, "lifespanNs", ns_or_infinite(lifespan)));
  NAPI_CALL(env, set_double(env, obj, "livelinessLeaseNs", ns_or_infinite(lease)));
  return obj;
}
