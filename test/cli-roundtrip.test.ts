// The CLI end to end, in-process through main() with captured io: convert -> info -> query ->
// export on the bundled BED, on a local directory and on mem://, then append/log, verify with
// a flipped byte, vacuum --dry-run and the one-line errors.
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';

const GENES = fileURLToPath(new URL('../examples/data/genes.bed', import.meta.url));
const geneLines = readFileSync(GENES, 'utf8').trimEnd().split('\n');
const tmp = mkdtempSync(join(tmpdir(), 'genolake-cli-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let host: DefaultHost;
beforeAll(async () => {
  host = await createHost();
});

async function run(argv: string[], stdin?: string) {
  const io = captureIO(stdin === undefined ? {} : { stdin });
  const code = await main(argv, io, { cwd: tmp, env: {}, host });
  return { code, out: io.out(), err: io.err() };
}

/** The reference answer: BED lines overlapping a 0-based half-open window. */
function overlapping(contig: string, start: number, end: number): string[] {
  return geneLines.filter((l) => {
    const [c, s, e] = l.split('\t');
    return c === contig && Number(s) < end && start < Number(e);
  });
}

function files(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, `${prefix}${n}/`) : [`${prefix}${n}`];
  });
}

describe.each([
  ['a local directory', () => join(tmp, 'genes-ds')],
  ['mem://', () => 'mem://e2e/genes'],
])('convert -> info -> query -> export on %s', (_label, url) => {
  it('round-trips the bundled BED file', async () => {
    const ds = url();
    const conv = await run(['convert', GENES, ds, '--option', 'chunkRecords=250']);
    expect(conv.err).toBe('');
    expect(conv.code).toBe(0);
    expect(conv.out).toMatch(/version 1, 3000 records in \d+ chunks/);

    const info = await run(['info', ds, '--json']);
    expect(info.code).toBe(0);
    const s = JSON.parse(info.out);
    expect(s).toMatchObject({ format: 'bed-intervals', version: 1, records: 3000, partitions: expect.any(Array) });
    expect(s.partitions.map((p: { name: string }) => p.name)).toContain('chrX');
    expect(s.partitions).toHaveLength(24);
    expect(s.chunks).toBeGreaterThanOrEqual(24);
    expect(s.provenance[0]).toMatchObject({ source: GENES, tool: '@genolake/example-bed-intervals' });
    expect(s.driver).toEqual({ contigs: 24, headerLines: 0 });
    const text = await run(['info', ds]);
    expect(text.out).toMatch(/format\s+bed-intervals 1/);

    // 1-based inclusive chr1:1000001-5000000 is 0-based [1000000, 5000000).
    const q = await run(['query', ds, 'chr1:1000001-5000000']);
    expect(q.code).toBe(0);
    const expected = overlapping('chr1', 1_000_000, 5_000_000);
    expect(expected.length).toBeGreaterThan(3);
    expect(q.out).toBe(`${expected.join('\n')}\n`);

    const two = await run(['query', ds, 'chr2:1-3000000', 'chrY', '--fields', 'name,strand', '-F', 'jsonl', '--limit', '5']);
    const rows = two.out.trimEnd().split('\n').map((l) => JSON.parse(l));
    const want = [...overlapping('chr2', 0, 3_000_000), ...overlapping('chrY', 0, Infinity)].slice(0, 5);
    expect(rows).toEqual(want.map((l) => ({ name: l.split('\t')[3], strand: l.split('\t')[5] })));

    const out = join(tmp, `export-${_label.replace(/\W/g, '')}.bed`);
    const exp = await run(['export', ds, out]);
    expect(exp.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(GENES, 'utf8'));

    const region = await run(['export', ds, '-', 'chr3']);
    expect(region.out).toBe(`${overlapping('chr3', 0, Infinity).join('\n')}\n`);
  });
});

describe('dataset lifecycle on a local directory', () => {
  const ds = join(tmp, 'life');
  const extra = join(tmp, 'extra.bed');

  it('refuses to convert over an existing dataset without --append/--force', async () => {
    expect((await run(['convert', GENES, ds])).code).toBe(0);
    const again = await run(['convert', GENES, ds]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^genolake: a dataset already exists at .*version 1.*--append.*--force to replace it\n$/);
  });

  it('appends a second file as version 2 and shows it in the log', async () => {
    writeFileSync(extra, 'chrM\t100\t900\tMT-X\t5\t+\nchrM\t1000\t2000\tMT-Y\t7\t-\n');
    const app = await run(['convert', extra, ds, '--append']);
    expect(app.code).toBe(0);
    expect(app.out).toMatch(/version 2, 2 records/);
    const log = await run(['log', ds, '--json']);
    const entries = JSON.parse(log.out);
    expect(entries.map((e: { version: number }) => e.version)).toEqual([2, 1]);
    expect(entries[0]).toMatchObject({ operation: 'append', chunksAdded: 1, chunksRemoved: 0, records: 3002 });
    expect(entries[1]).toMatchObject({ operation: 'create', records: 3000 });
    const text = await run(['log', ds]);
    expect(text.out.split('\n')[1]).toMatch(/^2\s+\S+\s+append: 2 intervals from .*extra\.bed\s+\+1\s+-0\s+3002$/);
    const q = await run(['query', ds, 'chrM']);
    expect(q.out).toBe('chrM\t100\t900\tMT-X\t5\t+\nchrM\t1000\t2000\tMT-Y\t7\t-\n');
    // Time travel: version 1 has no chrM.
    expect((await run(['query', ds, 'chrM', '--version', '1'])).out).toBe('');
  });

  it('explains a query plan without reading data, and reports --stats', async () => {
    const ex = await run(['query', ds, 'chr1:1-2000000', '--explain']);
    expect(ex.code).toBe(0);
    expect(ex.out).toBe('');
    expect(ex.err).toMatch(/^plan: \d+ objects, \d+ requests, \d+ bytes/);
    expect(ex.err).toMatch(/chr1\/\S+ bytes=0-\d+/);
    const json = JSON.parse((await run(['query', ds, 'chr1:1-2000000', '--explain', '--json'])).out);
    expect(json.objects).toBeGreaterThan(0);
    expect(json.ranges.every((r: { key: string }) => r.key.startsWith('chr1/'))).toBe(true);
    const narrow = JSON.parse((await run(['query', ds, 'chr1:1-2000000', '--explain', '--json', '--fields', 'name'])).out);
    expect(narrow.bytes).toBeLessThan(json.bytes);
    const stats = await run(['query', ds, 'chr1:1-2000000', '--stats']);
    expect(stats.err).toMatch(/^stats: \d+ requests, \d+ bytes read/m);
  });

  it('verify passes, then names the object with a flipped byte and exits 3', async () => {
    const ok = await run(['verify', ds]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^ok: \d+ objects/);
    const chunk = files(ds).find((f) => f.startsWith('chr5/'))!;
    const path = join(ds, chunk);
    const bytes = readFileSync(path);
    bytes[bytes.length - 3] ^= 0x10;
    writeFileSync(path, bytes);
    const bad = await run(['verify', ds]);
    expect(bad.code).toBe(3);
    const lines = bad.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(chunk);
    expect(lines[0]).toMatch(/^genolake: digest: /);
    const json = JSON.parse((await run(['verify', ds, '--json', '--all'])).out);
    expect(json.ok).toBe(false);
    expect(json.problems).toEqual([expect.objectContaining({ key: chunk, kind: 'digest' })]);
    bytes[bytes.length - 3] ^= 0x10;
    writeFileSync(path, bytes);
  });

  it('vacuum --dry-run lists what a replace left behind and deletes nothing', async () => {
    expect((await run(['convert', extra, ds, '--force'])).code).toBe(0);
    const before = files(ds).length;
    const dry = await run(['vacuum', ds, '--dry-run', '--retain', '1', '--older-than', '0s', '--grace', '0s', '--json']);
    expect(dry.code).toBe(0);
    const r = JSON.parse(dry.out);
    expect(r.dryRun).toBe(true);
    expect(r.deleted.length).toBeGreaterThan(24);
    expect(r.deleted.some((d: { key: string }) => d.key.startsWith('chr1/'))).toBe(true);
    expect(r.retainedVersions).toEqual([3]);
    expect(files(ds).length).toBe(before);
    const text = await run(['vacuum', ds, '--dry-run', '--older-than', '0s', '--grace', '0s']);
    expect(text.out).toMatch(/^would delete chr1\//m);
    expect(text.out).toMatch(/dry run: would delete \d+ object\(s\)/);
    for (const d of r.deleted) expect(existsSync(join(ds, d.key))).toBe(true);
  });
});

describe('convert input handling and errors', () => {
  it('reads stdin and recognises BED by its content', async () => {
    const r = await run(['convert', '-', 'mem://e2e/stdin'], 'chr7\t5\t10\ta\t1\t+\nchr7\t8\t12\tb\t2\t-\n');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^- -> mem:\/\/e2e\/stdin \(bed-intervals\): version 1, 2 records/);
    expect((await run(['query', 'mem://e2e/stdin', 'chr7:10-10'])).out).toBe('chr7\t5\t10\ta\t1\t+\nchr7\t8\t12\tb\t2\t-\n');
    expect((await run(['query', 'mem://e2e/stdin', 'chr7:11'])).out).toBe('chr7\t8\t12\tb\t2\t-\n');
  });

  it('fails in one line on unknown formats, unreadable input and bad options', async () => {
    const fmt = await run(['convert', GENES, 'mem://e2e/x', '--format', 'nope']);
    expect(fmt.code).toBe(1);
    expect(fmt.err).toMatch(/^genolake: unknown dataset format "nope" \(installed: .*\)\n$/);
    const unknownFormat = await run(['convert', GENES, 'mem://e2e/x', '--format', 'no-such-format']);
    expect(unknownFormat.code).not.toBe(0);
    expect(unknownFormat.err.trimEnd().split('\n')).toHaveLength(1);
    expect(unknownFormat.err).toMatch(/^genolake: .*no-such-format/);
    const junk = join(tmp, 'junk.dat');
    writeFileSync(junk, 'hello world\nthis is not genomic\n');
    const sniff = await run(['convert', junk, 'mem://e2e/x']);
    expect(sniff.code).toBe(2);
    expect(sniff.err).toMatch(/^genolake: cannot tell the format of .*junk\.dat.*--format/);
    const badBed = join(tmp, 'bad.bed');
    writeFileSync(badBed, 'chr1\t1\t5\nchr1\tten\t20\n');
    const bad = await run(['convert', badBed, 'mem://e2e/bad']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(`genolake: ${badBed} line 2: start "ten" is not a non-negative integer\n`);
    expect((await run(['info', 'mem://e2e/bad'])).err).toMatch(/no genolake dataset/);
    const missing = await run(['convert', join(tmp, 'absent.bed'), 'mem://e2e/y']);
    expect(missing.code).toBe(1);
    expect(missing.err.trimEnd().split('\n')).toHaveLength(1);
    const scheme = await run(['convert', GENES, 'weird://bucket/genes']);
    expect(scheme.err).toBe('genolake: no store is registered for URL scheme "weird://"\n');
    const both = await run(['convert', GENES, 'mem://e2e/z', '--append', '--force']);
    expect(both.code).toBe(2);
    const dur = await run(['vacuum', 'mem://e2e/stdin', '--older-than', 'soon']);
    expect(dur.err).toBe('genolake: vacuum --older-than: bad duration "soon" (use e.g. 45s, 30m, 12h, 7d, 2w)\n');
  });
});
