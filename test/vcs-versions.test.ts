// vcs versions: --append of new records, addSamples (new samples over existing and new sites,
// no existing object rewritten) against bcftools view / merge, and the marker-major read path.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryStore, parseRegion, withMetrics } from '@genolake/core';
import { VariantsHandle } from '../plugins/vcs/src/dataset/handle.js';
import { bufferSink } from '../plugins/vcs/src/testing/bcftools.js';
import { BCFTOOLS, bcftoolsView, hasBcftools } from '../plugins/vcs/src/testing/bcftools.js';
import { memoryDataset, query } from '../plugins/vcs/src/testing/dataset.js';
import { synthVcf } from '../plugins/vcs/src/testing/synth.js';

const dir = mkdtempSync(join(tmpdir(), 'vcs-versions-'));

/** Lines of `text` whose data rows pass `keep(row index)`, with only sample columns [from, to). */
function slice(text: string, from: number, to: number, keep: (i: number) => boolean, name: string): string {
  let i = 0;
  const out = text.split('\n').filter(Boolean).flatMap((l) => {
    if (l.startsWith('##')) return [l];
    const c = l.split('\t');
    const row = [...c.slice(0, 9), ...c.slice(9 + from, 9 + to)].join('\t');
    if (l.startsWith('#')) return [row];
    return keep(i++) ? [row] : [];
  });
  const f = join(dir, name);
  writeFileSync(f, `${out.join('\n')}\n`);
  spawnSync('/usr/bin/bgzip', ['-f', f]);
  spawnSync('/usr/bin/tabix', ['-f', '-p', 'vcf', `${f}.gz`]);
  return `${f}.gz`;
}

const byPosition = (a: string, b: string): number => {
  const [ca, pa] = a.split('\t'), [cb, pb] = b.split('\t');
  return ca === cb ? Number(pa) - Number(pb) : ca! < cb! ? -1 : 1;
};
const lines = (t: string): string[] => t.trimEnd().split('\n').filter((l) => l && !l.startsWith('#')).sort(byPosition);

async function objects(store: MemoryStore): Promise<Map<string, number>> {
  const m = new Map<string, number>();
  for await (const o of store.list('')) if (!o.key.startsWith('_')) m.set(o.key, o.size);
  return m;
}

describe.skipIf(!hasBcftools)('vcs versions', () => {
  const base = synthVcf({ records: 900, samples: 10, seed: 9 });
  const opts = { chunkRecords: 120, rowGroupSize: 40, sampleBatch: 4, sampleGroup: 2 };

  it('--append adds records of another contig as a new version; the union equals bcftools view of each input', async () => {
    const a = slice(base.split('\n').filter((l) => !l.startsWith('chrX')).join('\n'), 0, 10, () => true, 'a.vcf');
    const b = slice(base.split('\n').filter((l) => l.startsWith('#') || l.startsWith('chrX')).join('\n'), 0, 10, () => true, 'b.vcf');
    const { host, store } = await memoryDataset(a, opts);
    const before = await objects(store);
    const r = await memoryDataset(b, { ...opts, mode: 'append' }, store);
    expect(r.result.version).toBe(2);
    const after = await objects(store);
    for (const [k, size] of before) expect(after.get(k)).toBe(size);
    // the union: A's records then B's, as bcftools view prints each (same header)
    expect((await query(host, store, {})).text).toBe(bcftoolsView([a])! + bcftoolsView(['-H', b])!);
    expect((await query(host, store, { version: 1 })).text).toBe(bcftoolsView([a]));
    const reg = 'chrX:1-200000';
    expect((await query(host, store, { regions: [parseRegion(reg)] })).text).toBe(bcftoolsView(['-r', reg, b]));
  });

  it('appending other samples without addSamples is refused', async () => {
    const a = slice(base, 0, 6, () => true, 'c.vcf');
    const b = slice(base, 6, 10, () => true, 'd.vcf');
    const { store } = await memoryDataset(a, opts);
    await expect(memoryDataset(b, { ...opts, mode: 'append' }, store)).rejects.toThrow(/samples differ.*addSamples/);
  });

  for (const markerMajor of [false, true]) {
    it(`addSamples${markerMajor ? ' (marker-major)' : ''}: new samples over shared and new sites equal bcftools merge, old objects untouched`, async () => {
      // A: samples 1-6 without every 7th site; B: samples 7-10 without every 5th site. bcftools
      // merge drops the phase of a missing allele (0|. -> 0/.), which vcs keeps, and rewrites
      // records with a repeated ALT (T,T): neither is in these inputs
      const unphased = base.replace(/\|\./g, '/.').replace(/\.\|/g, './').split('\n')
        .filter((l) => !l || l.startsWith('#') || new Set(l.split('\t')[4]!.split(',')).size === l.split('\t')[4]!.split(',').length).join('\n');
      const a = slice(unphased, 0, 6, (i) => i % 7 !== 3, `e${markerMajor}.vcf`);
      const b = slice(unphased, 6, 10, (i) => i % 5 !== 1, `f${markerMajor}.vcf`);
      const extra = markerMajor ? { layout: 'marker-major', markerKeys: 'GT,DP' } : {};
      const { host, store } = await memoryDataset(a, { ...opts, ...extra });
      const before = await objects(store);
      const r = await memoryDataset(b, { ...opts, mode: 'append', addSamples: true }, store);
      expect(r.result.version).toBe(2);
      const after = await objects(store);
      for (const [k, size] of before) expect(after.get(k)).toBe(size);
      const merged = spawnSync(BCFTOOLS, ['merge', '--no-version', a, b]);
      const fmt = '%CHROM\t%POS\t%REF\t%ALT[\t%GT\t%DP\t%AD]\n';
      const want = spawnSync(BCFTOOLS, ['query', '-f', fmt, '-'], { input: merged.stdout }).stdout.toString('latin1');
      const got = await query(host, store, { fields: ['CHROM', 'POS', 'REF', 'ALT', 'FORMAT/GT', 'FORMAT/DP', 'FORMAT/AD'], outputFormat: 'tsv' });
      const cols = (l: string): string => { const c = l.split('\t'); const s: string[] = []; for (let k = 0; k < 10; k++) s.push(c[4 + k]!, c[14 + k]!, c[24 + k]!); return [...c.slice(0, 4), ...s].join('\t'); };
      expect(lines(got.text).map(cols)).toEqual(lines(want));
      // the VCF's sample columns too (site columns: merge recomputes INFO/DP; vcs keeps the first writer's)
      const vcf = (t: string): string[] => lines(t).map((l) => { const c = l.split('\t'); return [c[0], c[1], ...c.slice(8)].join('\t'); });
      expect(vcf((await query(host, store, {})).text)).toEqual(vcf(merged.stdout.toString('latin1')));
      // the old version still reads as A
      expect((await query(host, store, { version: 1 })).text).toBe(bcftoolsView([a]));
      if (markerMajor) {
        const reg = 'chr2:1-40000';
        const m = await query(host, store, { regions: [parseRegion(reg)], fields: ['CHROM', 'POS', 'REF', 'ALT', 'FORMAT/GT'], samples: ['S00002', 'S00008'], outputFormat: 'tsv' });
        const direct = spawnSync(BCFTOOLS, ['view', '-Oz', '-o', join(dir, 'm.vcf.gz'), '-'], { input: merged.stdout });
        expect(direct.status).toBe(0);
        spawnSync('/usr/bin/tabix', ['-f', '-p', 'vcf', join(dir, 'm.vcf.gz')]);
        const wantM = spawnSync(BCFTOOLS, ['query', '-r', reg, '-s', 'S00002,S00008', '-f', '%CHROM\t%POS\t%REF\t%ALT[\t%GT]\n', join(dir, 'm.vcf.gz')]).stdout.toString('latin1');
        expect(lines(m.text)).toEqual(lines(wantM));
        expect(lines(m.text).length).toBeGreaterThan(3);
      }
    });
  }

  it('marker-major: a one-marker query of all samples reads only markers objects, two ranges each', async () => {
    const f = slice(base, 0, 10, () => true, 'g.vcf');
    const { host, store } = await memoryDataset(f, { ...opts, layout: 'marker-major', markerKeys: 'GT,DP' });
    const rows = bcftoolsView(['-H', f])!.trim().split('\n').map((l) => l.split('\t'));
    for (let i = 0; i < rows.length; i += 97) {
      const reg = `${rows[i]![0]}:${rows[i]![1]}-${rows[i]![1]}`;
      const got = await query(host, store, { regions: [parseRegion(reg)], samples: ['all'], fields: ['CHROM', 'POS', 'FORMAT/GT', 'FORMAT/DP'], outputFormat: 'tsv' });
      const want = spawnSync(BCFTOOLS, ['query', '-r', reg, '-f', '%CHROM\t%POS[\t%GT\t%DP]\n', f]).stdout.toString('latin1');
      const cols = (l: string): string => { const c = l.split('\t'); const s: string[] = []; for (let k = 0; k < 10; k++) s.push(c[2 + k]!, c[12 + k]!); return [...c.slice(0, 2), ...s].join('\t'); };
      expect(lines(got.text).map(cols), reg).toEqual(lines(want));
      const data = got.metrics.ranges.filter((r) => r.key.endsWith('.parquet') || r.key.endsWith('.bin'));
      expect(data.every((r) => r.key.includes('.markers-')), reg).toBe(true);
      expect(data.length).toBeLessThanOrEqual(2 * new Set(data.map((r) => r.key)).size);
    }
  });

  it('VariantsHandle: marker() equals bcftools query at each marker; a warm handle reads one range per markers object', async () => {
    const f = slice(base, 0, 10, () => true, 'h.vcf');
    const { host, store } = await memoryDataset(f, { ...opts, layout: 'marker-major', markerKeys: 'GT,DP' });
    const metered = withMetrics(store);
    let h = await VariantsHandle.open(metered, host);
    const rows = bcftoolsView(['-H', f])!.trim().split('\n').map((l) => l.split('\t'));
    const picks = rows.filter((_, i) => i % 53 === 0);
    for (const warm of [false, true]) {
      for (const r of picks) {
        const [chrom, pos] = [r[0]!, Number(r[1])];
        if (!warm) h = await VariantsHandle.open(metered, host);
        else await h.marker(chrom, pos); // warms this part's index page
        const before = metered.metrics.ranges.length;
        const got = await h.marker(chrom, pos);
        const want = spawnSync(BCFTOOLS, ['query', '-r', `${chrom}:${pos}-${pos}`, '-i', `POS=${pos}`, '-f', '%ID\t%REF\t%ALT[\t%GT\t%DP]\n', f]).stdout.toString('latin1').trim().split('\n');
        expect(got.map((m) => [m.id, m.ref, m.alt, ...m.samples.flatMap((_, s) => [m.values.get('GT')![s] ?? '.', m.values.get('DP')![s] ?? '.'])].join('\t')), `${chrom}:${pos}`).toEqual(want);
        const reads = metered.metrics.ranges.slice(before).filter((x) => x.key.includes('.markers-'));
        const objectsRead = new Set(reads.map((x) => x.key)).size;
        // cold: index page + block per object; warm: the block only
        expect(reads.length, `${chrom}:${pos} warm=${warm}`).toBe(warm ? objectsRead : 2 * objectsRead);
      }
    }
    // the same handle answers ordinary queries on its version
    const sink = bufferSink();
    const reg = `${rows[0]![0]}:${rows[0]![1]}-${rows[0]![1]}`;
    await h.query({ regions: [parseRegion(reg)], samples: ['all'], fields: ['POS', 'FORMAT/DP'] }, sink, 'tsv');
    expect(sink.text().trim().split('\n')[1]!.split('\t')[0]).toBe(rows[0]![1]);
    await expect(h.marker(rows[0]![0]!, Number(rows[0]![1]), { keys: ['GQ'] })).rejects.toThrow(/GQ is not in the markers objects/);
    // Float values come back as numbers with the decimals of the VCF (float32 shortest form)
    const gq = await memoryDataset(f, { ...opts, layout: 'marker-major', markerKeys: 'GT,GQ' });
    const hg = await VariantsHandle.open(gq.store, gq.host);
    for (const r of picks) {
      const [chrom, pos] = [r[0]!, Number(r[1])];
      const want = spawnSync(BCFTOOLS, ['query', '-r', `${chrom}:${pos}-${pos}`, '-i', `POS=${pos}`, '-f', '[%GQ\t]\n', f]).stdout.toString('latin1').trim().split('\n')[0]!.split('\t');
      const got = (await hg.marker(chrom, pos, { keys: ['GQ'] }))[0]!.values.get('GQ')!;
      expect(got, `${chrom}:${pos} GQ`).toEqual(want.map((t) => (t === '.' ? null : Number(t))));
    }
    // a subset, out of order and not contiguous, is the same values picked from all samples
    const subset = ['S00008', 'S00002', 'S00003', 'S00009'];
    for (const r of picks) {
      const [chrom, pos] = [r[0]!, Number(r[1])];
      const all = (await hg.marker(chrom, pos, { keys: ['GQ', 'GT'] }))[0]!;
      const sub = (await hg.marker(chrom, pos, { keys: ['GQ', 'GT'], samples: subset }))[0]!;
      expect(sub.samples).toEqual(subset);
      for (const key of ['GQ', 'GT']) expect(sub.values.get(key), `${chrom}:${pos} ${key}`).toEqual(subset.map((n) => all.values.get(key)![all.samples.indexOf(n)]));
    }
    const plain = await memoryDataset(f, opts);
    await expect((await VariantsHandle.open(plain.store, plain.host)).marker(rows[0]![0]!, Number(rows[0]![1]))).rejects.toThrow(/no markers objects/);
  });
});
