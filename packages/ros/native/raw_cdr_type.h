/*
 * A Cyclone DDS sertype whose samples are opaque, already-serialised CDR buffers (keyless,
 * encapsulation header included). fleetloop encodes and decodes messages in JavaScript, so the
 * native side only moves bytes: one malloc per sample holding the header and the payload.
 */
#ifndef FLEETLOOP_RAW_CDR_TYPE_H
#define FLEETLOOP_RAW_CDR_TYPE_H

#include <stddef.h>
#include <stdint.h>

#include "dds/dds.h"
#include "dds/ddsi/ddsi_serdata.h"
#include "dds/ddsi/ddsi_sertype.h"

struct fl_serdata {
  struct ddsi_serdata c;
  uint32_t size; /* bytes in data, encapsulation header included */
  unsigned char data[];
};

/* Creates a sertype for a keyless topic of DDS type `type_name` (one reference, owned by the caller
   until passed to dds_create_topic_sertype). */
struct ddsi_sertype *fl_raw_cdr_type_new(const char *type_name);

/* Serdata of kind SDK_DATA holding a copy of `size` bytes; NULL when out of memory. */
struct fl_serdata *fl_serdata_from_bytes(const struct ddsi_sertype *type, const void *bytes, size_t size);

#endif
