/**
 * The S3 backend on @aws-sdk/client-s3. Five raw calls, nothing more (style rule 5):
 * bounded ranged GetObject, HeadObject, PutObject (If-None-Match / If-Match) or a multipart
 * upload for large streamed bodies, ListObjectsV2 pages, DeleteObject.
 *
 * Retries: one layer per request, never two. `client` runs with SDK maxAttempts 1 and the
 * plugin wraps the store in core's withRetry (backoff with full jitter; conditional puts are
 * flagged with `mayHaveSucceeded` after a retry). Multipart requests cannot go through
 * withRetry (it never replays a stream), so they use `partClient`, whose SDK retry strategy
 * (standard mode: exponential backoff with jitter, `partAttempts`) retries each part alone.
 */
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig,
} from './sdk.js';
import {
  CorruptDataError, TransientError, UnsupportedError, checkRange, throwIfAborted, validateKey, validatePrefix,
  type GetOptions, type ListOptions, type ObjectInfo, type ObjectStore, type PutBody, type PutOptions, type StoreCapabilities,
} from '@genolake/core';
import { displayUrl, type S3StoreConfig } from './config.js';
import { mapS3Error, statusOf, type Condition } from './errors.js';
import { multipartUpload } from './multipart.js';
import { fixedParts } from './parts.js';
import { checkContentRange, readBody } from './body.js';
import { sendUnsignedPayloads } from './payload.js';

/** Part n's size: doubles every 2,000 parts, so 10,000 parts of a 16 MiB base reach ~1 TB. */
function partSizeOf(base: number): (index: number) => number {
  return (i) => base * 2 ** Math.min(4, Math.floor(i / 2000));
}

export class S3Store implements ObjectStore {
  readonly url: string;
  readonly capabilities: StoreCapabilities;
  readonly config: Readonly<S3StoreConfig>;
  private readonly client: S3Client;
  private readonly partClient: S3Client;
  private readonly payer: { RequestPayer?: 'requester' };

  constructor(config: S3StoreConfig) {
    this.config = config;
    this.url = displayUrl(config);
    // S3 enforces If-None-Match: * and If-Match on PutObject (AWS since 2024; radosgw 16 too).
    this.capabilities = { conditionalCreate: !config.readOnly, conditionalMatch: !config.readOnly, writable: !config.readOnly };
    this.payer = config.requesterPays ? { RequestPayer: 'requester' } : {};
    const base: S3ClientConfig = {
      forcePathStyle: config.forcePathStyle,
      // Plain options object: the SDK builds its NodeHttpHandler from it (keep-alive agent).
      // socketTimeout is the idle timeout; the handler's requestTimeout bounds a whole
      // request and, in this SDK, only prints a warning (a 1 GiB get can take longer).
      requestHandler: {
        socketTimeout: config.timeoutMs, connectionTimeout: Math.min(config.timeoutMs, 10_000),
        httpAgent: { keepAlive: true, maxSockets: config.maxSockets }, httpsAgent: { keepAlive: true, maxSockets: config.maxSockets },
      },
      ...(config.region ? { region: config.region } : {}),
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
      // S3-compatible servers store or reject the SDK's aws-chunked trailing checksums.
      ...(config.endpoint ? { requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const } : {}),
    };
    this.client = new S3Client({ ...base, maxAttempts: 1 });
    this.partClient = new S3Client({ ...base, maxAttempts: config.partAttempts, retryMode: 'standard' });
    if (!config.signPayload) {
      sendUnsignedPayloads(this.client);
      sendUnsignedPayloads(this.partClient);
    }
  }

  private fullKey(key: string): string {
    validateKey(key);
    return this.config.prefix ? `${this.config.prefix}/${key}` : key;
  }

  private opts(signal?: AbortSignal): { abortSignal?: AbortSignal } {
    return signal ? { abortSignal: signal } : {};
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const Key = this.fullKey(key);
    const what = `get ${this.url}/${key}`;
    const { range, signal } = options;
    if (range) checkRange(range, `${this.url}/${key}`);
    throwIfAborted(signal, what);
    if (range?.length === 0) {
      await this.head(key, signal ? { signal } : {}); // NotFound still applies
      return new Uint8Array(0);
    }
    const Range = range ? `bytes=${range.offset}-${range.offset + range.length - 1}` : undefined;
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key, ...(Range ? { Range } : {}), ...this.payer }), this.opts(signal));
      let expected = res.ContentLength;
      if (range) {
        if (res.ContentRange === undefined) {
          // 200 instead of 206: only acceptable for a body no longer than what was asked for.
          if (expected === undefined || expected > range.offset + range.length) {
            (res.Body as { destroy?: () => void } | undefined)?.destroy?.();
            throw new CorruptDataError(`${what}: the server ignored the Range header`);
          }
          const whole = await readBody(res.Body, expected, what, signal);
          return whole.slice(Math.min(range.offset, whole.byteLength), range.offset + range.length);
        }
        expected = checkContentRange(res.ContentRange, range.offset, range.length, what);
        if (res.ContentLength !== undefined && res.ContentLength !== expected) {
          throw new CorruptDataError(`${what}: Content-Length ${res.ContentLength} disagrees with Content-Range ${res.ContentRange}`);
        }
      }
      return await readBody(res.Body, expected, what, signal);
    } catch (e) {
      // 416 InvalidRange: the range starts at or past the end, which reads as empty.
      if (range && statusOf(e) === 416) return new Uint8Array(0);
      throw mapS3Error(e, what, signal ? { signal } : {});
    }
  }

  async head(key: string, options: { signal?: AbortSignal } = {}): Promise<ObjectInfo> {
    const Key = this.fullKey(key);
    const what = `head ${this.url}/${key}`;
    throwIfAborted(options.signal, what);
    try {
      const res = await this.client.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key, ...this.payer }), this.opts(options.signal));
      return { key, size: res.ContentLength ?? 0, etag: res.ETag ?? '', ...(res.LastModified ? { lastModified: res.LastModified } : {}) };
    } catch (e) {
      throw mapS3Error(e, what, options.signal ? { signal: options.signal } : {});
    }
  }

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<ObjectInfo> {
    const Key = this.fullKey(key);
    const what = `put ${this.url}/${key}`;
    if (!this.capabilities.writable) throw new UnsupportedError(`store ${this.url} is read-only (put ${key})`);
    const { signal } = options;
    throwIfAborted(signal, what);
    const condition: Condition = options.ifNoneMatch === '*' ? 'ifNoneMatch' : options.ifMatch !== undefined ? 'ifMatch' : undefined;
    if (body instanceof Uint8Array) return this.putOnce(key, Key, body, options, condition, what);
    // Streamed: the first part decides between one PutObject and a multipart upload.
    const parts = fixedParts(body, partSizeOf(this.config.partSize), signal);
    const first = await parts.next();
    const second = first.done ? first : await parts.next();
    if (second.done) {
      await parts.return(undefined);
      return this.putOnce(key, Key, first.done ? new Uint8Array(0) : first.value, options, condition, what);
    }
    if (condition) {
      // radosgw's CompleteMultipartUpload ignores If-None-Match; a silent overwrite must never
      // pass for a commit, so conditional puts are limited to one PutObject (manifests are small).
      await parts.return(undefined);
      throw new UnsupportedError(`${what}: conditional put of a streamed body larger than ${this.config.partSize} bytes is not supported; pass the bytes in one piece (up to 5 GiB)`);
    }
    async function* replay(): AsyncGenerator<Uint8Array> {
      yield first.value as Uint8Array;
      yield second.value as Uint8Array;
      yield* parts;
    }
    const { size, etag } = await multipartUpload(replay(), {
      client: this.partClient, bucket: this.config.bucket, key: Key, concurrency: this.config.partConcurrency, what,
      ...(this.payer.RequestPayer ? { requestPayer: this.payer.RequestPayer } : {}),
      ...(options.contentType ? { contentType: options.contentType } : {}),
      ...(signal ? { signal } : {}),
    });
    return { key, size, etag };
  }

  private async putOnce(key: string, Key: string, bytes: Uint8Array, options: PutOptions, condition: Condition, what: string): Promise<ObjectInfo> {
    const { signal } = options;
    throwIfAborted(signal, what);
    try {
      const res = await this.client.send(
        new PutObjectCommand({
          Bucket: this.config.bucket, Key, Body: bytes, ContentLength: bytes.byteLength, ...this.payer,
          ...(options.ifNoneMatch === '*' ? { IfNoneMatch: '*' } : {}),
          ...(options.ifMatch !== undefined ? { IfMatch: this.config.bareIfMatch ? options.ifMatch.replace(/^(W\/)?"|"$/g, '') : options.ifMatch } : {}),
          ...(options.contentType ? { ContentType: options.contentType } : {}),
        }),
        this.opts(signal),
      );
      const etag = res.ETag || (await this.head(key, signal ? { signal } : {})).etag;
      return { key, size: bytes.byteLength, etag };
    } catch (e) {
      throw mapS3Error(e, what, { condition, ...(signal ? { signal } : {}) });
    }
  }

  async *list(prefix: string, options: ListOptions = {}): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    const { signal } = options;
    const what = `list ${this.url}/${prefix}`;
    throwIfAborted(signal, what);
    const root = this.config.prefix ? `${this.config.prefix}/` : '';
    let token: string | undefined;
    let last: string | undefined;
    do {
      let page;
      try {
        page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: root + prefix, ...(token ? { ContinuationToken: token } : {}), ...this.payer }),
          this.opts(signal),
        );
      } catch (e) {
        throw mapS3Error(e, what, signal ? { signal } : {});
      }
      for (const o of page.Contents ?? []) {
        if (!o.Key?.startsWith(root)) continue;
        const key = o.Key.slice(root.length);
        // Pages come in key order; a server that breaks that would break withRetry's resume.
        if (last !== undefined && key <= last) throw new TransientError(`${what}: listing went backwards at ${JSON.stringify(key)}`);
        last = key;
        yield { key, size: o.Size ?? 0, etag: o.ETag ?? '', ...(o.LastModified ? { lastModified: o.LastModified } : {}) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
      if (page.IsTruncated && !token) throw new TransientError(`${what}: truncated listing without a continuation token`);
    } while (token);
  }

  async delete(key: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    const Key = this.fullKey(key);
    const what = `delete ${this.url}/${key}`;
    if (!this.capabilities.writable) throw new UnsupportedError(`store ${this.url} is read-only (delete ${key})`);
    throwIfAborted(options.signal, what);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key, ...this.payer }), this.opts(options.signal));
    } catch (e) {
      const err = mapS3Error(e, what, options.signal ? { signal: options.signal } : {});
      if ((err as { code?: string }).code !== 'NOT_FOUND' || /bucket/.test(err.message)) throw err;
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
    this.partClient.destroy();
  }
}
