/**
 * A read-only ObjectStore over a local directory, so the tabix command queries local files
 * through the same ranged-get path that remote objects use. (Core's file:// backend replaces
 * this once it is exported; this keeps the command independent of that work.)
 */
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError, UnsupportedError, checkRange, validateKey } from '@genolake/core';
import type { GetOptions, ObjectInfo, ObjectStore } from '@genolake/core';

export class FsReadStore implements ObjectStore {
  readonly capabilities = { conditionalCreate: false, conditionalMatch: false, writable: false };
  readonly url: string;

  constructor(private readonly root: string) {
    this.url = `file://${root}`;
  }

  private path(key: string): string {
    validateKey(key);
    return join(this.root, key);
  }

  async get(key: string, options?: GetOptions): Promise<Uint8Array> {
    const path = this.path(key);
    const fh = await open(path, 'r').catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? new NotFoundError(`${path}: no such file`) : e;
    });
    try {
      const size = (await fh.stat()).size;
      const range = options?.range ? checkRange(options.range, path) : { offset: 0, length: size };
      const start = Math.min(range.offset, size);
      const length = Math.min(range.offset + range.length, size) - start;
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return buf.subarray(0, got);
    } finally {
      await fh.close();
    }
  }

  async head(key: string): Promise<ObjectInfo> {
    const path = this.path(key);
    const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT' ? new NotFoundError(`${path}: no such file`) : e;
    });
    return { key, size: s.size, etag: `"${s.mtimeMs}-${s.size}"`, lastModified: s.mtime };
  }

  put(): Promise<ObjectInfo> {
    return Promise.reject(new UnsupportedError(`${this.url} is read-only here`));
  }

  // eslint-disable-next-line require-yield
  async *list(): AsyncIterable<ObjectInfo> {
    throw new UnsupportedError(`${this.url}: listing is not supported here`);
  }

  delete(): Promise<void> {
    return Promise.reject(new UnsupportedError(`${this.url} is read-only here`));
  }
}
