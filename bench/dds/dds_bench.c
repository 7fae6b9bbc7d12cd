/*
 * The C baseline of bench:dds: the same measurements as fleetloopPeer.ts with plain Cyclone DDS
 * and an idlc-generated type. Domain from ROS_DOMAIN_ID, network from CYCLONEDDS_URI.
 *
 *   dds_bench sub WARMUP_S WINDOW_S  -> READY, then RATE <samples/s> over the window
 *   dds_bench pub SIZE SECONDS       -> writes SIZE-byte payloads as fast as it can
 *   dds_bench ping COUNT             -> 12-byte round trips; P50_US / P99_US of the round trip
 *   dds_bench pong SECONDS           -> echoes pings for at most SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "dds/dds.h"

#define THROUGHPUT_TOPIC "rt/bench/throughput"
#define PING_TOPIC "rt/bench/ping"
#define PONG_TOPIC "rt/bench/pong"

static void check(const char *what, dds_return_t rc) {
  if (rc < 0) {
    fprintf(stderr, "%s: %s\n", what, dds_strretcode(rc));
    exit(2);
  }
}

static dds_entity_t pp;

static dds_entity_t topic(const char *name) {
  dds_entity_t t = dds_create_topic(pp, &fleetloop_bench_msg_dds__Payload__desc, name, NULL, NULL);
  check("dds_create_topic", t);
  return t;
}

static dds_qos_t *qos_keep_last(int32_t depth) {
  dds_qos_t *q = dds_create_qos();
  dds_qset_reliability(q, DDS_RELIABILITY_RELIABLE, DDS_SECS(10));
  dds_qset_history(q, DDS_HISTORY_KEEP_LAST, depth);
  return q;
}

/* Throughput: reliable keep-all, the reader holding at most 4096 untaken samples, so a slow reader
   slows the writer down instead of losing samples or growing without bound. */
static dds_qos_t *qos_flow_controlled(void) {
  dds_qos_t *q = dds_create_qos();
  dds_qset_reliability(q, DDS_RELIABILITY_RELIABLE, DDS_SECS(10));
  dds_qset_history(q, DDS_HISTORY_KEEP_ALL, 0);
  dds_qset_resource_limits(q, 4096, DDS_LENGTH_UNLIMITED, 4096);
  return q;
}

static void wait_matched(dds_entity_t wr) {
  dds_publication_matched_status_t st;
  for (int i = 0; i < 3000; i++) {
    check("matched", dds_get_publication_matched_status(wr, &st));
    if (st.current_count > 0) return;
    dds_sleepfor(DDS_MSECS(10));
  }
  fprintf(stderr, "no reader matched\n");
  exit(3);
}

static int run_sub(double warmup_s, double window_s) {
  dds_qos_t *q = qos_flow_controlled();
  dds_entity_t rd = dds_create_reader(pp, topic(THROUGHPUT_TOPIC), q, NULL);
  check("dds_create_reader", rd);
  dds_entity_t ws = dds_create_waitset(pp);
  dds_set_status_mask(rd, DDS_DATA_AVAILABLE_STATUS);
  dds_waitset_attach(ws, rd, rd);
  printf("READY\n");
  fflush(stdout);
  void *samples[256] = {NULL};
  dds_sample_info_t si[256];
  dds_time_t first = 0, start = 0, end = 0;
  unsigned long long counted = 0;
  for (;;) {
    dds_waitset_wait(ws, NULL, 0, DDS_SECS(30));
    dds_return_t n;
    while ((n = dds_take(rd, samples, si, 256, 256)) > 0) {
      dds_time_t now = dds_time();
      if (first == 0) {
        first = now;
        start = first + (dds_time_t)(warmup_s * 1e9);
        end = start + (dds_time_t)(window_s * 1e9);
      }
      if (now >= start) counted += (unsigned long long)n;
      dds_return_loan(rd, samples, n);
      if (now >= end) {
        printf("RATE %.1f\n", counted / ((double)(now - start) / 1e9));
        return 0;
      }
    }
    if (first == 0) continue;
  }
}

static int run_pub(uint32_t size, double seconds) {
  dds_qos_t *q = qos_flow_controlled();
  dds_entity_t wr = dds_create_writer(pp, topic(THROUGHPUT_TOPIC), q, NULL);
  check("dds_create_writer", wr);
  wait_matched(wr);
  fleetloop_bench_msg_dds__Payload_ m;
  m.data._buffer = calloc(size, 1);
  m.data._length = m.data._maximum = size;
  m.data._release = false;
  dds_time_t end = dds_time() + (dds_time_t)(seconds * 1e9);
  unsigned long long written = 0;
  while ((written & 63) != 0 || dds_time() < end) {
    check("dds_write", dds_write(wr, &m));
    written++;
  }
  printf("WROTE %llu\n", written);
  return 0;
}

static int cmp(const void *a, const void *b) {
  dds_duration_t x = *(const dds_duration_t *)a, y = *(const dds_duration_t *)b;
  return x < y ? -1 : x > y;
}

static int run_ping(int count) {
  dds_qos_t *q = qos_keep_last(1);
  dds_entity_t wr = dds_create_writer(pp, topic(PING_TOPIC), q, NULL);
  dds_entity_t rd = dds_create_reader(pp, topic(PONG_TOPIC), q, NULL);
  check("ping endpoints", wr < 0 ? wr : rd);
  wait_matched(wr);
  dds_subscription_matched_status_t sm;
  do {
    dds_get_subscription_matched_status(rd, &sm);
    dds_sleepfor(DDS_MSECS(10));
  } while (sm.current_count == 0);
  dds_entity_t ws = dds_create_waitset(pp);
  dds_set_status_mask(rd, DDS_DATA_AVAILABLE_STATUS);
  dds_waitset_attach(ws, rd, rd);
  unsigned char payload[12] = {0};
  fleetloop_bench_msg_dds__Payload_ m = {.data = {._buffer = payload, ._length = 12, ._maximum = 12, ._release = false}};
  int warmup = count / 10;
  dds_duration_t *rtt = calloc((size_t)count, sizeof(*rtt));
  void *samples[1] = {NULL};
  dds_sample_info_t si[1];
  for (int i = 0; i < count + warmup; i++) {
    dds_time_t t0 = dds_time();
    check("dds_write", dds_write(wr, &m));
    for (;;) {
      dds_return_t n = dds_take(rd, samples, si, 1, 1);
      if (n > 0) {
        dds_return_loan(rd, samples, n);
        break;
      }
      dds_waitset_wait(ws, NULL, 0, DDS_SECS(5));
    }
    if (i >= warmup) rtt[i - warmup] = dds_time() - t0;
  }
  qsort(rtt, (size_t)count, sizeof(*rtt), cmp);
  printf("P50_US %.1f\nP99_US %.1f\n", rtt[count / 2] / 1e3, rtt[(count * 99) / 100] / 1e3);
  return 0;
}

static int run_pong(double seconds) {
  dds_qos_t *q = qos_keep_last(1);
  dds_entity_t rd = dds_create_reader(pp, topic(PING_TOPIC), q, NULL);
  dds_entity_t wr = dds_create_writer(pp, topic(PONG_TOPIC), q, NULL);
  check("pong endpoints", wr < 0 ? wr : rd);
  dds_entity_t ws = dds_create_waitset(pp);
  dds_set_status_mask(rd, DDS_DATA_AVAILABLE_STATUS);
  dds_waitset_attach(ws, rd, rd);
  printf("READY\n");
  fflush(stdout);
  void *samples[16] = {NULL};
  dds_sample_info_t si[16];
  dds_time_t end = dds_time() + (dds_time_t)(seconds * 1e9);
  while (dds_time() < end) {
    dds_waitset_wait(ws, NULL, 0, DDS_MSECS(100));
    dds_return_t n;
    while ((n = dds_take(rd, samples, si, 16, 16)) > 0) {
      for (dds_return_t i = 0; i < n; i++)
        if (si[i].valid_data) check("dds_write", dds_write(wr, samples[i]));
      dds_return_loan(rd, samples, n);
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  const char *d = getenv("ROS_DOMAIN_ID");
  pp = dds_create_participant(d != NULL ? (dds_domainid_t)atoi(d) : 0, NULL, NULL);
  check("dds_create_participant", pp);
  int rc = 2;
  if (argc >= 4 && strcmp(argv[1], "sub") == 0) rc = run_sub(atof(argv[2]), atof(argv[3]));
  else if (argc >= 4 && strcmp(argv[1], "pub") == 0) rc = run_pub((uint32_t)atoi(argv[2]), atof(argv[3]));
  else if (argc >= 3 && strcmp(argv[1], "ping") == 0) rc = run_ping(atoi(argv[2]));
  else if (argc >= 3 && strcmp(argv[1], "pong") == 0) rc = run_pong(atof(argv[2]));
  else fprintf(stderr, "usage: see the comment at the top of dds_bench.c\n");
  dds_delete(DDS_CYCLONEDDS_HANDLE);
  return rc;
}
