import { InvalidArgumentError } from '../errors.js';
import { validateKey, validatePrefix } from './keys.js';
import type { DeleteOptions, GetOptions, ListOptions, ObjectInfo, ObjectStore, PutBody, PutOptions } from './types.js';

/**
 * A view of `store` rooted at a key prefix, so a dataset can live under a prefix of a bigger
 * store (`s3://bucket/project/sample1.paf` = the s3 store's `project/sample1.paf/`). Keys
 * passed in and returned are relative to the prefix. `prefix` is a directory-like key
 * ('a/b', surrounding slashes ignored); '' returns the store itself.
 */
export function subStore(store: ObjectStore, prefix: string): ObjectStore {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  if (p === '') return store;
  try {
    validateKey(p);
  } catch (e) {
    throw new InvalidArgumentError(`bad sub-store prefix ${JSON.stringify(prefix)} under ${store.url}`, { cause: e });
  }
  return new SubStore(store, p);
}

class SubStore implements ObjectStore {
  readonly url: string;
  readonly capabilities;

  constructor(
    private readonly inner: ObjectStore,
    private readonly prefix: string,
  ) {
    this.url = `${inner.url.replace(/\/+$/, '')}/${prefix}`;
    this.capabilities = inner.capabilities;
  }

  /** Validated before joining, so 'x/../y' cannot climb out of the prefix. */
  private full(key: string): string {
    return `${this.prefix}/${validateKey(key)}`;
  }

  get(key: string, options?: GetOptions): Promise<Uint8Array> {
    return Promise.resolve().then(() => this.inner.get(this.full(key), options));
  }

  head(key: string, options?: { signal?: AbortSignal }): Promise<ObjectInfo> {
    return Promise.resolve()
      .then(() => this.inner.head(this.full(key), options))
      .then((info) => ({ ...info, key }));
  }

  put(key: string, body: PutBody, options?: PutOptions): Promise<ObjectInfo> {
    return Promise.resolve()
      .then(() => this.inner.put(this.full(key), body, options))
      .then((info) => ({ ...info, key }));
  }

  async *list(prefix: string, options?: ListOptions): AsyncIterable<ObjectInfo> {
    validatePrefix(prefix);
    const strip = this.prefix.length + 1;
    for await (const info of this.inner.list(`${this.prefix}/${prefix}`, options)) {
      yield { ...info, key: info.key.slice(strip) };
    }
  }

  delete(key: string, options?: DeleteOptions): Promise<void> {
    return Promise.resolve().then(() => this.inner.delete(this.full(key), options));
  }

  /** A view does not own the store it looks into: closing it leaves the store open. */
  async close(): Promise<void> {}
}
