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

/* Serdata for a CDR buffer as it goes on the wire: DDSI carries payloads in whole 4-byte units,
   so a plain (XCDR1) buffer whose length is not a multiple of 4 gets zero bytes appended and
   their count in the low bits of the encapsulation options (XTypes 1.3 7.4.3.4), which lets any
   reader (Cyclone's typed readers, fleetloop) find the original end again. */
struct fl_serdata *fl_serdata_from_cdr(const struct ddsi_sertype *type, const void *bytes, size_t size);

/* How many padding bytes the options of `d`'s encapsulation header announce (0 for none, or when
   the header is not plain CDR). */
uint32_t fl_serdata_cdr_padding(const struct fl_serdata *d);

#endif
