/**
 * The Azure Blob backend: the five raw calls of core's ObjectStore over one container and
 * key prefix. Retries are not here: core's withRetry wraps this store (see open.ts), and
 * the SDK's own retries are off (maxTries 1) so the two never multiply. The one exception is
 * block staging of streamed bodies (see `stageBlock`).
 *
 * Every request gets a client-side deadline (`requestTimeoutMs`): the SDK's tryTimeoutInMs
 * only asks the server to give up (a `timeout=` query parameter) and does not stop a client
 * waiting on a stalled connection.
 */
import type { BlobItem, BlockBlobClient, ContainerClient } from '@azure/storage-blob';
import {
  NotFoundError, TransientError, UnsupportedError, checkRange, throwIfAborted, validateKey, validatePrefix,
} from '@genolake/core';
import type {
  DeleteOptions, GetOptions, ListOptions, ObjectInfo, ObjectStore, PutBody, PutOptions, StoreCapabilities,
} from '@genolake/core';
import { stageAll, toBlocks } from './blocks.js';
import { mapAzureError } from './errors.js';
import type { Secrets } from './redact.js';

export interface AzureStoreConfig {
  /** Container client with SDK retries off: core's withRetry is the retry layer. */
  container: ContainerClient;
  /** Deadline of one request, including its body (default 120 s). */
  requestTimeoutMs?: number;
  /** Retries of one staged block (default 3; see stageBlock). */
  blockRetries?: number;
  /** Key prefix inside the container ('' for the whole container). */
  prefix: string;
  /** Display URL (`az://account/container/prefix`), no secrets. */
  url: string;
  secrets: Secrets;
  readOnly?: boolean;
  /** Block size of streamed uploads (default 8 MiB; Azure allows up to 4000 MiB). */
  blockSize?: number;
  /** Blocks staged in parallel (default 3). */
  concurrency?: number;
  /** In-memory bodies up to this size go in one Put Blob request (default 64 MiB). */
  singlePutLimit?: number;
  /** Page size of listings (default 1000; tests use tiny pages to cross page boundaries). */
  listPageSize?: number;
}

const MiB = 1024 * 1024;

export class AzureStore implements ObjectStore {
  readonly url: string;
  readonly capabilities: StoreCapabilities;
  private readonly container: ContainerClient;
  private readonly timeoutMs: number;
  private readonly blockRetries: number;
  private readonly prefix: string;
  private readonly secrets: Secrets;
  private readonly blockSize: number;
  private readonly concurrency: number;
  private readonly singlePutLimit: number;
  private readonly listPageSize: number;

  constructor(config: AzureStoreConfig) {
    this.url = config.url;
    this.container = config.container;
    this.timeoutMs = config.requestTimeoutMs ?? 120_000;
    this.blockRetries = config.blockRetries ?? 3;
    this.prefix = config.prefix;
    this.secrets = config.secrets;
    this.blockSize = config.blockSize ?? 8 * MiB;
    this.concurrency = Math.max(1, config.concurrency ?? 3);
    this.singlePutLimit = config.singlePutLimit ?? 64 * MiB;
    this.listPageSize = config.listPageSize ?? 1000;
    // Azure enforces If-None-Match:* (409 BlobAlreadyExists) and If-Match atomically.
    this.capabilities = { conditionalCreate: true, conditionalMatch: true, writable: !config.readOnly };
  }

  private blobName(key: string): string {
    validateKey(key);
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  private blob(key: string): BlockBlobClient {
    return this.container.getBlockBlobClient(this.blobName(key));
  }

  /** The caller's signal plus this request's deadline (a timeout maps to TransientError). */
  private deadline(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  /**
   * Stages one block, retrying transient failures itself: core's withRetry cannot replay a
   * streamed body, but a block is a bounded buffer we still hold, and nothing above this
   * retries it, so retries do not multiply. Backoff with full jitter, as in core.
   */
  private async stageBlock(blob: BlockBlobClient, key: string, id: string, block: Uint8Array, signal: AbortSignal): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await blob.stageBlock(id, block, block.byteLength, { abortSignal: this.deadline(signal) });
        return;
      } catch (e) {
        const err = this.fail(e, 'put', key, signal);
        if (!(err instanceof TransientError) || attempt >= this.blockRetries) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(5000, 200 * 2 ** attempt)));
        throwIfAborted(signal, `put ${this.url}/${key}`);
      }
    }
  }

  private fail(e: unknown, op: string, key: string, signal?: AbortSignal, create = false): Error {
    return mapAzureError(e, { what: `${op} ${this.url}/${key}`, signal, secrets: this.secrets, create });
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    const blob = this.blob(key);
    const signal = options?.signal;
    throwIfAborted(signal, `get ${this.url}/${key}`);
    let offset = 0;
    let count: number | undefined;
    if (options?.range) {
      ({ offset, length: count } = checkRange(options.range, `${this.url}/${key}`));
      // The SDK reads count 0 as "to the end": a zero-length read only needs existence.
      if (count === 0) {
        await this.head(key, { ...(signal ? { signal } : {}) });
        return new Uint8Array(0);
      }
    }
    try {
      // maxRetryRequests 0: the SDK would otherwise silently re-request broken bodies.
      const res = await blob.download(offset, count, { abortSignal: this.deadline(signal), maxRetryRequests: 0 });
      return await readAll(res.readableStreamBody, res.contentLength);
    } catch (e) {
      // 416: the range starts at or past the end; the contract clips that to empty.
      if ((e as { statusCode?: number }).statusCode === 416 && options?.range) return new Uint8Array(0);
      throw this.fail(e, 'get', key, signal);
    }
  }

  async head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo> {
    const blob = this.blob(key);
    throwIfAborted(options?.signal, `head ${this.url}/${key}`);
    try {
      const p = await blob.getProperties({ abortSignal: this.deadline(options?.signal) });
      return info(key, p.contentLength ?? 0, p.etag, p.lastModified);
    } catch (e) {
      throw this.fail(e, 'head', key, options?.signal);
    }
  }

  async put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo> {
    const blob = this.blob(key);
    const signal = options?.signal;
    const what = `put ${this.url}/${key}`;
    if (!this.capabilities.writable) throw new UnsupportedError(`store ${this.url} is read-only (put ${key})`);
    throwIfAborted(signal, what);
    const create = options?.ifNoneMatch === '*';
    const conditions = create ? { ifNoneMatch: '*' } : options?.ifMatch !== undefined ? { ifMatch: options.ifMatch } : undefined;
    const headers = options?.contentType ? { blobContentType: options.contentType } : undefined;
    try {
      if (body instanceof Uint8Array && body.byteLength <= this.singlePutLimit) {
        return await this.putOnce(key, blob, body, conditions, headers, signal);
      }
      // Streams: look at most two blocks ahead; a body that fits in one block still goes
      // in a single request (fewer round trips for the many small manifests and indexes).
      const it = toBlocks(body, this.blockSize, signal, what)[Symbol.asyncIterator]();
      const first = await it.next();
      if (first.done) return await this.putOnce(key, blob, new Uint8Array(0), conditions, headers, signal);
      const second = await it.next();
      if (second.done) return await this.putOnce(key, blob, first.value, conditions, headers, signal);
      async function* all(): AsyncGenerator<Uint8Array> {
        yield first.value as Uint8Array;
        yield second.value as Uint8Array;
        for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
      }
      const { ids, size } = await stageAll(all(), this.concurrency, (id, block, s) => this.stageBlock(blob, key, id, block, s), signal);
      throwIfAborted(signal, what);
      // The condition sits on the commit: the object appears, atomically, only here.
      const res = await blob.commitBlockList(ids, { conditions, blobHTTPHeaders: headers, abortSignal: this.deadline(signal) });
      return info(key, size, res.etag, res.lastModified);
    } catch (e) {
      throw this.fail(e, 'put', key, signal, create);
    }
  }

  private async putOnce(
    key: string,
    blob: BlockBlobClient,
    bytes: Uint8Array,
    conditions: { ifNoneMatch?: string; ifMatch?: string } | undefined,
    headers: { blobContentType: string } | undefined,
    signal?: AbortSignal,
  ): Promise<ObjectInfo> {
    const res = await blob.upload(bytes, bytes.byteLength, { conditions, blobHTTPHeaders: headers, abortSignal: this.deadline(signal) });
    return info(key, bytes.byteLength, res.etag, res.lastModified);
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    const signal = options?.signal;
    throwIfAborted(signal, `list ${this.url}/${prefix}`);
    const full = this.prefix ? `${this.prefix}/${prefix}` : prefix;
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    // byPage follows continuation tokens; Azure returns names in lexicographic order.
    // The deadline is per page request, so it is renewed before each page.
    const current = new AbortController();
    const pageSignal = signal ? AbortSignal.any([signal, current.signal]) : current.signal;
    const pages = this.container.listBlobsFlat({ prefix: full, abortSignal: pageSignal }).byPage({ maxPageSize: this.listPageSize });
    const it = pages[Symbol.asyncIterator]();
    for (;;) {
      let page: IteratorResult<{ segment: { blobItems: BlobItem[] } }>;
      const timer = setTimeout(() => current.abort(new Error('list page timed out')), this.timeoutMs);
      try {
        page = await it.next();
      } catch (e) {
        throw this.fail(e, 'list', prefix, signal);
      } finally {
        clearTimeout(timer);
      }
      if (page.done) return;
      for (const b of page.value.segment.blobItems) {
        yield info(b.name.slice(strip), b.properties.contentLength ?? 0, b.properties.etag, b.properties.lastModified);
      }
      throwIfAborted(signal, `list ${this.url}/${prefix}`);
    }
  }

  async delete(key: string, options?: DeleteOptions): Promise<void> {
    const blob = this.blob(key);
    if (!this.capabilities.writable) throw new UnsupportedError(`store ${this.url} is read-only (delete ${key})`);
    throwIfAborted(options?.signal, `delete ${this.url}/${key}`);
    try {
      await blob.deleteIfExists({ abortSignal: this.deadline(options?.signal), deleteSnapshots: 'include' });
    } catch (e) {
      const err = this.fail(e, 'delete', key, options?.signal);
      // An absent container holds no such object: deleting it is done.
      if (err instanceof NotFoundError) return;
      throw err;
    }
  }
}

/**
 * Etags in one form: Azure quotes them in headers ("0x8D…") but not in list XML, and
 * head/list/put must agree so an etag from any of them works with ifMatch.
 */
export function normaliseEtag(etag: string | undefined): string {
  if (!etag) return '""';
  return etag.startsWith('"') ? etag : `"${etag}"`;
}

function info(key: string, size: number, etag: string | undefined, lastModified: Date | undefined): ObjectInfo {
  return { key, size, etag: normaliseEtag(etag), ...(lastModified ? { lastModified } : {}) };
}

/** Reads a response body into one array, preallocated when the length is known. */
async function readAll(body: NodeJS.ReadableStream | undefined, length: number | undefined): Promise<Uint8Array> {
  if (!body) return new Uint8Array(0);
  if (length !== undefined) {
    const out = new Uint8Array(length);
    let o = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      if (o + chunk.byteLength > length) throw new TransientError(`response body longer than its Content-Length ${length}`);
      out.set(chunk, o);
      o += chunk.byteLength;
    }
    // A body cut short without a socket error is still a failed transfer, never short data.
    if (o !== length) throw new TransientError(`response body ended after ${o} of ${length} bytes`);
    return out;
  }
  const parts: Buffer[] = [];
  for await (const chunk of body as AsyncIterable<Buffer>) parts.push(chunk);
  const buf = Buffer.concat(parts);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}
