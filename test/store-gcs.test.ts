// @genolake/store-gcs against the firebase-tools Storage emulator (GCS JSON API) on a free
// loopback port, with our precondition front (test/servers/gcs-emulator.cjs). Runs the
// ObjectStore conformance suite, a CLI convert -> query -> export with STORAGE_EMULATOR_HOST,
// a two-writer commit race, and the refusal to commit on an endpoint that ignores preconditions.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Dataset, createHost, type DefaultHost, type ObjectStore } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { describeObjectStore, runCommitRace } from '@genolake/testkit';
import gcsStore from '@genolake/store-gcs';
import { startGcsEmulator, type GcsEmulator } from './servers/gcs-emulator.js';

const GENES = fileURLToPath(new URL('../examples/data/genes.bed', import.meta.url));
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

let emu: GcsEmulator;
let host: DefaultHost;
let env: Record<string, string>;
let n = 0;

beforeAll(async () => {
  emu = await startGcsEmulator();
  env = { STORAGE_EMULATOR_HOST: emu.host, GOOGLE_CLOUD_PROJECT: emu.projectId };
  for (const b of ['conformance', 'cli', 'race', 'misc']) await emu.createBucket(b);
  host = await createHost();
  await host.use(gcsStore({ env }));
});
afterAll(async () => {
  await emu?.stop();
});

const open = (bucket: string, options: Record<string, unknown> = {}): Promise<ObjectStore> => host.openStore(`gs://${bucket}/run-${++n}`, options);

describeObjectStore('GCS (firebase Storage emulator)', async () => ({ store: await open('conformance') }), { conditional: true, slow: true });

describe('GCS store specifics', () => {
  it('pages listings (page size 2) in lexicographic order', async () => {
    const store = await open('misc', { listPageSize: 2 });
    const keys = ['k/0', 'k/1', 'k/2', 'k/3', 'k/4'];
    await Promise.all(keys.map((k) => store.put(k, enc(k))));
    const listed: string[] = [];
    for await (const o of store.list('k/')) listed.push(o.key);
    expect(listed).toEqual(keys);
  });

  it('etags are generations; ifMatch maps to ifGenerationMatch', async () => {
    const store = await open('misc');
    const a = await store.put('g', enc('a'));
    expect(a.etag).toMatch(/^[1-9][0-9]*$/);
    await expect(store.put('g', enc('b'), { ifMatch: '"not-a-generation"' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    const b = await store.put('g', enc('b'), { ifMatch: a.etag });
    expect(b.etag).not.toBe(a.etag);
  });

  it('the emulator mode caps single-request streamed bodies instead of buffering without bound', async () => {
    const store = await open('misc', { singleRequestLimit: 1024 * 1024 });
    async function* big(): AsyncIterable<Uint8Array> {
      for (let i = 0; i < 3; i++) yield new Uint8Array(512 * 1024);
    }
    await expect(store.put('big', big())).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(store.head('big')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an endpoint that ignores preconditions makes commits fail, never overwrite', async () => {
    const bare = await startGcsEmulator({ preconditions: false });
    try {
      await bare.createBucket('bare0');
      const h = await createHost();
      await h.use(gcsStore({ env: { STORAGE_EMULATOR_HOST: bare.host } }));
      const store = await h.openStore('gs://bare0/ds');
      expect(store.capabilities.conditionalCreate).toBe(false);
      const ds = await Dataset.create(store, { format: 'test', formatVersion: '1' });
      const tx = ds.begin();
      await expect(tx.commit({ operation: { kind: 'create' } })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    } finally {
      await bare.stop();
    }
  });
});

describe('two writers racing on GCS (preconditions enforced by the emulator front)', () => {
  it('20 rounds: all 40 commits land, nothing lost', async () => {
    const url = `gs://race/ds-${++n}`;
    const [a, b] = [await host.openStore(url), await host.openStore(url)];
    await runCommitRace(a, b);
  });
});

describe('the CLI on gs:// with STORAGE_EMULATOR_HOST', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'genolake-gs-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  async function run(argv: string[]) {
    const io = captureIO();
    // The standard variable reaches the store through the environment given to main().
    const code = await main(argv, io, { cwd: tmp, env: { ...env, STORAGE_EMULATOR_HOST: emu.host }, host: await createHost() });
    return { code, out: io.out(), err: io.err() };
  }

  it('convert -> query -> export round-trips genes.bed', async () => {
    {
      const ds = 'gs://cli/genes';
      const conv = await run(['convert', GENES, ds, '--option', 'chunkRecords=500']);
      expect(conv.err).toBe('');
      expect(conv.code).toBe(0);
      expect(conv.out).toMatch(/version 1, 3000 records in \d+ chunks/);
      const lines = readFileSync(GENES, 'utf8').trimEnd().split('\n');
      const want = lines.filter((l) => {
        const [c, s, e] = l.split('\t');
        return c === 'chr1' && Number(s) < 5_000_000 && 1_000_000 < Number(e);
      });
      const q = await run(['query', ds, 'chr1:1000001-5000000']);
      expect(q.code).toBe(0);
      expect(q.out).toBe(`${want.join('\n')}\n`);
      const exp = await run(['export', ds, '-']);
      expect(exp.code).toBe(0);
      expect(exp.out).toBe(readFileSync(GENES, 'utf8'));
      const ex = await run(['query', ds, 'chr1:1-2000000', '--explain']);
      expect(ex.err).toMatch(/^plan: \d+ objects/);
    }
  });
});
