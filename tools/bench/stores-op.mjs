// One timed transfer for tools/bench/stores.mjs, in its own process so each peak RSS is its own:
//   node tools/bench/stores-op.mjs <op> '<json config>'
// config: { endpoint, bucket, accessKeyId, secretAccessKey, file, size, key, prefix, ...op options }
// Prints one JSON line: { op, ms, bytes, rssKiB, cpuMs (the process's user + system CPU), requests: { METHOD: n } }.
// HTTP requests are counted with node's `http.client.response.finish` diagnostics channel, which
// sees every request the SDK sends without touching it.
import diagnostics from 'node:diagnostics_channel';
import { createReadStream, openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Dataset, fetchPlan, objectSource, planReads } from '@genolake/core';
import { openS3Store } from '@genolake/store-s3';

const [op, json] = process.argv.slice(2);
const cfg = JSON.parse(json);
const requests = {};
/** x-amz-content-sha256 of the requests with a body: a hex SHA-256 (hashed by the SDK) or UNSIGNED-PAYLOAD. */
const payload = {};
// Counted when the response ends: every request has one (request.start was seen to miss a
// streamed PutObject sent with Expect: 100-continue).
diagnostics.subscribe('http.client.response.finish', ({ request }) => {
  requests[request.method] = (requests[request.method] ?? 0) + 1;
  if (request.method === 'PUT') {
    const h = String(request.getHeader('x-amz-content-sha256') ?? 'none');
    const kind = /^[0-9a-f]{64}$/.test(h) ? 'sha256' : h;
    payload[kind] = (payload[kind] ?? 0) + 1;
  }
});

const credentials = { accessKeyId: cfg.accessKeyId, secretAccessKey: cfg.secretAccessKey };
/** The genolake store as a user opens it (s3+http URL, withRetry on); options as given. */
const genolake = (prefix = '') =>
  openS3Store(new URL(`s3+http://${new URL(cfg.endpoint).host}/${cfg.bucket}${prefix ? `/${prefix}` : ''}`), {
    credentials,
    ...(cfg.partSize ? { partSize: cfg.partSize } : {}),
    ...(cfg.partConcurrency ? { partConcurrency: cfg.partConcurrency } : {}),
    ...(cfg.signPayload !== undefined ? { signPayload: cfg.signPayload } : {}),
  });
/**
 * A plain SDK client, as the SDK's docs show it for an S3-compatible endpoint. Checksums set to
 * WHEN_REQUIRED as genolake sets them for custom endpoints, so neither side computes a CRC
 * over the gigabyte and the comparison is of the transfer alone.
 */
const plain = () =>
  new S3Client({ endpoint: cfg.endpoint, region: 'us-east-1', forcePathStyle: true, credentials, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });

/** A chunk's worth of the data file, freshly allocated (as a driver holds an encoded chunk). */
function readPart(offset, length) {
  const buf = Buffer.allocUnsafe(length);
  const fd = openSync(cfg.file, 'r');
  try {
    for (let done = 0; done < length; ) done += readSync(fd, buf, done, length - done, offset + done);
  } finally {
    closeSync(fd);
  }
  return buf;
}

const ops = {
  /** genolake store.put of a stream (the file): multipart, parts cut as they arrive, N in flight. */
  async 'put-genolake'() {
    const store = genolake();
    const t0 = performance.now();
    const info = await store.put(cfg.key, createReadStream(cfg.file, { highWaterMark: 1 << 20 }));
    const ms = performance.now() - t0;
    await store.close?.();
    return { ms, bytes: info.size };
  },
  /** One PutObject, Body = a Buffer of all the bytes (read before the clock starts). */
  async 'put-plain-buffer'() {
    const body = readFileSync(cfg.file);
    const client = plain();
    const t0 = performance.now();
    await client.send(new PutObjectCommand({ Bucket: cfg.bucket, Key: cfg.key, Body: body, ContentLength: body.byteLength }));
    const ms = performance.now() - t0;
    client.destroy();
    return { ms, bytes: body.byteLength };
  },
  /** The same Buffer wrapped in a one-element stream: the SDK cannot hash it and signs UNSIGNED-PAYLOAD. */
  async 'put-plain-buffer-unsigned'() {
    const body = readFileSync(cfg.file);
    const client = plain();
    const t0 = performance.now();
    await client.send(new PutObjectCommand({ Bucket: cfg.bucket, Key: cfg.key, Body: Readable.from([body]), ContentLength: body.byteLength }));
    const ms = performance.now() - t0;
    client.destroy();
    return { ms, bytes: body.byteLength };
  },
  /** One PutObject, Body = a file stream with its ContentLength (single stream, no buffering). */
  async 'put-plain-stream'() {
    const client = plain();
    const t0 = performance.now();
    await client.send(new PutObjectCommand({ Bucket: cfg.bucket, Key: cfg.key, Body: createReadStream(cfg.file, { highWaterMark: 1 << 20 }), ContentLength: cfg.size }));
    const ms = performance.now() - t0;
    client.destroy();
    return { ms, bytes: cfg.size };
  },
  /**
   * A dataset write: chunks of `chunkBytes` through Dataset/Transaction (sha256 digest and an
   * If-None-Match PutObject per chunk), `inFlight` chunks at a time, then the commit. Each
   * chunk entry declares a layout (header + 8 streams) so reads can be planned by stream.
   */
  async 'put-txn'() {
    const store = genolake(cfg.prefix);
    const t0 = performance.now();
    const ds = await Dataset.create(store, { format: 'bench-bytes', formatVersion: '1' });
    const tx = ds.begin({ writerId: 'stores-bench' });
    const n = Math.ceil(cfg.size / cfg.chunkBytes);
    let next = 0, bytes = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const offset = i * cfg.chunkBytes, length = Math.min(cfg.chunkBytes, cfg.size - offset);
        const chunk = readPart(offset, length);
        const header = Math.min(4096, length), per = Math.floor((length - header) / 8);
        const streams = Object.fromEntries(Array.from({ length: 8 }, (_, s) => [`s${s}`, [header + s * per, s === 7 ? length - header - 7 * per : per]]));
        await tx.putChunk(tx.chunkKey('bytes', `c${String(i).padStart(5, '0')}`), chunk, { partition: 'bytes', records: 1, layout: { headerLength: header, streams } });
        bytes += length;
      }
    };
    await Promise.all(Array.from({ length: cfg.inFlight }, worker));
    await tx.commit({ operation: { kind: 'create', summary: `${n} chunks of ${cfg.chunkBytes} bytes` } });
    const ms = performance.now() - t0;
    await store.close?.();
    return { ms, bytes };
  },
  /** genolake store.get of the whole object (one GetObject, body collected into one buffer). */
  async 'get-genolake-whole'() {
    const store = genolake();
    const t0 = performance.now();
    const bytes = await store.get(cfg.key);
    const ms = performance.now() - t0;
    await store.close?.();
    return { ms, bytes: bytes.byteLength };
  },
  /** core's objectSource stream: one HEAD, then bounded 8 MiB ranged gets with one read-ahead. */
  async 'get-genolake-stream'() {
    const store = genolake();
    const t0 = performance.now();
    let bytes = 0;
    for await (const b of objectSource(store, cfg.key, cfg.blockSize ? { blockSize: cfg.blockSize } : {}).stream()) bytes += b.byteLength;
    const ms = performance.now() - t0;
    await store.close?.();
    return { ms, bytes };
  },
  /**
   * A full scan of the put-txn dataset through the query path: open the manifest, planReads
   * (header + all streams, coalesced, requests of at most 16 MiB), fetchPlan (8 in flight).
   */
  async 'get-genolake-plan'() {
    const store = genolake(cfg.prefix);
    const t0 = performance.now();
    const ds = await Dataset.open(store);
    const plan = planReads(ds.manifest.chunks);
    let bytes = 0;
    for await (const c of fetchPlan(store, plan)) {
      bytes += c.header.byteLength;
      for (const s of c.streams.values()) bytes += s.byteLength;
    }
    const ms = performance.now() - t0;
    await store.close?.();
    return { ms, bytes, planRequests: plan.requests.length };
  },
  /** One GetObject, body consumed as a stream and dropped. */
  async 'get-plain-stream'() {
    const client = plain();
    const t0 = performance.now();
    const res = await client.send(new GetObjectCommand({ Bucket: cfg.bucket, Key: cfg.key }));
    let bytes = 0;
    for await (const b of res.Body) bytes += b.byteLength;
    const ms = performance.now() - t0;
    client.destroy();
    return { ms, bytes };
  },
  /** Plain SDK ranged GetObjects of `rangeBytes`, `inFlight` at a time, each body collected (as fetchPlan does). */
  async 'get-plain-ranges'() {
    const client = plain();
    const t0 = performance.now();
    const n = Math.ceil(cfg.size / cfg.rangeBytes);
    let next = 0, bytes = 0;
    const worker = async () => {
      while (next < n) {
        const i = next++;
        const a = i * cfg.rangeBytes, b = Math.min(cfg.size, a + cfg.rangeBytes) - 1;
        const res = await client.send(new GetObjectCommand({ Bucket: cfg.bucket, Key: cfg.key, Range: `bytes=${a}-${b}` }));
        // Not `bytes += await ...`: that reads `bytes` before the await and loses the other
        // workers' additions (the first version of this row reported 9-13 MB/s that way).
        const got = (await res.Body.transformToByteArray()).byteLength;
        bytes += got;
      }
    };
    await Promise.all(Array.from({ length: cfg.inFlight }, worker));
    const ms = performance.now() - t0;
    client.destroy();
    return { ms, bytes };
  },
  /** One GetObject, body collected with the SDK's transformToByteArray. */
  async 'get-plain-buffer'() {
    const client = plain();
    const t0 = performance.now();
    const res = await client.send(new GetObjectCommand({ Bucket: cfg.bucket, Key: cfg.key }));
    const body = await res.Body.transformToByteArray();
    const ms = performance.now() - t0;
    client.destroy();
    return { ms, bytes: body.byteLength };
  },
};

if (!ops[op]) throw new Error(`unknown op ${op} (${Object.keys(ops).join(', ')})`);
const r = await ops[op]();
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ op, ...r, rssKiB: process.resourceUsage().maxRSS, cpuMs: Math.round((cpu.user + cpu.system) / 1e3), requests, payload })}\n`);
