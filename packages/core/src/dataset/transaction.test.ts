import { afterAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, ConflictError, InvalidArgumentError, NotFoundError } from '../errors.js';
import { MemoryStore } from '../store/memory.js';
import type { ObjectStore, PutBody, PutOptions } from '../store/types.js';
import { Dataset } from './dataset.js';
import { manifestKey } from './layout.js';
import { testBackends } from './testing.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const { backends, cleanup } = await testBackends();
afterAll(cleanup);

describe.each(backends)('Transaction on %s', (_name, make) => {
  it('two writers committing at the same time never lose each other\'s chunks (20 rounds)', async () => {
    const [a, b] = await make();
    const dsA = await Dataset.create(a, { format: 'test', formatVersion: '1' });
    const dsB = await Dataset.create(b, { format: 'test', formatVersion: '1' });
    const written = new Set<string>();
    let rebased = 0;
    for (let round = 0; round < 20; round++) {
      const writes = [dsA, dsB].map(async (ds, w) => {
        const tx = ds.begin({ writerId: `w${w}` });
        const key = tx.chunkKey(`p${w}`, `r${round}`);
        await tx.putChunk(key, enc(`writer ${w} round ${round}`), { partition: `p${w}`, records: 1 });
        written.add(key);
        tx.setMetadata((old) => ({ ...old, [`w${w}`]: round, commits: ((old.commits as number) ?? 0) + 1 }));
        const m = await tx.commit({ operation: { kind: 'append' } });
        rebased += m.operation.rebased ?? 0;
        return m;
      });
      await Promise.all(writes);
    }
    const final = await Dataset.open(a);
    expect(final.version).toBe(40);
    expect(new Set(final.manifest.chunks.map((c) => c.key))).toEqual(written);
    expect(final.manifest.chunks).toHaveLength(40);
    // Functional metadata patches re-ran on each rebase: no increment was lost.
    expect(final.manifest.metadata).toEqual({ w0: 19, w1: 19, commits: 40 });
    expect(rebased).toBeGreaterThan(0);
    let n = 0;
    for await (const m of final.log()) {
      expect(m.version).toBe(40 - n);
      n++;
    }
    expect(n).toBe(40);
  });

  it('two writers removing the same chunk: one wins, the other gets ConflictError', async () => {
    const [a, b] = await make();
    const ds = await Dataset.create(a, { format: 'test', formatVersion: '1' });
    const tx = ds.begin();
    const key = tx.chunkKey('chr1', 'x');
    await tx.putChunk(key, enc('x'), { partition: 'chr1', records: 1 });
    await tx.commit({ operation: { kind: 'create' } });
    const [d1, d2] = [await Dataset.open(a), await Dataset.open(b)];
    const t1 = d1.begin();
    const t2 = d2.begin();
    t1.removeChunks([key]);
    t2.removeChunks([key]);
    const results = await Promise.allSettled([t1.commit({ operation: { kind: 'delete' } }), t2.commit({ operation: { kind: 'delete' } })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(ConflictError);
    expect(String(failed.reason.message)).toContain(key);
    expect((await Dataset.open(a)).manifest.chunks).toEqual([]);
  });

  it('rebases provenance references and refuses to clobber a concurrently rebuilt index', async () => {
    const [a, b] = await make();
    const ds = await Dataset.create(a, { format: 'test', formatVersion: '1' });
    await ds.begin().commit({ operation: { kind: 'create' } });
    const d1 = await Dataset.open(a);
    const d2 = await Dataset.open(b);
    const t1 = d1.begin();
    const t2 = d2.begin();
    const p1 = t1.addProvenance({ tool: 'one', toolVersion: '1', createdAt: '2024-01-01T00:00:00Z' });
    const p2 = t2.addProvenance({ tool: 'two', toolVersion: '1', createdAt: '2024-01-01T00:00:00Z' });
    expect([p1, p2]).toEqual([0, 0]);
    const k1 = t1.chunkKey('c', 'a');
    const k2 = t2.chunkKey('c', 'b');
    await t1.putChunk(k1, enc('a'), { partition: 'c', records: 1, provenance: p1 });
    await t2.putChunk(k2, enc('b'), { partition: 'c', records: 1, provenance: p2 });
    await t1.putIndex('names', 'sorted-key', t1.indexKey('names'), enc('i1'));
    await t2.putIndex('names', 'sorted-key', t2.indexKey('names'), enc('i2'));
    await t1.commit({ operation: { kind: 'append' } });
    // t2 loses the race; its index would miss t1's chunk, so it must not rebase.
    await expect(t2.commit({ operation: { kind: 'append' } })).rejects.toBeInstanceOf(ConflictError);
    t2.removeIndexes(['names']);
    const m = await t2.commit({ operation: { kind: 'append' } });
    expect(m.operation.rebased).toBe(1);
    expect(m.provenance.map((p) => p.tool)).toEqual(['one', 'two']);
    const byKey = new Map(m.chunks.map((c) => [c.key, c]));
    expect(m.provenance[byKey.get(k1)!.provenance!]!.tool).toBe('one');
    expect(m.provenance[byKey.get(k2)!.provenance!]!.tool).toBe('two');
    expect(m.indexes.map((i) => i.key)).toEqual([t1.indexKey('names')]);
  });

  it('a writer that dies before commit leaves the previous version intact', async () => {
    const [a, b] = await make();
    const ds = await Dataset.create(a, { format: 'test', formatVersion: '1' });
    const tx = ds.begin();
    await tx.putChunk(tx.chunkKey('c', 'keep'), enc('keep'), { partition: 'c', records: 1 });
    const v1 = await tx.commit({ operation: { kind: 'create' } });
    const dead = ds.begin();
    await dead.putChunk(dead.chunkKey('c', 'orphan'), enc('orphan'), { partition: 'c', records: 1 });
    // ...and the process dies here: no commit, no abort.
    const reader = await Dataset.open(b);
    expect(reader.version).toBe(1);
    expect(reader.manifest).toEqual(v1);
    expect(await b.get(v1.chunks[0]!.key)).toEqual(enc('keep'));
  });

  it('abort deletes what the transaction uploaded', async () => {
    const [a] = await make();
    const ds = await Dataset.create(a, { format: 'test', formatVersion: '1' });
    const tx = ds.begin();
    const key = tx.chunkKey('c', 'gone');
    await tx.putChunk(key, enc('gone'), { partition: 'c', records: 1 });
    await tx.abort();
    await expect(a.head(key)).rejects.toBeInstanceOf(NotFoundError);
    await expect(tx.commit({ operation: { kind: 'create' } })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe('Transaction edge cases', () => {
  it('treats AlreadyExists on its own manifest bytes as success (a retried put that landed)', async () => {
    const inner = new MemoryStore('mem://retry');
    let replays = 0;
    // A retry wrapper whose first attempt reached the server but whose response was lost.
    const flaky: ObjectStore = Object.assign(Object.create(inner) as ObjectStore, {
      url: inner.url,
      capabilities: inner.capabilities,
      async put(key: string, body: PutBody, options?: PutOptions) {
        if (key.startsWith('_manifest/0')) {
          await inner.put(key, body, options);
          replays++;
          return inner.put(key, body, options);
        }
        return inner.put(key, body, options);
      },
    });
    const ds = await Dataset.create(flaky, { format: 'test', formatVersion: '1' });
    const m = await ds.begin().commit({ operation: { kind: 'create' } });
    expect(replays).toBe(1);
    expect(m.version).toBe(1);
    expect((await Dataset.open(inner)).manifest).toEqual(m);
  });

  it('gives up after maxRetries with ConflictError', async () => {
    const store = new MemoryStore('mem://busy');
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    await ds.begin().commit({ operation: { kind: 'create' } });
    // Another writer commits every time this one is about to.
    const busy: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      url: store.url,
      capabilities: store.capabilities,
      async put(key: string, body: PutBody, options?: PutOptions) {
        if (key.startsWith('_manifest/0')) await (await Dataset.open(store)).begin().commit({ operation: { kind: 'append' } });
        return store.put(key, body, options);
      },
    });
    const tx = (await Dataset.open(busy)).begin();
    const err = await tx.commit({ operation: { kind: 'append' }, maxRetries: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain('mem://busy');
  });

  it('rejects reserved keys, duplicate chunk keys and format clashes between creators', async () => {
    const store = new MemoryStore('mem://edge');
    const ds = await Dataset.create(store, { format: 'a', formatVersion: '1' });
    const tx = ds.begin();
    await expect(tx.putChunk('_manifest/x', enc('x'), { partition: 'p', records: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    const key = tx.chunkKey('_weird/../name', 'x y');
    expect(key.split('/')).toHaveLength(2);
    expect(key.startsWith('%5F')).toBe(true);
    await tx.putChunk(key, enc('x'), { partition: 'p', records: 1 });
    await expect(tx.putChunk(key, enc('x'), { partition: 'p', records: 1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    const other = await Dataset.create(store, { format: 'b', formatVersion: '1' });
    await other.begin().commit({ operation: { kind: 'create' } });
    await expect(tx.commit({ operation: { kind: 'create' } })).rejects.toBeInstanceOf(ConflictError);
    await expect(store.head(manifestKey(2))).rejects.toBeInstanceOf(NotFoundError);
    // A second put of different bytes at a used key is refused, never overwritten.
    const tx2 = (await Dataset.open(store)).begin();
    await expect(tx2.putChunk(key, enc('other'), { partition: 'p', records: 1 })).rejects.toBeInstanceOf(AlreadyExistsError);
  });
});
