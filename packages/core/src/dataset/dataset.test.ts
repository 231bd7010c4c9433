import { afterAll, describe, expect, it } from 'vitest';
import { AlreadyExistsError, NotFoundError, UnsupportedError } from '../errors.js';
import { MemoryStore } from '../store/memory.js';
import type { ObjectStore } from '../store/types.js';
import { Dataset } from './dataset.js';
import { LATEST_HINT_KEY, METADATA_KEY, manifestKey } from './layout.js';
import { testBackends } from './testing.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const { backends, cleanup } = await testBackends();
afterAll(cleanup);

describe.each(backends)('Dataset on %s', (_name, make) => {
  it('create, append, open latest and past versions, log', async () => {
    const [store] = await make();
    await expect(Dataset.open(store)).rejects.toBeInstanceOf(NotFoundError);
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1.0', metadata: { sample: 'NA12878' } });
    expect(ds.version).toBe(0);
    expect(await Dataset.latestVersion(store)).toBe(0);

    const tx = ds.begin({ writerId: 'w1' });
    const key = tx.chunkKey('chr1', 'c0');
    expect(key).toMatch(new RegExp(`^chr1/c0-${tx.token}\\.bin$`));
    const p = tx.addProvenance({ tool: 'test', toolVersion: '0', createdAt: new Date().toISOString() });
    const entry = await tx.putChunk(key, enc('chunk zero'), { partition: 'chr1', records: 3, provenance: p });
    expect(entry.size).toBe(10);
    expect(entry.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const v1 = await tx.commit({ operation: { kind: 'create' } });
    expect(v1.version).toBe(1);
    expect(v1.parent).toBeNull();
    expect(v1.metadata).toEqual({ sample: 'NA12878' });
    expect(v1.chunks).toEqual([{ ...entry, addedIn: 1 }]);
    expect(v1.operation).toMatchObject({ kind: 'create', writer: 'w1', transaction: tx.token });
    expect(ds.version).toBe(1);

    const tx2 = ds.begin();
    const e2 = await tx2.putChunk(tx2.chunkKey('chr2', 'c0'), enc('chunk two'), { partition: 'chr2', records: 1 });
    tx2.setMetadata({ contigs: ['chr1', 'chr2'] });
    const v2 = await tx2.commit({ operation: { kind: 'append' } });
    expect(v2.parent).toBe(1);
    expect(v2.chunks.map((c) => c.key)).toEqual([key, e2.key]);
    expect(v2.metadata).toEqual({ sample: 'NA12878', contigs: ['chr1', 'chr2'] });

    // The hint and the readable copy follow the commit.
    expect(new TextDecoder().decode(await store.get(LATEST_HINT_KEY)).trim()).toBe('2');
    expect(JSON.parse(new TextDecoder().decode(await store.get(METADATA_KEY)))).toEqual(v2);

    const latest = await Dataset.open(store);
    expect(latest.version).toBe(2);
    expect(latest.manifest).toEqual(v2);
    const old = await Dataset.open(store, { version: 1 });
    expect(old.manifest.chunks).toHaveLength(1);
    await expect(Dataset.open(store, { version: 3 })).rejects.toBeInstanceOf(NotFoundError);

    const log: number[] = [];
    for await (const m of latest.log()) log.push(m.version);
    expect(log).toEqual([2, 1]);
    expect((await latest.readVersion(1)).operation.kind).toBe('create');
  });

  it('create refuses an existing dataset unless asked to open it', async () => {
    const [store] = await make();
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    await ds.begin().commit({ operation: { kind: 'create' } });
    await expect(Dataset.create(store, { format: 'test', formatVersion: '1' })).rejects.toBeInstanceOf(AlreadyExistsError);
    const again = await Dataset.create(store, { format: 'test', formatVersion: '1' }, { ifExists: 'open' });
    expect(again.version).toBe(1);
  });

  it('finds the latest version when the hint is stale, missing or garbage', async () => {
    const [store, other] = await make();
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    for (let i = 0; i < 13; i++) await ds.begin().commit({ operation: { kind: 'append' } });
    await other.put(LATEST_HINT_KEY, enc('3\n'));
    expect(await Dataset.latestVersion(other)).toBe(13);
    expect((await Dataset.open(other)).version).toBe(13);
    await other.delete(LATEST_HINT_KEY);
    expect(await Dataset.latestVersion(other)).toBe(13);
    await other.put(LATEST_HINT_KEY, enc('not a number'));
    expect((await Dataset.open(other)).version).toBe(13);
    // A hint naming a version that does not exist is ignored as well.
    await other.put(LATEST_HINT_KEY, enc('99\n'));
    expect(await Dataset.latestVersion(other)).toBe(13);
  });

  it('refresh moves a handle to the newest version', async () => {
    const [a, b] = await make();
    const dsA = await Dataset.create(a, { format: 'test', formatVersion: '1' });
    await dsA.begin().commit({ operation: { kind: 'create' } });
    const dsB = await Dataset.open(b);
    await dsA.begin().commit({ operation: { kind: 'append' } });
    expect(dsB.version).toBe(1);
    await dsB.refresh();
    expect(dsB.version).toBe(2);
  });
});

describe('Dataset on a store without conditional create', () => {
  it('refuses to commit and writes no manifest', async () => {
    const inner = new MemoryStore('mem://weak');
    const weak: ObjectStore = {
      url: inner.url,
      capabilities: { conditionalCreate: false, conditionalMatch: false, writable: true },
      get: (k, o) => inner.get(k, o),
      head: (k, o) => inner.head(k, o),
      put: (k, b, o) => inner.put(k, b, o),
      list: (p, o) => inner.list(p, o),
      delete: (k, o) => inner.delete(k, o),
    };
    const ds = await Dataset.create(weak, { format: 'test', formatVersion: '1' });
    const err = await ds.begin().commit({ operation: { kind: 'create' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as Error).message).toContain('mem://weak');
    await expect(inner.head(manifestKey(1))).rejects.toBeInstanceOf(NotFoundError);
  });
});
