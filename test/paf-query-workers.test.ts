// paf-query's SAM text made in the worker pool (-@ 2: record groups decoded and formatted by
// worker threads, written in order by the calling thread) against samtools view 1.16, through
// the built binary: worker threads import only compiled code (needs `npx turbo run build`; the root
// `npm test` builds first). ex1.bam stored with 16-record groups, so every region spans many.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSamtools, SAMTOOLS } from '../plugins/paf/src/testing/samtools.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/genolake.js');
const EX1 = '/usr/share/doc/python-pysam/tests/pysam_data/ex1.bam.gz';
const tmp = mkdtempSync(join(tmpdir(), 'paf-workers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const bam = join(tmp, 'ex1.bam'), ds = join(tmp, 'ex1.paf');

function genolake(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env };
    for (const k of ['GENOLAKE_DEBUG', 'VITEST', 'NODE_OPTIONS', 'GENOLAKE_PLUGINS']) delete env[k];
    execFile(process.execPath, [BIN, ...args], { cwd: tmp, env, maxBuffer: 256 << 20, encoding: 'latin1' }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

const view = (args: string[]): string => spawnSync(SAMTOOLS, ['view', ...args], { maxBuffer: 256 << 20 }).stdout.toString('latin1');

describe.skipIf((!hasSamtools || !existsSync(EX1)) && !process.env.CI)('paf-query -@ 2: SAM text from the worker pool', () => {
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'plugins/paf/dist/dataset/sam-workers.js'))) throw new Error('plugins/paf/dist is missing: run `npx turbo run build` (npm test does) first');
    writeFileSync(bam, gunzipSync(readFileSync(EX1)));
    expect(spawnSync(SAMTOOLS, ['index', bam]).status).toBe(0);
    const conv = await genolake(['convert', bam, ds, '--format', 'paf', '--option', 'groupRecords=16']);
    expect(conv.err).toBe('');
    expect(conv.code).toBe(0);
  }, 60_000);

  const cases: string[][] = [
    ['chr1'],
    ['chr1:100-900', 'chr2:1000-1300', 'chr1:500-600'],
    ['-f', '1', '-F', '16', '-q', '20', 'chr2'],
    ['chr2:1-100', 'chr1:1234-1234'],
  ];
  it.each(cases)('%s …: -@ 2 and -@ 1 print what samtools view prints', async (...args) => {
    const want = view([bam, ...args]);
    expect(want.split('\n').length).toBeGreaterThan(1);
    const pooled = await genolake(['paf-query', '-@', '2', ds, ...args]);
    expect(pooled.err).toBe('');
    expect(pooled.out).toBe(want);
    const here = await genolake(['paf-query', '-@', '1', ds, ...args]);
    expect(here.out).toBe(want);
  }, 60_000);

  it('queries running at once with different thread counts each get their records (pools by size)', async () => {
    // Compiled code in a child process: in-process tests run the TypeScript sources, which
    // workers cannot import.
    const script = join(tmp, 'concurrent.mjs');
    writeFileSync(script, `
      import { createHost, parseRegion } from ${JSON.stringify(pathToFileURL(join(ROOT, 'packages/core/dist/index.js')).href)};
      import * as paf from ${JSON.stringify(pathToFileURL(join(ROOT, 'plugins/paf/dist/index.js')).href)};
      const host = await createHost();
      const store = await host.openStore(process.argv[2]);
      const run = async (threads, region) => {
        const parts = [];
        const output = { name: 'mem', async write(b) { parts.push(Buffer.from(b)); }, async end() {} };
        await paf.runQuery({ host, store, output, request: {}, scan: { regions: [parseRegion(region)] }, out: { format: 'sam', threads }, workers: 'always' });
        return Buffer.concat(parts).toString('latin1');
      };
      const [a, b, c] = await Promise.all([run(2, 'chr1'), run(3, 'chr2'), run(2, 'chr2:1000-1300')]);
      process.stdout.write(JSON.stringify([a, b, c]));
    `);
    const r = spawnSync(process.execPath, [script, ds], { encoding: 'latin1', maxBuffer: 256 << 20 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual([view([bam, 'chr1']), view([bam, 'chr2']), view([bam, 'chr2:1000-1300'])]);
  }, 60_000);

  it('text in shared slots (a sink done with each chunk when its write resolves): in order, none overwritten, after an abort too; text too long for a slot comes back on its own; the calling thread reuses its buffer', async () => {
    // Long reads: 16-record groups of 70 kb reads make ~2.2 MB of text, more than a slot holds.
    const long = join(tmp, 'long.sam');
    const lines = ['@HD\tVN:1.6\tSO:coordinate', '@SQ\tSN:c1\tLN:5000000'];
    for (let i = 0; i < 40; i++) lines.push(`L${i}\t0\tc1\t${1000 + i * 100}\t60\t70000M\t*\t0\t0\t${'ACGT'[i % 4]!.repeat(70000)}\t${'F:,'[i % 3]!.repeat(70000)}\tNM:i:${i}`);
    writeFileSync(long, `${lines.join('\n')}\n`);
    const longBam = join(tmp, 'long.bam'), longDs = join(tmp, 'long.paf');
    expect(spawnSync(SAMTOOLS, ['view', '-b', '-o', longBam, long]).status).toBe(0);
    expect(spawnSync(SAMTOOLS, ['index', longBam]).status).toBe(0);
    expect((await genolake(['convert', longBam, longDs, '--format', 'paf', '--option', 'groupRecords=16'])).code).toBe(0);
    // Groups of up to 512 records: a job of 64 or more rows stages their bytes in its slot first.
    const bigDs = join(tmp, 'ex1-512.paf');
    expect((await genolake(['convert', bam, bigDs, '--format', 'paf', '--option', 'groupRecords=512'])).code).toBe(0);
    const script = join(tmp, 'slots.mjs');
    writeFileSync(script, `
      import { createHost, parseRegion } from ${JSON.stringify(pathToFileURL(join(ROOT, 'packages/core/dist/index.js')).href)};
      import * as paf from ${JSON.stringify(pathToFileURL(join(ROOT, 'plugins/paf/dist/index.js')).href)};
      const host = await createHost();
      const run = async (path, region, abortAfter, workers = 'always') => {
        const store = await host.openStore(path);
        const parts = [];
        const ac = new AbortController();
        // Copies each chunk only as its write ends: a slot written again before that shows.
        const output = { name: 'mem', chunksReusable: true, async write(b) {
          await new Promise((r) => setTimeout(r, 1));
          parts.push(Buffer.from(b));
          if (parts.length === abortAfter) ac.abort(new Error('enough'));
        }, async end() {} };
        const q = paf.runQuery({ host, store, output, request: {}, scan: { regions: [parseRegion(region)] }, out: { format: 'sam', threads: 2 }, workers, signal: ac.signal });
        await (abortAfter ? q.catch(() => {}) : q);
        return Buffer.concat(parts).toString('latin1');
      };
      const [dsPath, longPath, bigPath] = process.argv.slice(2);
      await run(dsPath, 'chr1', 2);
      const [a, b, c] = await Promise.all([run(dsPath, 'chr1'), run(dsPath, 'chr2'), run(longPath, 'c1')]);
      // In this thread: its one text buffer written out and filled again, megabyte by megabyte.
      const d = await run(longPath, 'c1', undefined, 'never');
      const [e, f] = await Promise.all([run(bigPath, 'chr1'), run(bigPath, 'chr2:1000-1300', undefined, 'never')]);
      process.stdout.write(JSON.stringify([a, b, c, d, e, f]));
    `);
    const r = spawnSync(process.execPath, [script, ds, longDs, bigDs], { encoding: 'latin1', maxBuffer: 256 << 20 });
    expect(r.stderr).toBe('');
    const [a, b, c, d, e, f] = JSON.parse(r.stdout) as string[];
    expect(a).toBe(view([bam, 'chr1']));
    expect(b).toBe(view([bam, 'chr2']));
    expect(c!.length).toBeGreaterThan(5_000_000);
    expect(c).toBe(view([longBam, 'c1']));
    expect(d).toBe(c);
    expect(e).toBe(a);
    expect(f).toBe(view([bam, 'chr2:1000-1300']));
  }, 60_000);

  // That the query also stops early is tested on a sink in plugins/paf/src/dataset/output-abort.test.ts.
  it('exits 0 without a message when the reader of stdout goes away (… | head), with and without workers', async () => {
    for (const threads of ['1', '2']) {
      const child = spawn(process.execPath, [BIN, 'paf-query', '-@', threads, ds, 'chr1', 'chr2', 'chr1'], { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (b: Buffer) => (err += b.toString()));
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      child.stdout.destroy();
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect({ threads, code, err }).toEqual({ threads, code: 0, err: '' });
    }
  }, 60_000);

  it('a damaged page found by a worker is a one-line error naming the object', async () => {
    const chunk = spawnSync('find', [ds, '-name', 'chunk_*', '-path', '*chr1*']).stdout.toString().trim().split('\n')[0]!;
    const bytes = readFileSync(chunk);
    // Flip a byte in the middle of the stream data, past the header.
    bytes[bytes.length - 2000]! ^= 0x5a;
    writeFileSync(chunk, bytes);
    const r = await genolake(['paf-query', '-@', '2', ds, 'chr1']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/chunk_.*(CRC|corrupt|damaged)/i);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.out.length).toBeLessThan(view([bam, 'chr1']).length);
    // The same message as from this thread: the worker names the chunk's own group number.
    expect(r.err).toBe((await genolake(['paf-query', '-@', '1', ds, 'chr1'])).err);
  }, 60_000);
});
