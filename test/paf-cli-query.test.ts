// paf-query against samtools view 1.16 on a multi-contig BAM: unknown references (warned on
// stderr, skipped, exit 0), overlapping regions without -M (printed twice), -M (each record
// once, in file order), and the jsonl and Arrow IPC outputs read back.
import { mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { hasSamtools, SAMTOOLS } from '../plugins/paf/src/testing/samtools.js';

const tmp = mkdtempSync(join(tmpdir(), 'paf-query-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const bam = join(tmp, 'range.bam'), ds = join(tmp, 'range.paf');
let host: DefaultHost;

async function run(argv: string[]) {
  const io = captureIO({});
  const code = await main(argv, io, { cwd: tmp, env: {}, host });
  return { code, out: io.out(), bytes: io.outBytes(), err: io.err() };
}

function view(args: string[]) {
  const r = spawnSync(SAMTOOLS, ['view', ...args], { maxBuffer: 1 << 30 });
  return { code: r.status, out: r.stdout.toString('latin1'), err: r.stderr.toString('latin1') };
}

describe.skipIf(!hasSamtools && !process.env.CI)('paf-query vs samtools view (regions, -M, warnings)', () => {
  beforeAll(async () => {
    host = await createHost();
    expect(spawnSync(SAMTOOLS, ['view', '--no-PG', '-b', '-o', bam, '/usr/share/htslib-test/test/range.bam']).status).toBe(0);
    expect(spawnSync(SAMTOOLS, ['index', bam]).status).toBe(0);
    expect((await run(['bam-to-paf', '--chunk-records', '7', bam, ds])).code).toBe(0);
  });

  const cases: string[][] = [
    ['nosuch', 'CHROMOSOME_I:1-1000'],
    ['CHROMOSOME_I:1-1000', 'nosuch:5-10', 'CHROMOSOME_II'],
    ['nosuch1', 'nosuch2'],
    ['CHROMOSOME_I:1-1000', 'CHROMOSOME_I:500-2000'],
    ['CHROMOSOME_II:1-3000', 'CHROMOSOME_I:1-1000', 'CHROMOSOME_I:800-1200', 'CHROMOSOME_II:1000-1300'],
    ['-M', 'CHROMOSOME_I:1-1000', 'CHROMOSOME_I:500-2000'],
    ['-M', 'CHROMOSOME_II:1-3000', 'CHROMOSOME_I:1-1000', 'CHROMOSOME_I:800-1200', 'nosuch:5-10'],
    ['-M', 'nosuch'],
    ['-c', 'CHROMOSOME_I:1-1000', 'CHROMOSOME_I:500-2000', 'nosuch'],
    ['-c', '-M', 'CHROMOSOME_I:1-1000', 'CHROMOSOME_I:500-2000', 'nosuch'],
  ];
  it('genolake verify in a fresh process finds the paf codecs (it loads the format plugin): ok, exit 0', async () => {
    const io = captureIO({});
    const code = await main(['verify', ds], io, { cwd: tmp, env: {}, host: await createHost() });
    expect(io.err()).toBe('');
    expect(io.out()).toMatch(/^ok: \d+ objects/);
    expect(code).toBe(0);
  });

  it('genolake query (the generic command) warns about an unknown reference like samtools', async () => {
    const regions = ['CHROMOSOME_I:1-1000', 'nosuch:5-10'];
    const want = view([bam, ...regions]);
    const got = await run(['query', ds, ...regions]);
    expect(got.out).toBe(want.out);
    expect(got.err).toBe(want.err);
    expect(got.code).toBe(want.code);
  });

  for (const args of cases) {
    it(`view ${args.join(' ')}: same stdout, stderr and exit code`, async () => {
      const flags = args.filter((a) => a.startsWith('-')), regions = args.filter((a) => !a.startsWith('-'));
      const want = view([...flags, bam, ...regions]);
      const got = await run(['paf-query', ...flags, ds, ...regions]);
      expect(got.out).toBe(want.out);
      expect(got.err).toBe(want.err);
      expect(got.code).toBe(want.code);
    });
  }

  it('--output-format jsonl: one object per record, in samtools order', async () => {
    const want = view([bam, 'CHROMOSOME_I', 'CHROMOSOME_II']).out.trim().split('\n').map((l) => l.split('\t'));
    const got = await run(['paf-query', '--output-format', 'jsonl', ds, 'CHROMOSOME_I', 'CHROMOSOME_II']);
    const rows = got.out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((r) => [r.name, r.rname, (r.pos as number) + 1, r.cigar])).toEqual(want.map((w) => [w[0], w[2], Number(w[3]), w[5]]));
  });

  it('--output-format arrow: an IPC stream of the projected fields with rname', async () => {
    const want = view([bam, 'CHROMOSOME_II:1000-2000', 'CHROMOSOME_I']).out.trim().split('\n').map((l) => l.split('\t'));
    const got = await run(['paf-query', '--output-format', 'arrow', '--fields', 'name,pos,flag,cigar,seq', ds, 'CHROMOSOME_II:1000-2000', 'CHROMOSOME_I']);
    expect(got.code).toBe(0);
    const t = tableFromIPC(got.bytes);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['rname', 'name', 'pos', 'flag', 'cigar', 'seq']);
    expect(t.numRows).toBe(want.length);
    const rows = t.toArray().map((r) => [r.name, r.rname, r.pos + 1, r.flag, new TextDecoder().decode(r.seq) || '*']);
    expect(rows).toEqual(want.map((w) => [w[0], w[2], Number(w[3]), Number(w[1]), w[9]]));
    expect(t.getChild('cigar')!.get(0)!.length).toBeGreaterThan(0);
  });

  it('--output-format arrow with no matching record still gives the schema', async () => {
    const got = await run(['paf-query', '--output-format', 'arrow', '--fields', 'pos,mapq', ds, 'CHROMOSOME_V']);
    const t = tableFromIPC(got.bytes);
    expect(t.numRows).toBe(0);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['rname', 'pos', 'mapq']);
  });
});
