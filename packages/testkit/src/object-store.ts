/**
 * The ObjectStore conformance suite. Every backend (ours, cloud stores, third parties) runs
 * it on itself:
 *
 *   describeObjectStore('FsStore', async () => ({ store: new FsStore(dir), cleanup }));
 *
 * Errors are checked by their stable `code`, not by class identity, so a backend built
 * against another copy of @genolake/core still passes.
 */
import type { ObjectInfo, ObjectStore } from '@genolake/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

export interface ObjectStoreSuiteOptions {
  /** The backend enforces ifNoneMatch/ifMatch (default true); false skips those tests. */
  conditional?: boolean;
  /** Also run the slow cases: a 32 MiB streamed body and a 1,200-key listing (list pages). */
  slow?: boolean;
  /**
   * The backend's etag is a hash of the content (S3): rewriting equal bytes keeps the etag, which
   * is still safe for ifMatch because the object is unchanged. Default false: every write gets a
   * new etag.
   */
  contentEtags?: boolean;
}

export type ObjectStoreFactory = () => Promise<{ store: ObjectStore; cleanup?: () => Promise<void> }>;

const enc = new TextEncoder();

/** Deterministic bytes so a misplaced range is visible. */
export function patternBytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Yields `bytes` in chunks of `chunk` bytes, asynchronously (a streamed put body). */
export async function* chunked(bytes: Uint8Array, chunk: number): AsyncIterable<Uint8Array> {
  for (let o = 0; o < bytes.byteLength; o += chunk) {
    await Promise.resolve();
    yield bytes.slice(o, Math.min(o + chunk, bytes.byteLength));
  }
}

async function collect(it: AsyncIterable<ObjectInfo>): Promise<ObjectInfo[]> {
  const out: ObjectInfo[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Awaits a call that must fail with the given error code (sync throws count too). */
async function expectCode(fn: () => unknown, code: string): Promise<void> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected an error with code ${code}`).toBeDefined();
  expect((caught as { code?: string }).code, String(caught)).toBe(code);
}

export function describeObjectStore(name: string, factory: ObjectStoreFactory, options: ObjectStoreSuiteOptions = {}): void {
  const conditional = options.conditional ?? true;
  describe(`ObjectStore conformance: ${name}`, () => {
    let store: ObjectStore;
    let cleanup: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });
    afterEach(async () => {
      await store.close?.();
      await cleanup?.();
    });

    describe('put and get', () => {
      it('round-trips an empty object', async () => {
        const info = await store.put('empty', new Uint8Array(0));
        expect(info.size).toBe(0);
        expect(await store.get('empty')).toEqual(new Uint8Array(0));
        expect((await store.head('empty')).size).toBe(0);
      });

      it('round-trips small objects under nested keys', async () => {
        await store.put('x/y/z.txt', enc.encode('hello'));
        await store.put('top', enc.encode('top'));
        expect(new TextDecoder().decode(await store.get('x/y/z.txt'))).toBe('hello');
        expect(new TextDecoder().decode(await store.get('top'))).toBe('top');
      });

      it('round-trips a ~5 MiB body streamed from an async iterable', async () => {
        const bytes = patternBytes(5 * 1024 * 1024 + 123, 7);
        const info = await store.put('big/obj.bin', chunked(bytes, 65_536 + 17));
        expect(info.size).toBe(bytes.byteLength);
        const back = await store.get('big/obj.bin');
        expect(back.byteLength).toBe(bytes.byteLength);
        expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
      });

      it('does not alias caller buffers', async () => {
        const body = enc.encode('abcdef');
        await store.put('k', body);
        body[0] = 0x7a;
        const got = await store.get('k');
        got[1] = 0x7a;
        expect(new TextDecoder().decode(await store.get('k'))).toBe('abcdef');
      });

      it('a body stream that fails midway leaves no object behind', async () => {
        async function* failing(): AsyncIterable<Uint8Array> {
          yield patternBytes(100_000);
          throw new Error('source broke');
        }
        await expect(store.put('broken/obj', failing())).rejects.toThrow();
        await expectCode(() => store.get('broken/obj'), 'NOT_FOUND');
        expect((await collect(store.list(''))).map((o) => o.key)).toEqual([]);
      });
    });

    describe('ranged get', () => {
      const bytes = patternBytes(10_000, 3);
      beforeEach(async () => {
        await store.put('r/obj', bytes);
      });
      it('reads a middle range', async () => {
        expect(await store.get('r/obj', { range: { offset: 1234, length: 4321 } })).toEqual(bytes.slice(1234, 5555));
      });
      it('reads a zero-length range as empty', async () => {
        expect((await store.get('r/obj', { range: { offset: 500, length: 0 } })).byteLength).toBe(0);
      });
      it('clips a range that runs past the end', async () => {
        expect(await store.get('r/obj', { range: { offset: 9_990, length: 100 } })).toEqual(bytes.slice(9_990));
      });
      it('returns empty for a range starting at or past the end', async () => {
        expect((await store.get('r/obj', { range: { offset: 10_000, length: 10 } })).byteLength).toBe(0);
        expect((await store.get('r/obj', { range: { offset: 20_000, length: 10 } })).byteLength).toBe(0);
      });
      it('rejects negative, NaN and fractional offsets and lengths', async () => {
        for (const range of [
          { offset: -1, length: 10 },
          { offset: Number.NaN, length: 10 },
          { offset: 0, length: -5 },
          { offset: 0, length: Number.NaN },
          { offset: 1.5, length: 2 },
        ]) {
          await expectCode(() => store.get('r/obj', { range }), 'INVALID_ARGUMENT');
        }
      });
      it('a range on a missing key is NotFound', async () => {
        await expectCode(() => store.get('r/missing', { range: { offset: 0, length: 1 } }), 'NOT_FOUND');
      });
    });

    describe('head, etag, delete', () => {
      it('head reports size and the etag put returned', async () => {
        const put = await store.put('h/obj', patternBytes(777));
        const head = await store.head('h/obj');
        expect(head.size).toBe(777);
        expect(head.key).toBe('h/obj');
        expect(typeof head.etag).toBe('string');
        expect(head.etag.length).toBeGreaterThan(0);
        expect(head.etag).toBe(put.etag);
      });
      it(options.contentEtags ? 'the etag changes when the bytes change' : 'the etag changes on every overwrite, even with equal bytes', async () => {
        const a = await store.put('h/obj', enc.encode('same'));
        const b = await store.put('h/obj', enc.encode('same'));
        const c = await store.put('h/obj', enc.encode('other'));
        if (options.contentEtags) {
          expect(b.etag).toBe(a.etag);
          expect(c.etag).not.toBe(a.etag);
        } else {
          expect(new Set([a.etag, b.etag, c.etag]).size).toBe(3);
        }
        expect((await store.head('h/obj')).etag).toBe(c.etag);
      });
      it('get and head of a missing key are NotFound', async () => {
        await expectCode(() => store.get('nope/nothing'), 'NOT_FOUND');
        await expectCode(() => store.head('nope/nothing'), 'NOT_FOUND');
      });
      it('delete removes the object and is idempotent', async () => {
        await store.put('d/obj', enc.encode('x'));
        await store.delete('d/obj');
        await expectCode(() => store.get('d/obj'), 'NOT_FOUND');
        await store.delete('d/obj');
        await store.delete('d/never-existed');
        expect(await collect(store.list('d/'))).toEqual([]);
      });
    });

    describe('list', () => {
      const keys = ['a/b/c', 'a/b/d/e', 'a/bc', 'a-c', 'ab', 'b/x'];
      beforeEach(async () => {
        for (const k of [...keys].reverse()) await store.put(k, enc.encode(k));
      });
      it('lists everything in lexicographic key order with sizes', async () => {
        const all = await collect(store.list(''));
        expect(all.map((o) => o.key)).toEqual([...keys].sort());
        for (const o of all) expect(o.size).toBe(o.key.length);
      });
      it('treats the prefix as a plain string prefix, not a directory', async () => {
        expect((await collect(store.list('a/b'))).map((o) => o.key)).toEqual(['a/b/c', 'a/b/d/e', 'a/bc']);
        expect((await collect(store.list('a/b/'))).map((o) => o.key)).toEqual(['a/b/c', 'a/b/d/e']);
        expect((await collect(store.list('a'))).map((o) => o.key)).toEqual(['a-c', 'a/b/c', 'a/b/d/e', 'a/bc', 'ab']);
        expect((await collect(store.list('a/b/d/e'))).map((o) => o.key)).toEqual(['a/b/d/e']);
      });
      it('lists nothing for an unmatched prefix', async () => {
        expect(await collect(store.list('zzz/'))).toEqual([]);
        expect(await collect(store.list('a/bz'))).toEqual([]);
      });
      it('list entries carry the etag head reports', async () => {
        const [first] = await collect(store.list('ab'));
        expect(first?.etag).toBe((await store.head('ab')).etag);
      });
    });

    describe.runIf(conditional)('conditional puts', () => {
      it('create-if-absent fails with AlreadyExists and leaves the data unchanged', async () => {
        await store.put('c/obj', enc.encode('first'), { ifNoneMatch: '*' });
        await expectCode(() => store.put('c/obj', enc.encode('second'), { ifNoneMatch: '*' }), 'ALREADY_EXISTS');
        expect(new TextDecoder().decode(await store.get('c/obj'))).toBe('first');
      });
      it('ifMatch replaces only the version it names', async () => {
        const v1 = await store.put('c/m', enc.encode('v1'));
        const v2 = await store.put('c/m', enc.encode('v2'), { ifMatch: v1.etag });
        expect(new TextDecoder().decode(await store.get('c/m'))).toBe('v2');
        await expectCode(() => store.put('c/m', enc.encode('v3'), { ifMatch: v1.etag }), 'PRECONDITION_FAILED');
        expect(new TextDecoder().decode(await store.get('c/m'))).toBe('v2');
        expect((await store.head('c/m')).etag).toBe(v2.etag);
      });
      it('ifMatch on a missing key fails', async () => {
        let caught: unknown;
        try {
          await store.put('c/absent', enc.encode('x'), { ifMatch: '"whatever"' });
        } catch (e) {
          caught = e;
        }
        expect(['NOT_FOUND', 'PRECONDITION_FAILED']).toContain((caught as { code?: string })?.code);
        await expectCode(() => store.get('c/absent'), 'NOT_FOUND');
      });
      it('exactly one of 10 simultaneous creates wins', async () => {
        const results = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.put('c/race', enc.encode(`writer ${i}`), { ifNoneMatch: '*' })),
        );
        const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
        expect(won).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect((r.reason as { code?: string }).code).toBe('ALREADY_EXISTS');
        }
        expect(new TextDecoder().decode(await store.get('c/race'))).toBe(`writer ${won[0]}`);
      });
    });

    describe('keys and cancellation', () => {
      const bad = ['', '/abs', '../up', 'a/../b', 'a//b', 'a/', './a', 'a\\b', 'a\0b'];
      it.each(bad)('rejects the invalid key %j on every call', async (key) => {
        await expectCode(() => store.get(key), 'INVALID_KEY');
        await expectCode(() => store.head(key), 'INVALID_KEY');
        await expectCode(() => store.put(key, enc.encode('x')), 'INVALID_KEY');
        await expectCode(() => store.delete(key), 'INVALID_KEY');
      });
      it('honours an aborted signal on every call', async () => {
        await store.put('ab/obj', enc.encode('x'));
        const signal = AbortSignal.abort();
        await expectCode(() => store.get('ab/obj', { signal }), 'ABORTED');
        await expectCode(() => store.head('ab/obj', { signal }), 'ABORTED');
        await expectCode(() => store.put('ab/new', enc.encode('x'), { signal }), 'ABORTED');
        await expectCode(() => collect(store.list('', { signal })), 'ABORTED');
        await expectCode(() => store.delete('ab/obj', { signal }), 'ABORTED');
        await expectCode(() => store.get('ab/new'), 'NOT_FOUND');
        expect((await store.head('ab/obj')).size).toBe(1);
      });
      it('a streaming put aborted midway creates nothing', async () => {
        const ac = new AbortController();
        async function* body(): AsyncIterable<Uint8Array> {
          yield patternBytes(50_000);
          ac.abort();
          yield patternBytes(50_000);
          yield patternBytes(50_000);
        }
        await expectCode(() => store.put('ab/streamed', body(), { signal: ac.signal }), 'ABORTED');
        await expectCode(() => store.get('ab/streamed'), 'NOT_FOUND');
      });
    });

    describe.runIf(options.slow === true)('slow cases', () => {
      it('round-trips a 32 MiB streamed body', async () => {
        const bytes = patternBytes(32 * 1024 * 1024, 11);
        await store.put('slow/big', chunked(bytes, 1024 * 1024));
        expect((await store.head('slow/big')).size).toBe(bytes.byteLength);
        const mid = await store.get('slow/big', { range: { offset: 20_000_000, length: 1_000_000 } });
        expect(Buffer.from(mid).equals(Buffer.from(bytes.subarray(20_000_000, 21_000_000)))).toBe(true);
      });
      it('lists 1,200 keys in order (crosses list page boundaries)', async () => {
        const keys = Array.from({ length: 1200 }, (_, i) => `many/${String(i).padStart(5, '0')}`);
        for (let i = 0; i < keys.length; i += 50) {
          await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, new Uint8Array(1))));
        }
        expect((await collect(store.list('many/'))).map((o) => o.key)).toEqual(keys);
      });
    });
  });
}
