#include "raw_cdr_type.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dds/ddsi/q_radmin.h"

/* A 4-byte encapsulation header alone: what a key-only sample of a keyless type carries. */
static const unsigned char empty_key_header[4] = {0x00, 0x01, 0x00, 0x00};

static struct fl_serdata *serdata_alloc(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind, size_t size) {
  if (size > UINT32_MAX - 4) return NULL;
  /* Cyclone may read up to the next multiple of 4 (DDSI aligns submessages): keep those bytes
     allocated and zero. */
  size_t padded = (size + 3) & ~(size_t)3;
  struct fl_serdata *d = malloc(sizeof(*d) + (padded > 0 ? padded : 4));
  if (d == NULL) return NULL;
  memset(d->data + size, 0, (padded > 0 ? padded : 4) - size);
  ddsi_serdata_init(&d->c, type, kind);
  d->c.hash = type != NULL ? type->serdata_basehash : 0;
  d->size = (uint32_t)size;
  return d;
}

struct fl_serdata *fl_serdata_from_bytes(const struct ddsi_sertype *type, const void *bytes, size_t size) {
  struct fl_serdata *d = serdata_alloc(type, SDK_DATA, size);
  if (d != NULL && size > 0) memcpy(d->data, bytes, size);
  return d;
}

/* Plain CDR, big- or little-endian (XCDR1): the encapsulations whose options carry the padding. */
static bool plain_cdr(const unsigned char *b, size_t size) {
  return size >= 4 && b[0] == 0x00 && (b[1] == 0x00 || b[1] == 0x01);
}

struct fl_serdata *fl_serdata_from_cdr(const struct ddsi_sertype *type, const void *bytes, size_t size) {
  const unsigned char *b = bytes;
  size_t pad = (4 - size % 4) % 4;
  if (pad == 0 || !plain_cdr(b, size) || (b[3] & 0x03) != 0) return fl_serdata_from_bytes(type, bytes, size);
  struct fl_serdata *d = serdata_alloc(type, SDK_DATA, size + pad);
  if (d == NULL) return NULL;
  memcpy(d->data, bytes, size);
  memset(d->data + size, 0, pad);
  d->data[3] = (unsigned char)(d->data[3] | pad);
  return d;
}

uint32_t fl_serdata_cdr_padding(const struct fl_serdata *d) {
  if (!plain_cdr(d->data, d->size)) return 0;
  uint32_t pad = d->data[3] & 0x03u;
  return d->size >= 4 + pad ? pad : 0;
}

/* ---- serdata operations ---- */

static bool sd_eqkey(const struct ddsi_serdata *a, const struct ddsi_serdata *b) {
  (void)a;
  (void)b;
  return true; /* keyless: one instance */
}

static uint32_t sd_get_size(const struct ddsi_serdata *dcmn) {
  const struct fl_serdata *d = (const struct fl_serdata *)dcmn;
  return d->size >= 4 ? d->size : 4;
}

static struct ddsi_serdata *sd_from_ser(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind,
                                        const struct nn_rdata *fragchain, size_t size) {
  struct fl_serdata *d = serdata_alloc(type, kind, size);
  if (d == NULL) return NULL;
  /* Fragments arrive in order and may overlap; copy each byte range once. */
  size_t off = 0;
  for (const struct nn_rdata *f = fragchain; f != NULL && off < size; f = f->nextfrag) {
    if (f->maxp1 <= off) continue;
    const unsigned char *payload = NN_RMSG_PAYLOADOFF(f->rmsg, NN_RDATA_PAYLOAD_OFF(f));
    size_t end = f->maxp1 < size ? f->maxp1 : size;
    memcpy(d->data + off, payload + (off - f->min), end - off);
    off = end;
  }
  d->size = (uint32_t)off;
  return &d->c;
}

static struct ddsi_serdata *sd_from_ser_iov(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind,
                                            ddsrt_msg_iovlen_t niov, const ddsrt_iovec_t *iov, size_t size) {
  struct fl_serdata *d = serdata_alloc(type, kind, size);
  if (d == NULL) return NULL;
  size_t off = 0;
  for (ddsrt_msg_iovlen_t i = 0; i < niov && off < size; i++) {
    size_t n = iov[i].iov_len;
    if (n > size - off) n = size - off;
    memcpy(d->data + off, iov[i].iov_base, n);
    off += n;
  }
  d->size = (uint32_t)off;
  return &d->c;
}

static struct ddsi_serdata *sd_from_keyhash(const struct ddsi_sertype *type, const struct ddsi_keyhash *keyhash) {
  (void)keyhash;
  return (struct ddsi_serdata *)fl_serdata_from_bytes(type, empty_key_header, sizeof(empty_key_header));
}

/* Application samples of this type are `ddsi_sertype_cdr_data_t` (size + bytes). */
static struct ddsi_serdata *sd_from_sample(const struct ddsi_sertype *type, enum ddsi_serdata_kind kind, const void *sample) {
  const ddsi_sertype_cdr_data_t *s = sample;
  if (kind == SDK_KEY) return sd_from_keyhash(type, NULL);
  struct fl_serdata *d = fl_serdata_from_bytes(type, s->data, s->sz);
  return d != NULL ? &d->c : NULL;
}

static void sd_to_ser(const struct ddsi_serdata *dcmn, size_t off, size_t sz, void *buf) {
  const struct fl_serdata *d = (const struct fl_serdata *)dcmn;
  if (d->size < 4) {
    /* key-only sample: the header alone */
    memcpy(buf, empty_key_header + off, sz);
    return;
  }
  memcpy(buf, d->data + off, sz);
}

static struct ddsi_serdata *sd_to_ser_ref(const struct ddsi_serdata *dcmn, size_t off, size_t sz, ddsrt_iovec_t *ref) {
  const struct fl_serdata *d = (const struct fl_serdata *)dcmn;
  ref->iov_base = d->size < 4 ? (void *)(empty_key_header + off) : (void *)(d->data + off);
  ref->iov_len = (ddsrt_iov_len_t)sz;
  return ddsi_serdata_ref(dcmn);
}

static void sd_to_ser_unref(struct ddsi_serdata *d, const ddsrt_iovec_t *ref) {
  (void)ref;
  ddsi_serdata_unref(d);
}

static bool sd_to_sample(const struct ddsi_serdata *dcmn, void *sample, void **bufptr, void *buflim) {
  (void)bufptr;
  (void)buflim;
  const struct fl_serdata *d = (const struct fl_serdata *)dcmn;
  ddsi_sertype_cdr_data_t *s = sample;
  unsigned char *copy = malloc(d->size > 0 ? d->size : 1);
  if (copy == NULL) return false;
  memcpy(copy, d->data, d->size);
  free(s->data);
  s->data = copy;
  s->sz = d->size;
  return true;
}

static struct ddsi_serdata *sd_to_untyped(const struct ddsi_serdata *dcmn) {
  /* The instance map keeps untyped samples for the life of the instance: keep them small. */
  struct fl_serdata *d = fl_serdata_from_bytes(dcmn->type, empty_key_header, sizeof(empty_key_header));
  if (d == NULL) return NULL;
  d->c.kind = SDK_KEY;
  d->c.type = NULL;
  return &d->c;
}

static bool sd_untyped_to_sample(const struct ddsi_sertype *type, const struct ddsi_serdata *d, void *sample, void **bufptr, void *buflim) {
  (void)type;
  (void)d;
  (void)bufptr;
  (void)buflim;
  ddsi_sertype_cdr_data_t *s = sample;
  free(s->data);
  s->data = NULL;
  s->sz = 0;
  return true;
}

static void sd_free(struct ddsi_serdata *d) {
  free(d);
}

static size_t sd_print(const struct ddsi_sertype *type, const struct ddsi_serdata *dcmn, char *buf, size_t size) {
  const struct fl_serdata *d = (const struct fl_serdata *)dcmn;
  int n = snprintf(buf, size, "(%s: %u bytes of CDR)", type != NULL ? type->type_name : "untyped", (unsigned)d->size);
  return n < 0 ? 0 : (size_t)n;
}

static void sd_get_keyhash(const struct ddsi_serdata *d, struct ddsi_keyhash *buf, bool force_md5) {
  (void)d;
  (void)force_md5;
  memset(buf->value, 0, sizeof(buf->value));
}

static const struct ddsi_serdata_ops raw_serdata_ops = {
  .eqkey = sd_eqkey,
  .get_size = sd_get_size,
  .from_ser = sd_from_ser,
  .from_ser_iov = sd_from_ser_iov,
  .from_keyhash = sd_from_keyhash,
  .from_sample = sd_from_sample,
  .to_ser = sd_to_ser,
  .to_ser_ref = sd_to_ser_ref,
  .to_ser_unref = sd_to_ser_unref,
  .to_sample = sd_to_sample,
  .to_untyped = sd_to_untyped,
  .untyped_to_sample = sd_untyped_to_sample,
  .free = sd_free,
  .print = sd_print,
  .get_keyhash = sd_get_keyhash,
#ifdef DDS_HAS_SHM
  /* Shared memory (iceoryx) stays off: these are never called without it. */
  .get_sample_size = NULL,
  .from_iox_buffer = NULL,
#endif
};

/* ---- sertype operations ---- */

static void st_free(struct ddsi_sertype *tp) {
  ddsi_sertype_fini(tp);
  free(tp);
}

static void st_zero_samples(const struct ddsi_sertype *tp, void *samples, size_t count) {
  (void)tp;
  memset(samples, 0, count * sizeof(ddsi_sertype_cdr_data_t));
}

static void st_realloc_samples(void **ptrs, const struct ddsi_sertype *tp, void *old, size_t oldcount, size_t count) {
  (void)tp;
  ddsi_sertype_cdr_data_t *s = realloc(old, count * sizeof(*s));
  if (s != NULL && count > oldcount) memset(s + oldcount, 0, (count - oldcount) * sizeof(*s));
  for (size_t i = 0; i < count; i++) ptrs[i] = s != NULL ? &s[i] : NULL;
}

static void st_free_samples(const struct ddsi_sertype *tp, void **ptrs, size_t count, dds_free_op_t op) {
  (void)tp;
  if (count == 0 || ptrs[0] == NULL) return;
  ddsi_sertype_cdr_data_t *s = ptrs[0];
  if (op & DDS_FREE_CONTENTS_BIT) {
    for (size_t i = 0; i < count; i++) {
      free(s[i].data);
      s[i].data = NULL;
    }
  }
  if (op & DDS_FREE_ALL_BIT) free(s);
}

static bool st_equal(const struct ddsi_sertype *a, const struct ddsi_sertype *b) {
  (void)a;
  (void)b;
  return true; /* same ops and type name: interchangeable */
}

static uint32_t st_hash(const struct ddsi_sertype *tp) {
  (void)tp;
  return 0;
}

static size_t st_get_serialized_size(const struct ddsi_sertype *tp, const void *sample) {
  (void)tp;
  return ((const ddsi_sertype_cdr_data_t *)sample)->sz;
}

static bool st_serialize_into(const struct ddsi_sertype *tp, const void *sample, void *dst, size_t dst_size) {
  (void)tp;
  const ddsi_sertype_cdr_data_t *s = sample;
  if (s->sz > dst_size) return false;
  memcpy(dst, s->data, s->sz);
  return true;
}

static const struct ddsi_sertype_ops raw_sertype_ops = {
  .version = ddsi_sertype_v0,
  .arg = NULL,
  .free = st_free,
  .zero_samples = st_zero_samples,
  .realloc_samples = st_realloc_samples,
  .free_samples = st_free_samples,
  .equal = st_equal,
  .hash = st_hash,
  /* No XTypes information: matching with idlc-generated types falls back on the type name. */
  .type_id = NULL,
  .type_map = NULL,
  .type_info = NULL,
  .derive_sertype = NULL,
  .get_serialized_size = st_get_serialized_size,
  .serialize_into = st_serialize_into,
};

struct ddsi_sertype *fl_raw_cdr_type_new(const char *type_name) {
  struct ddsi_sertype *tp = calloc(1, sizeof(*tp));
  if (tp == NULL) return NULL;
  ddsi_sertype_init_flags(tp, type_name, &raw_sertype_ops, &raw_serdata_ops, DDSI_SERTYPE_FLAG_TOPICKIND_NO_KEY);
  /* ROS 2 payloads are XCDR1 (rmw_cyclonedds writes nothing else). */
  tp->allowed_data_representation = DDS_DATA_REPRESENTATION_FLAG_XCDR1;
  return tp;
}
