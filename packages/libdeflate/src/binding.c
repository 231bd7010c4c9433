/*
 * @genolake/libdeflate: a thin N-API binding to the system libdeflate.
 *
 * Single calls (inflateRaw, deflateRaw, crc32, deflateBound) and batch calls that process many
 * independent raw-deflate blocks in one native call (inflateBlocks, deflateBlocks), each with an
 * *Async twin that runs the same loop on libuv's threadpool and returns a Promise.
 *
 * Thread safety: libdeflate (de)compressors must not be shared between threads, so every thread
 * that runs one of our calls (the JS main thread, worker threads, libuv pool threads) keeps its
 * own, in a pthread-specific cache that is freed when the thread exits.
 *
 * All arguments are checked on the JS thread before any work starts, so the loops below never
 * read or write outside the caller's buffers. Async calls hold a reference to every typed array
 * until they settle; the caller must not modify (or transfer) them in the meantime.
 */
#include <node_api.h>
#include <libdeflate.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LEVEL 12

/* ---- per-thread (de)compressor cache ------------------------------------------------------ */

typedef struct {
  struct libdeflate_decompressor *d;
  struct libdeflate_compressor *c[MAX_LEVEL + 1];
} cache_t;

static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *p) {
  cache_t *cache = (cache_t *)p;
  if (!cache) return;
  libdeflate_free_decompressor(cache->d);
  for (int i = 0; i <= MAX_LEVEL; i++) libdeflate_free_compressor(cache->c[i]);
  free(cache);
}

static void cache_init(void) { pthread_key_create(&cache_key, cache_free); }

static cache_t *cache_get(void) {
  pthread_once(&cache_once, cache_init);
  cache_t *cache = (cache_t *)pthread_getspecific(cache_key);
  if (!cache) {
    cache = (cache_t *)calloc(1, sizeof(cache_t));
    if (cache && pthread_setspecific(cache_key, cache) != 0) {
      free(cache);
      cache = NULL;
    }
  }
  return cache;
}

static struct libdeflate_decompressor *get_decompressor(void) {
  cache_t *cache = cache_get();
  if (!cache) return NULL;
  if (!cache->d) cache->d = libdeflate_alloc_decompressor();
  return cache->d;
}

static struct libdeflate_compressor *get_compressor(int level) {
  cache_t *cache = cache_get();
  if (!cache) return NULL;
  if (!cache->c[level]) cache->c[level] = libdeflate_alloc_compressor(level);
  return cache->c[level];
}

/* ---- argument helpers ----------------------------------------------------------------------- */

/* A valid pointer for zero-length views (N-API may report NULL data for them). */
static uint8_t empty_byte;

#define CHECK(call)                                                            \
  do {                                                                         \
    if ((call) != napi_ok) {                                                   \
      napi_throw_error(env, "ERR_LIBDEFLATE_NAPI", "N-API call failed: " #call); \
      return NULL;                                                             \
    }                                                                          \
  } while (0)

static int throw_type(napi_env env, const char *fmt, const char *what) {
  char msg[200];
  snprintf(msg, sizeof msg, fmt, what);
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", msg);
  return 0;
}

static int throw_range(napi_env env, const char *msg) {
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", msg);
  return 0;
}

/* Bytes of a Uint8Array (Buffer included), Int8Array or Uint8ClampedArray. */
static int get_bytes(napi_env env, napi_value v, uint8_t **data, size_t *len, const char *what) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return throw_type(env, "%s must be a Uint8Array", what);
  napi_typedarray_type type;
  void *p = NULL;
  size_t n = 0;
  if (napi_get_typedarray_info(env, v, &type, &n, &p, NULL, NULL) != napi_ok) return throw_type(env, "%s must be a Uint8Array", what);
  if (type != napi_uint8_array && type != napi_int8_array && type != napi_uint8_clamped_array) {
    return throw_type(env, "%s must be a Uint8Array", what);
  }
  *data = p ? (uint8_t *)p : &empty_byte;
  *len = n;
  return 1;
}

static int get_u32s(napi_env env, napi_value v, uint32_t **data, size_t *len, const char *what) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) return throw_type(env, "%s must be a Uint32Array", what);
  napi_typedarray_type type;
  void *p = NULL;
  size_t n = 0;
  if (napi_get_typedarray_info(env, v, &type, &n, &p, NULL, NULL) != napi_ok || type != napi_uint32_array) {
    return throw_type(env, "%s must be a Uint32Array", what);
  }
  *data = p ? (uint32_t *)p : (uint32_t *)NULL;
  *len = n;
  return 1;
}

static int get_level(napi_env env, napi_value v, int *level) {
  napi_valuetype t;
  double d;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_number || napi_get_value_double(env, v, &d) != napi_ok ||
      d != (double)(int)d || d < 0 || d > MAX_LEVEL) {
    return throw_range(env, "level must be an integer from 0 to 12");
  }
  *level = (int)d;
  return 1;
}

static napi_value make_error(napi_env env, const char *code, const char *msg) {
  napi_value c, m, err;
  napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &c);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &m);
  napi_create_error(env, c, m, &err);
  return err;
}

static void set_number(napi_env env, napi_value obj, const char *key, double value) {
  napi_value v;
  napi_create_double(env, value, &v);
  napi_set_named_property(env, obj, key, v);
}

/* ---- single calls ----------------------------------------------------------------------------- */

/* inflateRaw(input, output): number of bytes written to output. */
static napi_value inflate_raw(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *in, *out;
  size_t in_len, out_len;
  if (!get_bytes(env, argv[0], &in, &in_len, "input") || !get_bytes(env, argv[1], &out, &out_len, "output")) return NULL;
  struct libdeflate_decompressor *d = get_decompressor();
  if (!d) {
    napi_throw_error(env, "ERR_LIBDEFLATE_NO_MEMORY", "libdeflate: cannot allocate a decompressor");
    return NULL;
  }
  size_t actual = 0;
  enum libdeflate_result r = libdeflate_deflate_decompress(d, in, in_len, out, out_len, &actual);
  if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
    char msg[160];
    snprintf(msg, sizeof msg, "libdeflate: output buffer too small: the data inflates to more than %zu bytes", out_len);
    napi_throw(env, make_error(env, "ERR_LIBDEFLATE_INSUFFICIENT_SPACE", msg));
    return NULL;
  }
  if (r != LIBDEFLATE_SUCCESS) {
    napi_throw(env, make_error(env, "ERR_LIBDEFLATE_BAD_DATA", "libdeflate: invalid deflate data"));
    return NULL;
  }
  napi_value result;
  CHECK(napi_create_double(env, (double)actual, &result));
  return result;
}

/* deflateRaw(input, output, level): number of bytes written to output. */
static napi_value deflate_raw(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *in, *out;
  size_t in_len, out_len;
  int level;
  if (!get_bytes(env, argv[0], &in, &in_len, "input") || !get_bytes(env, argv[1], &out, &out_len, "output") ||
      !get_level(env, argv[2], &level)) {
    return NULL;
  }
  struct libdeflate_compressor *c = get_compressor(level);
  if (!c) {
    napi_throw_error(env, "ERR_LIBDEFLATE_NO_MEMORY", "libdeflate: cannot allocate a compressor");
    return NULL;
  }
  size_t n = libdeflate_deflate_compress(c, in, in_len, out, out_len);
  if (n == 0) {
    char msg[200];
    snprintf(msg, sizeof msg, "libdeflate: output buffer of %zu bytes too small for %zu input bytes (deflateBound: %zu)", out_len,
             in_len, libdeflate_deflate_compress_bound(NULL, in_len));
    napi_throw(env, make_error(env, "ERR_LIBDEFLATE_INSUFFICIENT_SPACE", msg));
    return NULL;
  }
  napi_value result;
  CHECK(napi_create_double(env, (double)n, &result));
  return result;
}

/* crc32(data, init = 0): the CRC-32 (gzip's) of data, continuing from init. */
static napi_value js_crc32(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  uint8_t *in;
  size_t in_len;
  if (!get_bytes(env, argv[0], &in, &in_len, "data")) return NULL;
  uint32_t init = 0;
  if (argc >= 2) {
    napi_valuetype t;
    CHECK(napi_typeof(env, argv[1], &t));
    if (t != napi_undefined) {
      double d;
      if (t != napi_number || napi_get_value_double(env, argv[1], &d) != napi_ok || d != (double)(uint32_t)d) {
        throw_range(env, "init must be an integer from 0 to 2^32-1");
        return NULL;
      }
      init = (uint32_t)d;
    }
  }
  napi_value result;
  CHECK(napi_create_uint32(env, libdeflate_crc32(init, in, in_len), &result));
  return result;
}

/* deflateBound(length): worst-case deflateRaw output size for `length` input bytes, any level. */
static napi_value deflate_bound(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  double d;
  if (argc < 1 || napi_get_value_double(env, argv[0], &d) != napi_ok || d < 0 || d != (double)(size_t)d) {
    throw_range(env, "length must be a non-negative integer");
    return NULL;
  }
  napi_value result;
  CHECK(napi_create_double(env, (double)libdeflate_deflate_compress_bound(NULL, (size_t)d), &result));
  return result;
}

/* ---- batch calls ------------------------------------------------------------------------------- */

enum job_kind { JOB_INFLATE, JOB_DEFLATE };
enum failure { FAIL_NONE, FAIL_BAD_DATA, FAIL_SHORT, FAIL_LONG, FAIL_CRC, FAIL_NO_SPACE, FAIL_NO_MEMORY };

#define MAX_REFS 7

typedef struct {
  enum job_kind kind;
  uint8_t *src, *dst;
  size_t src_len, dst_len;
  uint32_t n;
  /* inflate: block k is src[src_off[k] .. + src_lens[k]] -> dst[dst_off[k] .. dst_off[k+1]], CRC crcs[k].
   * deflate: block k is src[src_off[k] .. src_off[k+1]] -> at most dst[dst_off[k] .. dst_off[k+1]];
   *          its compressed size goes to sizes[k] and the CRC32 of its input to crcs[k]. */
  uint32_t *src_off, *src_lens, *dst_off, *crcs, *sizes;
  int level;
  /* result */
  enum failure failure;
  uint32_t bad;
  size_t actual;
  /* async */
  napi_async_work work;
  napi_deferred deferred;
  napi_ref refs[MAX_REFS];
  int nrefs;
} job_t;

static void run_job(job_t *job) {
  job->failure = FAIL_NONE;
  if (job->kind == JOB_INFLATE) {
    struct libdeflate_decompressor *d = job->n ? get_decompressor() : NULL;
    if (job->n && !d) {
      job->failure = FAIL_NO_MEMORY;
      return;
    }
    for (uint32_t k = 0; k < job->n; k++) {
      uint8_t *out = job->dst + job->dst_off[k];
      size_t want = job->dst_off[k + 1] - job->dst_off[k];
      size_t actual = 0;
      enum libdeflate_result r = libdeflate_deflate_decompress(d, job->src + job->src_off[k], job->src_lens[k], out, want, &actual);
      enum failure f = FAIL_NONE;
      if (r == LIBDEFLATE_INSUFFICIENT_SPACE) f = FAIL_LONG;
      else if (r != LIBDEFLATE_SUCCESS) f = FAIL_BAD_DATA;
      else if (actual != want) f = FAIL_SHORT;
      else if (libdeflate_crc32(0, out, actual) != job->crcs[k]) f = FAIL_CRC;
      if (f != FAIL_NONE) {
        job->failure = f;
        job->bad = k;
        job->actual = actual;
        return;
      }
    }
  } else {
    struct libdeflate_compressor *c = job->n ? get_compressor(job->level) : NULL;
    if (job->n && !c) {
      job->failure = FAIL_NO_MEMORY;
      return;
    }
    for (uint32_t k = 0; k < job->n; k++) {
      const uint8_t *in = job->src + job->src_off[k];
      size_t in_len = job->src_off[k + 1] - job->src_off[k];
      size_t n = libdeflate_deflate_compress(c, in, in_len, job->dst + job->dst_off[k], job->dst_off[k + 1] - job->dst_off[k]);
      if (n == 0) {
        job->failure = FAIL_NO_SPACE;
        job->bad = k;
        return;
      }
      job->sizes[k] = (uint32_t)n;
      job->crcs[k] = libdeflate_crc32(0, in, in_len);
    }
  }
}

static napi_value job_error(napi_env env, job_t *job) {
  char msg[200];
  const char *code;
  uint32_t k = job->bad;
  switch (job->failure) {
    case FAIL_BAD_DATA:
      code = "ERR_LIBDEFLATE_BAD_DATA";
      snprintf(msg, sizeof msg, "block %u: invalid deflate data", k);
      break;
    case FAIL_SHORT:
      code = "ERR_LIBDEFLATE_SIZE";
      snprintf(msg, sizeof msg, "block %u: inflated %zu bytes, expected %u", k, job->actual, job->dst_off[k + 1] - job->dst_off[k]);
      break;
    case FAIL_LONG:
      code = "ERR_LIBDEFLATE_SIZE";
      snprintf(msg, sizeof msg, "block %u: inflates to more than the expected %u bytes", k, job->dst_off[k + 1] - job->dst_off[k]);
      break;
    case FAIL_CRC:
      code = "ERR_LIBDEFLATE_CRC";
      snprintf(msg, sizeof msg, "block %u: CRC32 mismatch", k);
      break;
    case FAIL_NO_SPACE:
      code = "ERR_LIBDEFLATE_INSUFFICIENT_SPACE";
      snprintf(msg, sizeof msg, "block %u: %u bytes of output space are too small for %u input bytes", k,
               job->dst_off[k + 1] - job->dst_off[k], job->src_off[k + 1] - job->src_off[k]);
      break;
    default:
      code = "ERR_LIBDEFLATE_NO_MEMORY";
      snprintf(msg, sizeof msg, "libdeflate: cannot allocate a %s", job->kind == JOB_INFLATE ? "decompressor" : "compressor");
      return make_error(env, code, msg);
  }
  napi_value err = make_error(env, code, msg);
  set_number(env, err, "blockIndex", k);
  if (job->failure == FAIL_SHORT) set_number(env, err, "actualSize", (double)job->actual);
  return err;
}

/* Offsets in `off` (count entries, non-decreasing) must end within `len` bytes. */
static int check_ranges(napi_env env, const uint32_t *off, size_t count, size_t len, const char *what) {
  for (size_t k = 0; k + 1 < count; k++) {
    if (off[k + 1] < off[k]) {
      char msg[160];
      snprintf(msg, sizeof msg, "%s must be non-decreasing (entry %zu)", what, k + 1);
      return throw_range(env, msg);
    }
  }
  if (count > 0 && off[count - 1] > len) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s point past the end of their buffer", what);
    return throw_range(env, msg);
  }
  return 1;
}

/* inflateBlocks(src, srcOffsets, srcLengths, dst, dstOffsets, expectedCrcs) */
static int parse_inflate(napi_env env, napi_value *argv, size_t argc, job_t *job) {
  size_t n_off, n_len, n_dst, n_crc;
  if (argc < 6) return throw_type(env, "%s: expected 6 arguments", "inflateBlocks");
  if (!get_bytes(env, argv[0], &job->src, &job->src_len, "src") || !get_u32s(env, argv[1], &job->src_off, &n_off, "srcOffsets") ||
      !get_u32s(env, argv[2], &job->src_lens, &n_len, "srcLengths") || !get_bytes(env, argv[3], &job->dst, &job->dst_len, "dst") ||
      !get_u32s(env, argv[4], &job->dst_off, &n_dst, "dstOffsets") || !get_u32s(env, argv[5], &job->crcs, &n_crc, "expectedCrcs")) {
    return 0;
  }
  if (n_len != n_off || n_crc != n_off || n_dst != n_off + 1 || n_off > UINT32_MAX - 1) {
    return throw_range(env, "inflateBlocks: srcLengths and expectedCrcs need one entry per block, dstOffsets one more");
  }
  job->kind = JOB_INFLATE;
  job->n = (uint32_t)n_off;
  for (size_t k = 0; k < n_off; k++) {
    if ((uint64_t)job->src_off[k] + job->src_lens[k] > job->src_len) return throw_range(env, "inflateBlocks: a source block ends past the end of src");
  }
  return check_ranges(env, job->dst_off, n_dst, job->dst_len, "dstOffsets");
}

/* deflateBlocks(src, srcOffsets, dst, dstOffsets, level, outSizes, outCrcs) */
static int parse_deflate(napi_env env, napi_value *argv, size_t argc, job_t *job) {
  size_t n_src, n_dst, n_sizes, n_crcs;
  if (argc < 7) return throw_type(env, "%s: expected 7 arguments", "deflateBlocks");
  if (!get_bytes(env, argv[0], &job->src, &job->src_len, "src") || !get_u32s(env, argv[1], &job->src_off, &n_src, "srcOffsets") ||
      !get_bytes(env, argv[2], &job->dst, &job->dst_len, "dst") || !get_u32s(env, argv[3], &job->dst_off, &n_dst, "dstOffsets") ||
      !get_level(env, argv[4], &job->level) || !get_u32s(env, argv[5], &job->sizes, &n_sizes, "outSizes") ||
      !get_u32s(env, argv[6], &job->crcs, &n_crcs, "outCrcs")) {
    return 0;
  }
  if (n_src == 0 || n_dst != n_src || n_sizes != n_src - 1 || n_crcs != n_src - 1) {
    return throw_range(env, "deflateBlocks: srcOffsets and dstOffsets need one entry more than blocks, outSizes and outCrcs one per block");
  }
  job->kind = JOB_DEFLATE;
  job->n = (uint32_t)(n_src - 1);
  return check_ranges(env, job->src_off, n_src, job->src_len, "srcOffsets") && check_ranges(env, job->dst_off, n_dst, job->dst_len, "dstOffsets");
}

static napi_value run_sync(napi_env env, napi_callback_info info, enum job_kind kind) {
  size_t argc = MAX_REFS;
  napi_value argv[MAX_REFS];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  job_t job;
  memset(&job, 0, sizeof job);
  if (!(kind == JOB_INFLATE ? parse_inflate(env, argv, argc, &job) : parse_deflate(env, argv, argc, &job))) return NULL;
  run_job(&job);
  if (job.failure != FAIL_NONE) napi_throw(env, job_error(env, &job));
  return NULL;
}

static napi_value inflate_blocks(napi_env env, napi_callback_info info) { return run_sync(env, info, JOB_INFLATE); }
static napi_value deflate_blocks(napi_env env, napi_callback_info info) { return run_sync(env, info, JOB_DEFLATE); }

static void async_execute(napi_env env, void *data) { run_job((job_t *)data); }

static void async_complete(napi_env env, napi_status status, void *data) {
  job_t *job = (job_t *)data;
  if (status == napi_cancelled) {
    napi_reject_deferred(env, job->deferred, make_error(env, "ERR_LIBDEFLATE_CANCELLED", "libdeflate: task cancelled"));
  } else if (job->failure != FAIL_NONE) {
    napi_reject_deferred(env, job->deferred, job_error(env, job));
  } else {
    napi_value undef;
    napi_get_undefined(env, &undef);
    napi_resolve_deferred(env, job->deferred, undef);
  }
  for (int i = 0; i < job->nrefs; i++) napi_delete_reference(env, job->refs[i]);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value run_async(napi_env env, napi_callback_info info, enum job_kind kind) {
  size_t argc = MAX_REFS;
  napi_value argv[MAX_REFS];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  job_t *job = (job_t *)calloc(1, sizeof(job_t));
  if (!job) {
    napi_throw_error(env, "ERR_LIBDEFLATE_NO_MEMORY", "libdeflate: out of memory");
    return NULL;
  }
  if (!(kind == JOB_INFLATE ? parse_inflate(env, argv, argc, job) : parse_deflate(env, argv, argc, job))) {
    free(job);
    return NULL;
  }
  /* Keep every typed array alive until the task settles. */
  for (size_t i = 0; i < argc && i < MAX_REFS; i++) {
    napi_valuetype t;
    if (napi_typeof(env, argv[i], &t) == napi_ok && t == napi_object &&
        napi_create_reference(env, argv[i], 1, &job->refs[job->nrefs]) == napi_ok) {
      job->nrefs++;
    }
  }
  napi_value promise, name;
  napi_create_string_utf8(env, kind == JOB_INFLATE ? "genolake.inflateBlocks" : "genolake.deflateBlocks", NAPI_AUTO_LENGTH, &name);
  if (napi_create_promise(env, &job->deferred, &promise) != napi_ok ||
      napi_create_async_work(env, NULL, name, async_execute, async_complete, job, &job->work) != napi_ok ||
      napi_queue_async_work(env, job->work) != napi_ok) {
    for (int i = 0; i < job->nrefs; i++) napi_delete_reference(env, job->refs[i]);
    free(job);
    napi_throw_error(env, "ERR_LIBDEFLATE_NAPI", "libdeflate: cannot queue async work");
    return NULL;
  }
  return promise;
}

static napi_value inflate_blocks_async(napi_env env, napi_callback_info info) { return run_async(env, info, JOB_INFLATE); }
static napi_value deflate_blocks_async(napi_env env, napi_callback_info info) { return run_async(env, info, JOB_DEFLATE); }

/* ---- module ------------------------------------------------------------------------------------ */

static napi_value init(napi_env env, napi_value exports) {
  napi_value version;
  napi_create_string_utf8(env, LIBDEFLATE_VERSION_STRING, NAPI_AUTO_LENGTH, &version);
  napi_property_descriptor props[] = {
      {"inflateRaw", NULL, inflate_raw, NULL, NULL, NULL, napi_enumerable, NULL},
      {"deflateRaw", NULL, deflate_raw, NULL, NULL, NULL, napi_enumerable, NULL},
      {"crc32", NULL, js_crc32, NULL, NULL, NULL, napi_enumerable, NULL},
      {"deflateBound", NULL, deflate_bound, NULL, NULL, NULL, napi_enumerable, NULL},
      {"inflateBlocks", NULL, inflate_blocks, NULL, NULL, NULL, napi_enumerable, NULL},
      {"deflateBlocks", NULL, deflate_blocks, NULL, NULL, NULL, napi_enumerable, NULL},
      {"inflateBlocksAsync", NULL, inflate_blocks_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"deflateBlocksAsync", NULL, deflate_blocks_async, NULL, NULL, NULL, napi_enumerable, NULL},
      {"libdeflateVersion", NULL, NULL, NULL, NULL, version, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
