/**
 * The GCS backend: core's five raw calls over one bucket and key prefix, through
 * @google-cloud/storage. Retries live in core's withRetry (see open.ts); the SDK's are off.
 *
 * Etags are object generations (decimal strings). `ifMatch: <generation>` becomes
 * ifGenerationMatch=<generation>, create-if-absent ifGenerationMatch=0; GCS answers a failed
 * one with 412 (AlreadyExists for a create). Metagenerations are not used: genolake never
 * patches metadata in place, and a new generation is what an overwrite produces.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Bucket, File, FileMetadata } from '@google-cloud/storage';
import {
  NotFoundError, PreconditionFailedError, TransientError, UnsupportedError, checkRange, throwIfAborted, validateKey, validatePrefix,
} from '@genolake/core';
import type { DeleteOptions, GetOptions, ListOptions, ObjectInfo, ObjectStore, PutBody, PutOptions, StoreCapabilities } from '@genolake/core';
import { mapGcsError } from './errors.js';

export interface GcsStoreConfig {
  bucket: Bucket;
  prefix: string;
  /** `gs://bucket/prefix`, no secrets. */
  url: string;
  /** Billing project for requester-pays buckets. */
  userProject?: string;
  readOnly?: boolean;
  /**
   * Streamed bodies use a resumable upload (default). false sends them in one streamed
   * multipart request instead, for endpoints without working resumable uploads (the
   * firebase emulator), capped at `singleRequestLimit`.
   */
  resumable?: boolean;
  /** Largest body sent in one request (default 8 MiB for in-memory bodies, 128 MiB when not resumable). */
  singleRequestLimit?: number;
  /** A request that makes no progress for this long fails as TransientError (default 120 s). */
  requestTimeoutMs?: number;
  listPageSize?: number;
  /** Whether the endpoint enforces preconditions (open.ts probes emulators). */
  conditional?: boolean;
}

const MiB = 1024 * 1024;
/** Upload bodies are fed to the SDK in pieces of this size so progress can be watched. */
const FEED = MiB;

export class GcsStore implements ObjectStore {
  readonly url: string;
  readonly capabilities: StoreCapabilities;
  private readonly bucket: Bucket;
  private readonly prefix: string;
  private readonly userProject: { userProject?: string };
  private readonly resumable: boolean;
  private readonly smallBody: number;
  private readonly streamCap: number;
  private readonly timeoutMs: number;
  private readonly listPageSize: number;

  constructor(config: GcsStoreConfig) {
    this.url = config.url;
    this.bucket = config.bucket;
    this.prefix = config.prefix;
    this.userProject = config.userProject ? { userProject: config.userProject } : {};
    this.resumable = config.resumable ?? true;
    this.smallBody = this.resumable ? (config.singleRequestLimit ?? 8 * MiB) : Infinity;
    this.streamCap = this.resumable ? Infinity : (config.singleRequestLimit ?? 128 * MiB);
    this.timeoutMs = config.requestTimeoutMs ?? 120_000;
    this.listPageSize = config.listPageSize ?? 1000;
    const conditional = config.conditional ?? true;
    this.capabilities = { conditionalCreate: conditional, conditionalMatch: conditional, writable: !config.readOnly };
  }

  private file(key: string): File {
    validateKey(key);
    return this.bucket.file(this.prefix ? `${this.prefix}/${key}` : key);
  }

  private fail(e: unknown, op: string, key: string, signal?: AbortSignal, create = false): Error {
    return mapGcsError(e, { op, target: `${this.url}/${key}`, signal, create });
  }

  /** Runs a promise-returning SDK call under the caller's signal and the request deadline. */
  private async call<T>(op: string, key: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    throwIfAborted(signal, `${op} ${this.url}/${key}`);
    const deadline = AbortSignal.timeout(this.timeoutMs);
    const both = signal ? AbortSignal.any([signal, deadline]) : deadline;
    let onAbort: () => void = () => undefined;
    // The SDK's JSON calls take no AbortSignal: we stop waiting; the request may finish unseen.
    const stopped = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal?.aborted ? signal.reason : new TransientError(`${op} ${this.url}/${key} timed out after ${this.timeoutMs} ms`));
      both.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([fn(), stopped]);
    } catch (e) {
      throw this.fail(e, op, key, signal);
    } finally {
      both.removeEventListener('abort', onAbort);
    }
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    const file = this.file(key);
    const signal = options?.signal;
    throwIfAborted(signal, `get ${this.url}/${key}`);
    let range: { start: number; end: number } | undefined;
    if (options?.range) {
      const { offset, length } = checkRange(options.range, `${this.url}/${key}`);
      if (length === 0) {
        await this.head(key, { ...(signal ? { signal } : {}) });
        return new Uint8Array(0);
      }
      range = { start: offset, end: offset + length - 1 }; // inclusive end: always bounded
    }
    // Hash validation is off: it cannot check a partial read, and every genolake chunk and
    // stream carries its own digest and CRC32C.
    const stream = file.createReadStream({ validation: false, ...range, ...this.userProject });
    const parts: Buffer[] = [];
    const limit = range ? range.end - range.start + 1 : Infinity;
    let received = 0;
    const deadline = this.idleDeadline(signal, `get ${this.url}/${key}`);
    try {
      await pipeline(stream, async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          received += chunk.byteLength;
          // A server that ignores the Range header must not make us buffer the whole object.
          if (received > limit) throw new RangeIgnored();
          parts.push(chunk);
          deadline.bump();
        }
      }, { signal: deadline.signal });
    } catch (e) {
      // 416: the range starts at or past the end; the contract clips that to empty.
      if (range && (e as { code?: unknown }).code === 416) return new Uint8Array(0);
      if (range && e instanceof RangeIgnored) {
        // The firebase emulator answers an unsatisfiable range with the whole object.
        if (range.start >= (await this.head(key, { ...(signal ? { signal } : {}) })).size) return new Uint8Array(0);
        throw new TransientError(`get ${this.url}/${key}: the server ignored the byte range ${range.start}-${range.end}`);
      }
      throw this.fail(deadline.timedOut() ?? e, 'get', key, signal);
    } finally {
      deadline.done();
    }
    const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  async head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo> {
    const file = this.file(key);
    const [meta] = await this.call('head', key, options?.signal, () => file.getMetadata(this.userProject));
    return info(key, meta);
  }

  async put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo> {
    const file = this.file(key);
    const signal = options?.signal;
    const what = `put ${this.url}/${key}`;
    if (!this.capabilities.writable) throw new UnsupportedError(`store ${this.url} is read-only (put ${key})`);
    throwIfAborted(signal, what);
    const create = options?.ifNoneMatch === '*';
    let ifGenerationMatch: number | undefined;
    if (create) ifGenerationMatch = 0;
    else if (options?.ifMatch !== undefined) {
      // Our etags are generations; anything else cannot name a version of this object.
      if (!/^[1-9][0-9]*$/.test(options.ifMatch)) throw new PreconditionFailedError(`object changed: ${this.url}/${key} (etag ${options.ifMatch} is not a GCS generation)`);
      ifGenerationMatch = Number(options.ifMatch);
    }
    const resumable = !(body instanceof Uint8Array && body.byteLength <= this.smallBody) && this.resumable;
    const ws = file.createWriteStream({
      resumable,
      validation: false,
      ...(ifGenerationMatch !== undefined ? { preconditionOpts: { ifGenerationMatch } } : {}),
      ...(options?.contentType ? { metadata: { contentType: options.contentType } } : {}),
      ...this.userProject,
    });
    let size = 0;
    const deadline = this.idleDeadline(signal, what);
    const cap = resumable ? Infinity : this.streamCap;
    const source = async function* (): AsyncGenerator<Buffer> {
      const pieces = body instanceof Uint8Array ? [body] : body;
      for await (const chunk of pieces) {
        throwIfAborted(signal, what);
        for (let o = 0; o < chunk.byteLength; o += FEED) {
          const piece = chunk.subarray(o, Math.min(o + FEED, chunk.byteLength));
          size += piece.byteLength;
          deadline.bump(); // the SDK pulled the previous piece: bytes are moving
          if (size > cap) throw new UnsupportedError(`${what}: bodies over ${cap} bytes need resumable uploads, which this endpoint does not support`);
          yield Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
        }
      }
      throwIfAborted(signal, what);
    };
    try {
      await pipeline(Readable.from(source(), { objectMode: false }), ws, { signal: deadline.signal });
    } catch (e) {
      throw this.fail(deadline.timedOut() ?? e, 'put', key, signal, create);
    } finally {
      deadline.done();
    }
    // The upload's response metadata (generation, size) is on the File once it finished.
    return info(key, file.metadata, size);
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    const signal = options?.signal;
    const full = this.prefix ? `${this.prefix}/${prefix}` : prefix;
    const strip = this.prefix ? this.prefix.length + 1 : 0;
    let pageToken: string | undefined;
    do {
      const query = { prefix: full, autoPaginate: false, maxResults: this.listPageSize, ...(pageToken ? { pageToken } : {}), ...this.userProject };
      const [files, next] = await this.call('list', prefix, signal, () => this.bucket.getFiles(query));
      // GCS lists names in lexicographic (UTF-8 byte) order.
      for (const f of files) yield info(f.name.slice(strip), f.metadata);
      pageToken = (next as { pageToken?: string } | null | undefined)?.pageToken;
    } while (pageToken);
  }

  async delete(key: string, options?: DeleteOptions): Promise<void> {
    const file = this.file(key);
    if (!this.capabilities.writable) throw new UnsupportedError(`store ${this.url} is read-only (delete ${key})`);
    try {
      await this.call('delete', key, options?.signal, () => file.delete({ ignoreNotFound: true, ...this.userProject }));
    } catch (e) {
      if (e instanceof NotFoundError) return; // bucket-level 404: nothing to delete
      throw e;
    }
  }

  /**
   * A deadline that moves with progress: the transfer fails (TransientError) when no bytes
   * move for `requestTimeoutMs`, counting the wait for the response after the last byte. A
   * per-request timeout that still allows arbitrarily large bodies.
   */
  private idleDeadline(signal: AbortSignal | undefined, what: string): { signal: AbortSignal; bump(): void; done(): void; timedOut(): Error | undefined } {
    const idle = new AbortController();
    const ms = this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const bump = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), ms);
    };
    bump();
    return {
      signal: signal ? AbortSignal.any([signal, idle.signal]) : idle.signal,
      bump,
      done: () => clearTimeout(timer),
      timedOut: () => (idle.signal.aborted && !signal?.aborted ? new TransientError(`${what}: no progress for ${ms} ms`) : undefined),
    };
  }
}

class RangeIgnored extends Error {}

function info(key: string, meta: FileMetadata, size?: number): ObjectInfo {
  const updated = meta.updated ? new Date(meta.updated) : undefined;
  return {
    key,
    size: meta.size !== undefined ? Number(meta.size) : (size ?? 0),
    etag: meta.generation !== undefined ? String(meta.generation) : '',
    ...(updated ? { lastModified: updated } : {}),
  };
}
