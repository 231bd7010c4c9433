/**
 * The read-only HTTP(S) backend: objects are `<root>/<key>`, read with bounded
 * `Range: bytes=a-b` GETs and HEAD. Nothing here writes, lists or retries; the plugin wraps
 * the store in core's withRetry (see index.ts), so each failure is retried by one layer only.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  CorruptDataError, UnsupportedError, checkRange, throwIfAborted, validateKey, validatePrefix,
  type GetOptions, type ObjectInfo, type ObjectStore, type PutBody, type StoreCapabilities,
} from '@genolake/core';
import { expectedRangeLength, parseContentRange } from './content-range.js';
import { exchange, type Exchange } from './request.js';
import { statusError } from './status.js';
import { redactUrl } from './redact.js';

export interface HttpStoreOptions {
  /** Extra request headers (e.g. Authorization). Sent, never logged. */
  headers?: Record<string, string>;
  /** Idle timeout per request in ms (default 30,000). */
  timeoutMs?: number;
  /** Sockets kept per host (default 16; queries fetch ranges through a bounded pool anyway). */
  maxSockets?: number;
  /**
   * A server that ignores Range answers 200 with the whole object. Reads whose end lies
   * within this many bytes (default 1 MiB) take what they need from the front of that body
   * and drop the connection; farther ranges fail with UnsupportedError instead of
   * downloading a whole large object.
   */
  ignoredRangeLimit?: number;
}

export class HttpStore implements ObjectStore {
  readonly url: string;
  readonly capabilities: StoreCapabilities = { conditionalCreate: false, conditionalMatch: false, writable: false };
  private readonly base: URL;
  private readonly agent: HttpAgent;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly ignoredRangeLimit: number;

  constructor(root: URL | string, options: HttpStoreOptions = {}) {
    const base = new URL(root);
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new UnsupportedError(`not an http(s) URL: ${redactUrl(base)}`);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.hash = '';
    this.base = base;
    this.url = redactUrl(base, { showQuery: false }).replace(/\/$/, '');
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 16 };
    this.agent = base.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    // identity: a compressed body would make Content-Length and Range talk about other bytes.
    this.headers = { 'accept-encoding': 'identity', ...lowerKeys(options.headers ?? {}) };
    if (base.username || base.password) {
      const user = decodeURIComponent(base.username);
      const pass = decodeURIComponent(base.password);
      this.headers.authorization ??= `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
      base.username = base.password = '';
    }
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.ignoredRangeLimit = options.ignoredRangeLimit ?? 1024 * 1024;
  }

  /** The request URL of a key: the root's query (e.g. a signed token) is carried along. */
  private objectUrl(key: string): URL {
    validateKey(key);
    const u = new URL(key.split('/').map(encodeURIComponent).join('/'), this.base);
    u.search = this.base.search;
    return u;
  }

  async get(key: string, options: GetOptions = {}): Promise<Uint8Array> {
    const url = this.objectUrl(key);
    const what = `get ${this.url}/${key}`;
    const { range, signal } = options;
    if (range) checkRange(range, `${this.url}/${key}`);
    throwIfAborted(signal, what);
    if (range && range.length === 0) {
      await this.head(key, { ...(signal ? { signal } : {}) }); // still NotFound for a missing key
      return new Uint8Array(0);
    }
    const headers = range ? { ...this.headers, range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : this.headers;
    const ex = await exchange(url, { method: 'GET', headers, agent: this.agent, timeoutMs: this.timeoutMs, what, ...(signal ? { signal } : {}) });
    if (!range) {
      if (ex.status !== 200) throw this.fail(ex, what);
      const size = contentLength(ex);
      // No Content-Length (chunked): read to the end; a missing terminator still throws.
      if (size === undefined) return ex.read({ take: Number.POSITIVE_INFINITY, exact: false });
      return ex.read({ take: size, exact: true });
    }
    if (ex.status === 206) {
      let want: number;
      try {
        want = expectedRangeLength(header(ex, 'content-range'), range.offset, range.length, what);
      } catch (e) {
        ex.discard();
        throw e;
      }
      const declared = contentLength(ex);
      if (declared !== undefined && declared !== want) {
        ex.discard();
        throw new CorruptDataError(`${what}: Content-Length ${declared} disagrees with Content-Range ${header(ex, 'content-range')}`);
      }
      return ex.read({ take: want, exact: true });
    }
    if (ex.status === 416) {
      // Unsatisfiable: the range starts at or past the end, which the contract reads as empty.
      const total = parseContentRange(header(ex, 'content-range'))?.total;
      ex.discard();
      if (total !== undefined && range.offset < total) throw new CorruptDataError(`${what}: 416 for a range inside a ${total}-byte object`);
      return new Uint8Array(0);
    }
    if (ex.status === 200) return this.readIgnoredRange(ex, range.offset, range.length, what);
    throw this.fail(ex, what);
  }

  /** A 200 to a ranged request: take the range from the front of the body, or refuse. */
  private async readIgnoredRange(ex: Exchange, offset: number, length: number, what: string): Promise<Uint8Array> {
    const size = contentLength(ex);
    if (offset + length > this.ignoredRangeLimit && (size === undefined || size > this.ignoredRangeLimit)) {
      ex.discard();
      throw new UnsupportedError(
        `${what}: the server ignored the Range header and sent the whole ${size ?? 'unknown-size'} object; refusing to download it for bytes ${offset}-${offset + length - 1}`,
      );
    }
    if (size !== undefined && offset >= size) {
      ex.discard();
      return new Uint8Array(0);
    }
    const take = size === undefined ? length : Math.min(length, size - offset);
    // exact when the size is known: a short body then is a truncation, never data.
    return ex.read({ skip: offset, take, exact: size !== undefined });
  }

  async head(key: string, options: { signal?: AbortSignal } = {}): Promise<ObjectInfo> {
    const url = this.objectUrl(key);
    const what = `head ${this.url}/${key}`;
    throwIfAborted(options.signal, what);
    const init = { agent: this.agent, timeoutMs: this.timeoutMs, what, ...(options.signal ? { signal: options.signal } : {}) };
    let ex = await exchange(url, { ...init, method: 'HEAD', headers: this.headers });
    let size: number | undefined;
    if (ex.status === 405 || ex.status === 501) {
      // Some servers (signed-URL gateways) refuse HEAD: one byte by range tells the size.
      ex.discard();
      ex = await exchange(url, { ...init, method: 'GET', headers: { ...this.headers, range: 'bytes=0-0' } });
      if (ex.status === 206) size = parseContentRange(header(ex, 'content-range'))?.total;
      else if (ex.status === 416) size = 0;
      else if (ex.status === 200) size = contentLength(ex);
      else throw this.fail(ex, what);
      ex.discard();
    } else {
      if (ex.status !== 200) throw this.fail(ex, what);
      size = contentLength(ex);
      ex.discard();
    }
    if (size === undefined) throw new UnsupportedError(`${what}: the server sends no object size (Content-Length)`);
    const lm = header(ex, 'last-modified');
    const etag = header(ex, 'etag') ?? (lm ? `"${size}-${Date.parse(lm)}"` : undefined);
    if (!etag) throw new UnsupportedError(`${what}: the server sends neither ETag nor Last-Modified`);
    return { key, size, etag, ...(lm && !Number.isNaN(Date.parse(lm)) ? { lastModified: new Date(lm) } : {}) };
  }

  put(key: string, _body: PutBody): Promise<ObjectInfo> {
    validateKey(key);
    return Promise.reject(new UnsupportedError(`store ${this.url} is read-only (HTTP): cannot put ${key}; commits need a writable store`));
  }

  delete(key: string): Promise<void> {
    validateKey(key);
    return Promise.reject(new UnsupportedError(`store ${this.url} is read-only (HTTP): cannot delete ${key}`));
  }

  // eslint-disable-next-line require-yield
  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    throw new UnsupportedError(`store ${this.url} is read-only and cannot list objects (HTTP has no listing); datasets open through their _manifest/_latest hint`);
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  private fail(ex: Exchange, what: string): Error {
    ex.discard();
    return statusError(ex.status, what);
  }
}

function header(ex: Exchange, name: string): string | undefined {
  const v = ex.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function contentLength(ex: Exchange): number | undefined {
  const v = header(ex, 'content-length');
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

function lowerKeys(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}
