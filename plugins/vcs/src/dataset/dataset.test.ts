import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore, parseRegion } from '@genolake/core';
import { BCFTOOLS, bcftoolsView, corpus, hasBcftools } from '../testing/bcftools.js';
import { memoryDataset, query } from '../testing/dataset.js';
import { synthVcf } from '../testing/synth.js';

const SKIP = new Set(['/usr/share/htslib-test/test/noroundtrip.vcf']);
const small = { chunkRecords: 50, rowGroupSize: 16, sampleBatch: 2 };

describe.skipIf(!hasBcftools)('vcs dataset: convert then export equals bcftools view', () => {
  const files = corpus().filter((f) => !SKIP.has(f) && bcftoolsView([f]) !== undefined);
  it('has a corpus', () => expect(files.length).toBeGreaterThan(30));
  for (const f of files) {
    it(f, async () => {
      const { host, store } = await memoryDataset(f, small);
      const { text } = await query(host, store, {});
      expect(text).toBe(bcftoolsView([f]));
    });
  }
});

describe.skipIf(!hasBcftools)('vcs dataset: samples and regions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vcs-'));
  const f = join(dir, 'synth.vcf');
  writeFileSync(f, synthVcf({ records: 1500, samples: 60 }));
  const gz = join(dir, 'synth.vcf.gz');
  spawnSync('/usr/bin/bgzip', ['-k', f]);
  spawnSync('/usr/bin/tabix', ['-p', 'vcf', gz]);
  const opts = { chunkRecords: 200, rowGroupSize: 64, sampleBatch: 16, sampleGroup: 4 };

  it('the synthetic VCF round-trips', async () => {
    const { host, store } = await memoryDataset(gz, opts);
    expect((await query(host, store, {})).text).toBe(bcftoolsView([gz]));
  });

  it('a sample subset equals bcftools view -s and reads only their batch files', async () => {
    const { host, store } = await memoryDataset(gz, opts);
    const pick = ['S00006', 'S00002', 'S00040'];
    const { text, metrics } = await query(host, store, { samples: pick });
    // INFO/AC and AN recounted for the subset (and declared in the header), as bcftools view -s
    expect(text).toBe(bcftoolsView(['-s', pick.join(','), gz]));
    expect((await query(host, store, { samples: pick, options: { noUpdate: 'true' } })).text).toBe(bcftoolsView(['-I', '-s', pick.join(','), gz]));
    const all = await query(host, store, {});
    expect(metrics.bytesRead).toBeLessThan(all.metrics.bytesRead / 2);
  });

  it('a sample subset recounts AC/AN like bcftools view -s: multi-allelic, haploid, missing, no ALT, no GT, header lines added', async () => {
    const f = join(dir, 'acan.vcf');
    writeFileSync(f, [
      '##fileformat=VCFv4.2', '##INFO=<ID=X,Number=1,Type=Integer,Description="x">', '##FORMAT=<ID=GT,Number=1,Type=String,Description="g">',
      '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">', '##contig=<ID=1>', '##source=test',
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta\tb\tc',
      '1\t10\t.\tA\t.\t.\t.\tAC=3;AN=6\tGT\t0/0\t0\t./.',
      '1\t11\t.\tA\tC\t.\t.\tAC=5;X=2\tDP\t3\t4\t5',
      '1\t12\t.\tA\tC,T\t.\t.\t.\tGT:DP\t2/1\t.|1\t1/1',
      '1\t13\t.\tA\tC\t.\t.\tAN=9;X=1\tGT\t.\t./.\t1/1',
      '1\t14\t.\tA\tC,G,T\t.\t.\tX=4\tGT:DP\t3|2:1\t1:2\t0/0/1:3',
      '',
    ].join('\n'));
    const { host, store } = await memoryDataset(f, {});
    for (const pick of [['a', 'b'], ['c', 'a'], ['b'], ['a', 'b', 'c']]) {
      expect((await query(host, store, { samples: pick })).text, pick.join(',')).toBe(bcftoolsView(['-s', pick.join(','), f]));
    }
  });

  it('100 seeded random regions equal bcftools view -r, pruned by the manifest', async () => {
    const { host, store } = await memoryDataset(gz, opts);
    const lines = bcftoolsView(['-H', gz])!.trim().split('\n').map((l) => l.split('\t'));
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const all = await query(host, store, {});
    for (let i = 0; i < 100; i++) {
      const l = lines[rnd(lines.length)]!;
      const a = Math.max(1, Number(l[1]) - rnd(50));
      const b = a + rnd(i % 2 ? 100 : 200_000);
      const reg = `${l[0]}:${a}-${b}`;
      const got = await query(host, store, { regions: [parseRegion(reg)] });
      expect(got.text, reg).toBe(bcftoolsView(['-r', reg, gz]));
      if (i % 2) expect(got.metrics.bytesRead).toBeLessThan(all.metrics.bytesRead / 3);
    }
  });

  it('small regions of large row groups read only the matrix pages holding their rows (offset index), same records as bcftools', async () => {
    // one row group of 3,000 sites per part; 120 samples in one group: each matrix column chunk spans several 64 KiB pages
    const f = join(dir, 'paged.vcf');
    // random per-sample values (synthVcf's repeat, and dictionary pages would hold them all)
    let seed = 21;
    const rnd = (n: number): number => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
    const names = Array.from({ length: 120 }, (_, i) => `S${String(i + 1).padStart(5, '0')}`);
    const text = ['##fileformat=VCFv4.2', '##contig=<ID=chr1,length=10000000>', '##FORMAT=<ID=GT,Number=1,Type=String,Description="g">',
      '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">', '##FORMAT=<ID=DS,Number=1,Type=Float,Description="s">',
      `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${names.join('\t')}`];
    for (let i = 0; i < 3000; i++) {
      const cells = names.map(() => `${rnd(2)}|${rnd(2)}:${rnd(60)}:${(rnd(2001) / 1000).toString()}`);
      text.push(`chr1\t${1000 + i * 37}\t.\tA\tG\t${rnd(100)}\tPASS\t.\tGT:DP:DS\t${cells.join('\t')}`);
    }
    writeFileSync(f, `${text.join('\n')}\n`);
    const pgz = `${f}.gz`;
    spawnSync('/usr/bin/bgzip', ['-f', f]);
    spawnSync('/usr/bin/tabix', ['-p', 'vcf', pgz]);
    const { host, store } = await memoryDataset(pgz, { rowGroupSize: 3000, sampleGroup: 120 });
    const lines = bcftoolsView(['-H', pgz])!.trim().split('\n').map((l) => l.split('\t'));
    const whole = await query(host, store, { regions: [parseRegion('chr1')] });
    expect(whole.text).toBe(bcftoolsView(['-r', 'chr1', pgz]));
    for (const i of [0, 5, 1499, 2990, 2999]) {
      const reg = `chr1:${lines[i]![1]}-${Number(lines[Math.min(i + 8, lines.length - 1)]![1])}`;
      for (const samples of [undefined, ['S00003', 'S00111']]) {
        const got = await query(host, store, { regions: [parseRegion(reg)], ...(samples ? { samples } : {}) });
        expect(got.text, reg).toBe(bcftoolsView(['-r', reg, ...(samples ? ['-s', samples.join(',')] : []), pgz]));
        expect(got.metrics.bytesRead, `${reg}: bytes`).toBeLessThan(whole.metrics.bytesRead / 4);
      }
      const tsv = await query(host, store, { regions: [parseRegion(reg)], fields: ['POS', 'FORMAT/DP'], samples: ['S00007'], outputFormat: 'tsv' });
      const want = spawnSync(BCFTOOLS, ['query', '-r', reg, '-s', 'S00007', '-f', '%POS[\t%DP]\n', pgz]).stdout.toString();
      expect(tsv.text.split('\n').slice(1).join('\n'), reg).toBe(want);
    }
  });
});

async function versions(store: MemoryStore): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list('_manifest/')) if (/\d{20}\.json$/.test(o.key)) out.push(o.key);
  return out;
}

describe('vcs dataset: bad input publishes no version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vcs-bad-'));
  const head = '##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n';
  const cases: [string, string, RegExp][] = [
    ['columns', `${head}1\t5\t.\tA\tC\t.\t.\t.\tGT\t0/1\n1\t6\t.\tA\tC\t.\t.\t.\tGT\t0/1\t1/1\n`, /line 5: .*tab-separated columns/],
    ['gt', `${head}1\t5\t.\tA\tC\t.\t.\t.\tGT\t0/x\n`, /line 4: .*bad GT "0\/x"/],
    ['pos', `${head}1\tfive\t.\tA\tC\t.\t.\t.\tGT\t0/1\n`, /line 4: POS "five"/],
    ['qual', `${head}1\t5\t.\tA\tC\tq\t.\t.\tGT\t0/1\n`, /line 4: QUAL "q"/],
  ];
  for (const [name, text, msg] of cases) {
    it(name, async () => {
      const p = join(dir, `${name}.vcf`);
      writeFileSync(p, text);
      const store = new MemoryStore('mem://bad');
      await expect(memoryDataset(p, {}, store)).rejects.toThrow(msg);
      expect(await versions(store)).toEqual([]);
    });
  }
  it('truncated BGZF', async () => {
    const p = join(dir, 't.vcf.gz');
    const r = spawnSync('/usr/bin/bgzip', ['-c', '/usr/share/htslib-test/test/index.vcf']);
    writeFileSync(p, r.stdout.subarray(0, r.stdout.length - 2000));
    const store = new MemoryStore('mem://bad2');
    await expect(memoryDataset(p, {}, store)).rejects.toThrow();
    expect(await versions(store)).toEqual([]);
  });
  it('undeclared fields: a warning and String type', async () => {
    const p = join(dir, 'und.vcf');
    writeFileSync(p, `${head}1\t5\t.\tA\tC\t.\t.\tZZ=1,2\tGT:QQ\t0/1:x\n`);
    const { host, store, warnings } = await memoryDataset(p);
    expect(warnings.join('\n')).toMatch(/INFO field ZZ is not declared.*String/);
    expect(warnings.join('\n')).toMatch(/FORMAT field QQ is not declared/);
    expect((await query(host, store, {})).text).toContain('ZZ=1,2\tGT:QQ\t0/1:x');
  });
});
