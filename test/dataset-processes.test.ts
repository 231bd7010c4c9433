// Commit safety across real processes on the local filesystem store: two writer processes
// racing, and a writer killed between uploading a chunk and committing.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, Dataset, vacuum, verifyDataset } from '@genolake/core';

const WRITER = fileURLToPath(new URL('./fixtures/commit-writer.mjs', import.meta.url));
const CORE_DIST = fileURLToPath(new URL('../packages/core/dist/index.js', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'genolake-processes-'));

beforeAll(() => {
  if (!existsSync(CORE_DIST)) throw new Error('packages/core/dist is missing: run `npx turbo run build` (npm test does)');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writer(dir: string, name: string, mode: string) {
  const child = spawn(process.execPath, [WRITER, dir, name, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, out, err })),
  );
  return { child, done, output: () => out };
}

describe('datasets on the fs store across processes', () => {
  it('two writer processes committing 20 rounds each lose nothing', async () => {
    const dir = join(tmp, 'race');
    const [a, b] = [writer(dir, 'a', '20'), writer(dir, 'b', '20')];
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.err).toBe('');
    expect(rb.err).toBe('');
    expect([ra.code, rb.code]).toEqual([0, 0]);

    const store = await (await createHost()).openStore(dir);
    const ds = await Dataset.open(store);
    expect(ds.version).toBe(40);
    expect(ds.manifest.chunks).toHaveLength(40);
    const names = ds.manifest.chunks.map((c) => c.key).sort();
    for (const w of ['a', 'b']) for (let i = 0; i < 20; i++) expect(names.some((k) => k.startsWith(`p/${w}-${i}-`))).toBe(true);
    expect(ds.manifest.metadata.commits).toBe(40);
    const report = await verifyDataset(store, { all: true });
    expect(report.problems).toEqual([]);
  }, 120_000);

  it('a writer killed between chunk upload and commit leaves the previous version intact', async () => {
    const dir = join(tmp, 'crash');
    expect((await writer(dir, 'first', '1').done).code).toBe(0);

    const w = writer(dir, 'victim', 'crash');
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (w.output().includes('uploaded')) {
          clearInterval(t);
          resolve();
        }
      }, 20);
      w.done.then((r) => reject(new Error(`writer exited early: ${r.err}`)));
    });
    w.child.kill('SIGKILL');
    expect((await w.done).signal).toBe('SIGKILL');

    const store = await (await createHost()).openStore(dir);
    const ds = await Dataset.open(store);
    expect(ds.version).toBe(1);
    expect(ds.manifest.chunks).toHaveLength(1);
    expect(new TextDecoder().decode(await store.get(ds.manifest.chunks[0]!.key))).toBe('first round 0');
    expect((await verifyDataset(store)).problems).toEqual([]);

    // The orphan chunk is invisible to readers; vacuum keeps it within the grace period and
    // deletes it after.
    const keep = await vacuum(store, { dryRun: true });
    expect(keep.deleted).toEqual([]);
    const gone = await vacuum(store, { graceMs: 0 });
    expect(gone.deleted.map((d) => d.key)).toEqual([expect.stringMatching(/^p\/orphan-/)]);
    expect((await Dataset.open(store)).version).toBe(1);
  }, 60_000);
});
