import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { MemoryStore } from '../store/memory.js';
import type { ObjectStore } from '../store/types.js';
import { Dataset } from './dataset.js';
import { LATEST_HINT_KEY, METADATA_KEY, manifestKey } from './layout.js';
import { testBackends } from './testing.js';
import { vacuum } from './vacuum.js';
import { verifyDataset } from './verify.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const { backends, cleanup } = await testBackends();
afterAll(cleanup);

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const later = (ms: number): Date => new Date(Date.now() + ms);

async function keys(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list('')) out.push(o.key);
  return out;
}

describe.each(backends)('vacuum on %s', (_name, make) => {
  it('keeps root-level metadata copies such as a driver\'s _schema.json', async () => {
    const [store] = await make();
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    const tx = ds.begin();
    await tx.putChunk(tx.chunkKey('c', 'x'), enc('x'), { partition: 'c', records: 1 });
    await tx.commit({ operation: { kind: 'create' } });
    await store.put('_schema.json', enc('{}'));
    const stray = 'c/not-referenced.bin';
    await store.put(stray, enc('stray'));
    const res = await vacuum(store, { now: later(2 * HOUR) });
    expect(res.deleted.map((d) => d.key)).toEqual([stray]);
    expect(await keys(store)).toContain('_schema.json');
    expect(await keys(store)).toContain(METADATA_KEY);
  });

  it('deletes a dead writer\'s orphans only after the grace period; a dry run deletes nothing', async () => {
    const [store] = await make();
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    const tx = ds.begin();
    const keep = tx.chunkKey('c', 'keep');
    await tx.putChunk(keep, enc('keep'), { partition: 'c', records: 1 });
    await tx.commit({ operation: { kind: 'create' } });
    const dead = ds.begin();
    const orphan = dead.chunkKey('c', 'orphan');
    await dead.putChunk(orphan, enc('orphan!'), { partition: 'c', records: 1 });

    // Within grace the orphan may be a live writer's upload: kept.
    expect((await vacuum(store)).deleted).toEqual([]);
    const before = await keys(store);
    const dry = await vacuum(store, { now: later(2 * HOUR), dryRun: true });
    expect(dry.deleted).toEqual([{ key: orphan, size: 7 }]);
    expect(dry.bytes).toBe(7);
    expect(await keys(store)).toEqual(before);

    const real = await vacuum(store, { now: later(2 * HOUR) });
    expect(real.deleted).toEqual([{ key: orphan, size: 7 }]);
    expect(real.retainedVersions).toEqual([1]);
    await expect(store.head(orphan)).rejects.toBeInstanceOf(NotFoundError);
    expect((await Dataset.open(store)).manifest.chunks.map((c) => c.key)).toEqual([keep]);
    expect((await verifyDataset(store)).problems).toEqual([]);
  });

  it('expires old versions and the chunks only they referenced, never the latest', async () => {
    const [store] = await make();
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    const chunks: string[] = [];
    for (let i = 0; i < 4; i++) {
      const tx = ds.begin();
      // Each version replaces the previous chunk.
      tx.removeChunks(chunks.slice(-1));
      const key = tx.chunkKey('c', `v${i + 1}`);
      chunks.push(key);
      await tx.putChunk(key, enc(`version ${i + 1}`), { partition: 'c', records: 1 });
      await tx.commit({ operation: { kind: 'replace' } });
    }
    // Young versions are kept for time travel.
    expect((await vacuum(store, { now: later(2 * HOUR) })).retainedVersions).toEqual([1, 2, 3, 4]);

    const r = await vacuum(store, { now: later(8 * DAY), retainVersions: 2 });
    expect(r.retainedVersions).toEqual([3, 4]);
    expect(r.deleted.map((d) => d.key)).toEqual([manifestKey(1), manifestKey(2), chunks[0], chunks[1]]);
    await expect(Dataset.open(store, { version: 2 })).rejects.toBeInstanceOf(NotFoundError);
    expect((await Dataset.open(store, { version: 3 })).manifest.chunks.map((c) => c.key)).toEqual([chunks[2]]);
    const log: number[] = [];
    for await (const m of (await Dataset.open(store)).log()) log.push(m.version);
    expect(log).toEqual([4, 3]);

    const last = await vacuum(store, { now: later(30 * DAY), retainMs: 0 });
    expect(last.retainedVersions).toEqual([4]);
    const left = await keys(store);
    expect(left).toEqual(expect.arrayContaining([manifestKey(4), LATEST_HINT_KEY, METADATA_KEY, chunks[3]]));
    expect(left).not.toContain(chunks[2]);
    expect((await verifyDataset(store, { all: true })).problems).toEqual([]);
  });
});

describe('vacuum arguments', () => {
  it('refuses nonsense and empty stores', async () => {
    const store = new MemoryStore('mem://v');
    await expect(vacuum(store)).rejects.toBeInstanceOf(NotFoundError);
    await (await Dataset.create(store, { format: 't', formatVersion: '1' })).begin().commit({ operation: { kind: 'create' } });
    await expect(vacuum(store, { retainVersions: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(vacuum(store, { graceMs: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
