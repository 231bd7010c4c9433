import { afterAll, describe, expect, it } from 'vitest';
import { CorruptDataError, NotFoundError } from '../errors.js';
import { MemoryStore } from '../store/memory.js';
import { Dataset } from './dataset.js';
import { manifestKey } from './layout.js';
import { testBackends } from './testing.js';
import { verifyDataset } from './verify.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const { backends, cleanup } = await testBackends();
afterAll(cleanup);

describe.each(backends)('verifyDataset on %s', (_name, make) => {
  it('passes a healthy dataset and finds a flipped byte, a missing chunk, a size change and a deep failure', async () => {
    const [store] = await make();
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    const tx = ds.begin();
    const keys: string[] = [];
    for (const name of ['flip', 'gone', 'short', 'deep', 'fine']) {
      const key = tx.chunkKey('c', name);
      keys.push(key);
      await tx.putChunk(key, enc(`payload of ${name}`), { partition: 'c', records: 1 });
    }
    const idx = tx.indexKey('ids');
    await tx.putIndex('ids', 'sorted-key', idx, enc('index bytes'));
    await tx.commit({ operation: { kind: 'create' } });

    const seen: string[] = [];
    const ok = await verifyDataset(store, { deepCheck: (key) => void seen.push(key) });
    expect(ok.problems).toEqual([]);
    expect(ok.objects).toBe(6);
    expect(ok.version).toBe(1);
    expect(seen.sort()).toEqual([...keys].sort());

    const [flip, gone, short, deep] = keys as [string, string, string, string];
    const bytes = await store.get(flip);
    bytes[3]! ^= 0x01;
    await store.delete(flip);
    await store.put(flip, bytes);
    await store.delete(gone);
    await store.delete(short);
    await store.put(short, enc('payload of shor'));
    const report = await verifyDataset(store, {
      concurrency: 2,
      deepCheck: (key) => {
        if (key === deep) throw new CorruptDataError(`stream "x" CRC mismatch in ${key}`);
      },
    });
    const kinds = Object.fromEntries(report.problems.map((p) => [p.key, p.kind]));
    expect(kinds).toEqual({ [flip]: 'digest', [gone]: 'missing', [short]: 'size', [deep]: 'corrupt' });
    expect(report.problems.find((p) => p.key === deep)!.message).toContain('CRC mismatch');
    expect(report.problems.find((p) => p.key === gone)!.message).toContain(store.url);
  });

  it('checks every stored version with all, and reports a corrupt manifest', async () => {
    const [store] = await make();
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    const tx = ds.begin();
    const old = tx.chunkKey('c', 'old');
    await tx.putChunk(old, enc('old'), { partition: 'c', records: 1 });
    await tx.commit({ operation: { kind: 'create' } });
    const tx2 = ds.begin();
    tx2.removeChunks([old]);
    await tx2.commit({ operation: { kind: 'delete' } });
    await store.delete(old);
    expect((await verifyDataset(store)).problems).toEqual([]);
    const all = await verifyDataset(store, { all: true });
    expect(all.versions).toEqual([1, 2]);
    expect(all.problems.map((p) => [p.key, p.kind])).toEqual([[old, 'missing']]);

    await store.delete(manifestKey(1));
    await store.put(manifestKey(1), enc('{"manifestVersion":1,'));
    const broken = await verifyDataset(store, { all: true });
    expect(broken.problems.map((p) => [p.key, p.kind])).toEqual([[manifestKey(1), 'corrupt']]);
  });
});

describe('verifyDataset errors', () => {
  it('NotFoundError on an empty store or an unknown version', async () => {
    const store = new MemoryStore('mem://none');
    await expect(verifyDataset(store)).rejects.toBeInstanceOf(NotFoundError);
    const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
    await ds.begin().commit({ operation: { kind: 'create' } });
    await expect(verifyDataset(store, { version: 7 })).rejects.toBeInstanceOf(NotFoundError);
  });
});
