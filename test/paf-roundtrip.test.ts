// paf end to end through the CLI (in-process main() with captured io): for every SAM/BAM of
// Debian's htslib-test and pysam test data that samtools accepts (and BAM can hold),
// bam-to-paf then paf-to-bam gives a BAM whose `samtools view -h` equals the original's.
// Then the generic convert/query/export path, stdin, append and the lossy options.
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, Dataset, FsStore, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import { asBam, corpus, hasSamtools, samtools, viewText } from '../plugins/paf/src/testing/samtools.js';

const tmp = mkdtempSync(join(tmpdir(), 'paf-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let host: DefaultHost;
beforeAll(async () => {
  host = await createHost();
});

async function run(argv: string[], stdin?: string | Uint8Array) {
  const io = captureIO(stdin === undefined ? {} : { stdin: stdin as string });
  const code = await main(argv, io, { cwd: tmp, env: {}, host });
  return { code, out: io.out(), err: io.err() };
}

describe.skipIf(!hasSamtools && !process.env.CI)('paf round trip vs samtools', () => {
  it('bam-to-paf | paf-to-bam keeps samtools view -h identical for the whole corpus', async () => {
    const failures: string[] = [];
    let compared = 0;
    for (const [i, f] of corpus().entries()) {
      const bam = asBam(f, 5000 + i);
      if (!bam) continue;
      const ds = join(tmp, `ds${i}`);
      const out = join(tmp, `out${i}.bam`);
      const a = await run(['bam-to-paf', '--chunk-records', '50', f, ds]);
      if (a.code !== 0) {
        failures.push(`${f}: bam-to-paf: ${a.err}`);
        continue;
      }
      const b = await run(['paf-to-bam', ds, out]);
      if (b.code !== 0) {
        failures.push(`${f}: paf-to-bam: ${b.err}`);
        continue;
      }
      compared++;
      const got = viewText(out), want = viewText(bam);
      if (got !== want) failures.push(`${f}: samtools view -h differs (${got === undefined ? 'samtools refused our BAM' : 'text'})`);
    }
    expect(failures).toEqual([]);
    expect(compared).toBeGreaterThan(60);
  }, 600_000);

  it('works through genolake convert/query/export, stdin, append and lossy options', async () => {
    const bam = join(tmp, 'ex1.bam');
    writeFileSync(bam, gunzipSync(readFileSync('/usr/share/doc/python-pysam/tests/pysam_data/ex1.bam.gz')));
    samtools(['index', bam]);
    const ds = join(tmp, 'ex1.paf');
    expect((await run(['convert', bam, ds])).code).toBe(0);
    const q = await run(['query', ds, 'chr1:100-200', '-O', 'F=16']);
    expect(q.code).toBe(0);
    expect(q.out).toBe(samtools(['view', '-F', '16', bam, 'chr1:100-200']).toString('latin1'));
    const e = await run(['export', ds, join(tmp, 'ex1.out.bam')]);
    expect(e.code).toBe(0);
    expect(viewText(join(tmp, 'ex1.out.bam'))).toBe(viewText(bam));

    // stdin SAM, then append a second read group as version 2.
    const sam = samtools(['view', '--no-PG', '-h', bam]).toString('latin1');
    const ds2 = join(tmp, 'two.paf');
    expect((await run(['bam-to-paf', '-', ds2], sam)).code).toBe(0);
    const c1 = await run(['paf-query', ds2, '-c']);
    expect((await run(['bam-to-paf', '--append', bam, ds2])).code).toBe(0);
    const c2 = await run(['paf-query', ds2, '-c']);
    expect(Number(c2.out)).toBe(2 * Number(c1.out));
    expect((await Dataset.open(new FsStore(ds2))).manifest.version).toBe(2);
    expect((await run(['paf-query', ds2, '-c', '--version', '1'])).out).toBe(c1.out);

    // Lossy options are explicit and recorded.
    const ds3 = join(tmp, 'lossy.paf');
    expect((await run(['bam-to-paf', '--quality-bins', 'illumina8', '--drop-tags', 'MF,Aq', bam, ds3])).code).toBe(0);
    const meta = (await Dataset.open(new FsStore(ds3))).manifest.metadata as { lossy: Record<string, unknown> };
    expect(Object.values(meta.lossy)[0]).toEqual({ qualityBins: 'illumina8', dropTags: ['MF', 'Aq'] });
    const lossy = await run(['paf-query', ds3, 'chr2:1-100']);
    expect(lossy.out).not.toMatch(/\tMF:/);

    // -L and --explain.
    const bed = join(tmp, 'r.bed');
    writeFileSync(bed, 'chr1\t99\t200\nchr1\t150\t300\nchr2\t0\t50\n');
    const l = await run(['paf-query', ds, '-L', bed]);
    expect(l.out).toBe(samtools(['view', '-L', bed, bam]).toString('latin1'));
    const x = await run(['paf-query', ds, 'chr1:1-100', '--fields', 'name,pos,mapq', '--explain']);
    expect(x.code).toBe(0);
    expect(x.err).toMatch(/^plan: \d+ objects/);
  }, 120_000);

  it('rejects an unknown contig and bad input with a one-line error and no version', async () => {
    const bad = join(tmp, 'bad.sam');
    writeFileSync(bad, '@SQ\tSN:c1\tLN:100\nr1\t0\tc2\t1\t60\t4M\t*\t0\t0\tACGT\t*\n');
    const r = await run(['bam-to-paf', bad, join(tmp, 'bad.paf')]);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/bad\.sam line 2: unknown reference "c2"/);
    expect(await Dataset.latestVersion(new FsStore(join(tmp, 'bad.paf')))).toBe(0);
  });
});
