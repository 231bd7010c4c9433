import { createHash } from 'node:crypto';
import { AlreadyExistsError, NotFoundError, PreconditionFailedError, UnsupportedError, throwIfAborted } from '../errors.js';
import { collectBody } from './body.js';
import { validateKey, validatePrefix } from './keys.js';
import { checkRange, clipRange } from './range.js';
import type { DeleteOptions, GetOptions, ListOptions, ObjectInfo, ObjectStore, PutBody, PutOptions, StoreCapabilities } from './types.js';

interface Entry {
  bytes: Uint8Array;
  etag: string;
  lastModified: Date;
}

/**
 * A namespace of objects held in memory. Several MemoryStore views (different prefixes of
 * the same `mem://name`) share one namespace.
 */
export class MemoryNamespace {
  readonly objects = new Map<string, Entry>();
  private counter = 0;
  nextEtag(bytes: Uint8Array): string {
    // Content hash plus a counter: two puts of equal bytes still get distinct etags, as on S3
    // with versioning semantics we rely on for ifMatch.
    this.counter++;
    return `"${createHash('md5').update(bytes).digest('hex')}-${this.counter}"`;
  }
}

/** In-memory ObjectStore (`mem://name/prefix`). Conditional puts are atomic (single thread). */
export class MemoryStore implements ObjectStore {
  readonly capabilities: StoreCapabilities;
  constructor(
    readonly url: string,
    private readonly ns: MemoryNamespace = new MemoryNamespace(),
    private readonly root = '',
    readOnly = false,
  ) {
    this.capabilities = { conditionalCreate: true, conditionalMatch: true, writable: !readOnly };
  }

  private full(key: string): string {
    validateKey(key);
    return this.root ? `${this.root}/${key}` : key;
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    throwIfAborted(options?.signal, `get ${key}`);
    const e = this.ns.objects.get(this.full(key));
    if (!e) throw new NotFoundError(`object not found: ${this.url}/${key}`);
    if (!options?.range) return e.bytes.slice();
    const [a, b] = clipRange(checkRange(options.range, `${this.url}/${key}`), e.bytes.byteLength);
    return e.bytes.slice(a, b);
  }

  async head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo> {
    throwIfAborted(options?.signal, `head ${key}`);
    const e = this.ns.objects.get(this.full(key));
    if (!e) throw new NotFoundError(`object not found: ${this.url}/${key}`);
    return { key, size: e.bytes.byteLength, etag: e.etag, lastModified: e.lastModified };
  }

  async put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo> {
    if (!this.capabilities.writable) throw new UnsupportedError(`store ${this.url} is read-only`);
    const full = this.full(key);
    const bytes = (await collectBody(body, options?.signal)).slice();
    throwIfAborted(options?.signal, `put ${key}`);
    // Checked after the body is collected so the check and the write happen in one tick.
    const cur = this.ns.objects.get(full);
    if (options?.ifNoneMatch === '*' && cur) throw new AlreadyExistsError(`object already exists: ${this.url}/${key}`);
    if (options?.ifMatch !== undefined) {
      if (!cur) throw new NotFoundError(`object not found: ${this.url}/${key}`);
      if (cur.etag !== options.ifMatch) throw new PreconditionFailedError(`object changed: ${this.url}/${key}`);
    }
    const entry: Entry = { bytes, etag: this.ns.nextEtag(bytes), lastModified: new Date() };
    this.ns.objects.set(full, entry);
    return { key, size: bytes.byteLength, etag: entry.etag, lastModified: entry.lastModified };
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    throwIfAborted(options?.signal, `list ${prefix}`);
    const full = this.root ? `${this.root}/${prefix}` : prefix;
    const keys = [...this.ns.objects.keys()].filter((k) => k.startsWith(full)).sort();
    const strip = this.root ? this.root.length + 1 : 0;
    for (const k of keys) {
      const e = this.ns.objects.get(k);
      if (!e) continue;
      yield { key: k.slice(strip), size: e.bytes.byteLength, etag: e.etag, lastModified: e.lastModified };
    }
  }

  async delete(key: string, options?: DeleteOptions): Promise<void> {
    throwIfAborted(options?.signal, `delete ${key}`);
    if (!this.capabilities.writable) throw new UnsupportedError(`store ${this.url} is read-only`);
    this.ns.objects.delete(this.full(key));
  }
}
