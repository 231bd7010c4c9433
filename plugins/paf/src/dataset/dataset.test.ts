import { writeFileSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { Dataset, formatRegion, InputError, MemoryStore, type Region } from '@genolake/core';
import { hasSamtools, samtools, tmpDir, viewText } from '../testing/samtools.js';
import { memoryDataset, query } from '../testing/dataset.js';

const EX1 = '/usr/share/doc/python-pysam/tests/pysam_data/ex1.bam.gz';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.skipIf(!hasSamtools && !process.env.CI)('paf dataset: convert and query vs samtools view', () => {
  let bam: string;
  let ds: Awaited<ReturnType<typeof memoryDataset>>;
  beforeAll(async () => {
    bam = join(tmpDir(), 'ex1.bam');
    writeFileSync(bam, gunzipSync(readFileSync(EX1)));
    samtools(['index', bam]);
    ds = await memoryDataset(bam, { chunkRecords: 97 });
  });

  it('lays out partitions, chunks, indexes and metadata', async () => {
    const d = await Dataset.open(ds.store);
    const m = d.manifest;
    expect(m.format).toBe('paf');
    expect(ds.result.records).toBe(Number(samtools(['view', '-c', bam]).toString()));
    expect(m.chunks.length).toBeGreaterThan(20);
    expect(new Set(m.chunks.map((c) => c.partition))).toEqual(new Set(['chr1', 'chr2']));
    expect(m.indexes.map((i) => i.name).sort()).toEqual(['chr1', 'chr2']);
    const meta = m.metadata as { readCount: number; contigs: unknown[]; codecs: Record<string, string> };
    expect(meta.readCount).toBe(ds.result.records);
    expect(meta.contigs).toEqual([{ name: 'chr1', length: 1575 }, { name: 'chr2', length: 1584 }]);
    expect(meta.codecs.pos).toBe('delta|zigzag|varint|zstd:3');
    expect(await ds.store.get('_metadata.json')).toBeDefined();
  });

  it('exports the whole dataset as samtools view -h prints the input', async () => {
    const { text } = await query(ds.host, ds.store, { options: { h: 'true' } });
    expect(text).toBe(viewText(bam));
  });

  it('answers hundreds of seeded random regions as samtools view does', async () => {
    const rand = rng(42);
    const lens: Record<string, number> = { chr1: 1575, chr2: 1584 };
    const regions: Region[] = [];
    for (let i = 0; i < 300; i++) {
      const contig = rand() < 0.5 ? 'chr1' : 'chr2';
      const len = lens[contig]!;
      const kind = i % 6;
      let start: number, end: number;
      if (kind === 0) (start = 0), (end = 1 + Math.floor(rand() * 50));          // contig start
      else if (kind === 1) (start = len - 1 - Math.floor(rand() * 50)), (end = len + Math.floor(rand() * 100)); // contig end, past it
      else if (kind === 2) (start = Math.floor(rand() * len)), (end = start + 1);  // one base
      else if (kind === 3) (start = 0), (end = Infinity);                           // whole contig
      else (start = Math.floor(rand() * len)), (end = start + 1 + Math.floor(rand() * 400));
      regions.push({ contig, start, end });
    }
    let compared = 0;
    for (const r of regions) {
      const text = formatRegion(r);
      const want = samtools(['view', bam, text]).toString('latin1');
      const got = (await query(ds.host, ds.store, { regions: [r] })).text;
      expect(got, text).toBe(want);
      compared++;
    }
    expect(compared).toBe(300);
  }, 120_000);

  it('applies -f/-F/-q and -c as samtools view does', async () => {
    for (const [opts, args] of [[{ f: '0x10' }, ['-f', '0x10']], [{ F: '4' , q: '30' }, ['-F', '4', '-q', '30']]] as const) {
      const { text } = await query(ds.host, ds.store, { regions: [{ contig: 'chr2', start: 100, end: 900 }], options: opts });
      expect(text).toBe(samtools(['view', ...args, bam, 'chr2:101-900']).toString('latin1'));
    }
    const { text } = await query(ds.host, ds.store, { options: { c: 'true', F: '16' } });
    expect(text).toBe(samtools(['view', '-c', '-F', '16', bam]).toString());
  });

  it('fetches only the streams of three projected fields', async () => {
    const region = { contig: 'chr1', start: 200, end: 400 };
    const full = await query(ds.host, ds.store, { regions: [region] });
    const proj = await query(ds.host, ds.store, { regions: [region], fields: ['name', 'mapq', 'tlen'], outputFormat: 'jsonl' });
    const lines = proj.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBe(full.text.trim().split('\n').length);
    expect(Object.keys(lines[0])).toEqual(['rname', 'name', 'mapq', 'tlen']);
    // Small chunks: the 64 KiB coalescing gap merges neighbouring streams, so bytes shrink less than streams do.
    expect(proj.metrics.bytesRead).toBeLessThan(full.metrics.bytesRead);
    const plan = await query(ds.host, ds.store, { regions: [region], fields: ['name', 'mapq', 'tlen'], outputFormat: 'jsonl', explain: true });
    const streams = plan.result.explain!.notes!.find((n) => n.includes('; streams: '))!;
    // tlen is stored relative to the mate's position (mates.ts), so its inputs come along.
    expect(streams.slice(streams.indexOf('streams: '))).toBe('streams: name.@len, name, flag, pos, span, mapq, nextRefId, nextPos, tlen');
    const fullPlan = await query(ds.host, ds.store, { regions: [region], explain: true });
    expect(plan.result.explain!.bytes).toBeLessThan(fullPlan.result.explain!.bytes);
    expect(plan.metrics.bytesRead).toBe(fullPlan.metrics.bytesRead); // --explain reads the manifest only
  });
});

describe('paf convert: bad input publishes nothing', () => {
  const write = (name: string, bytes: Uint8Array | string): string => {
    const p = join(tmpDir(), name);
    writeFileSync(p, bytes);
    return p;
  };
  const head = '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:1000\n';
  const rec = (n: number) => `r${n}\t0\tc1\t${n + 1}\t60\t4M\t*\t0\t0\tACGT\tIIII\n`;

  it.each([
    ['unknown contig', `${head}${rec(1)}r2\t0\tchrX\t5\t60\t4M\t*\t0\t0\tACGT\tIIII\n`, /line 4: unknown reference "chrX"/],
    ['CIGAR/SEQ mismatch', `${head}${rec(1)}r2\t0\tc1\t5\t60\t5M\t*\t0\t0\tACGT\tIIII\n`, /line 4: CIGAR and sequence lengths differ/],
  ])('%s', async (_label, text, message) => {
    const store = new MemoryStore('mem://bad');
    await expect(memoryDataset(write('bad.sam', text), {}, store)).rejects.toThrow(message);
    expect(await Dataset.latestVersion(store)).toBe(0);
  });

  it('binary data that is neither BAM nor SAM: named by its first byte, not read as one endless line', async () => {
    const store = new MemoryStore('mem://binary');
    await expect(memoryDataset(write('zeros.bin', new Uint8Array(1 << 16)), {}, store)).rejects.toThrow(/zeros\.bin: not BAM, SAM or gzip\/BGZF \(first byte 0x00\)/);
    expect(await Dataset.latestVersion(store)).toBe(0);
  });

  it.skipIf(!hasSamtools)('truncated BAM and corrupt block', async () => {
    const sam = write('ok.sam', head + Array.from({ length: 2000 }, (_, i) => rec(i)).join(''));
    const full = samtools(['view', '--no-PG', '-b', sam]);
    for (const [name, bytes, msg] of [
      ['trunc.bam', full.subarray(0, full.length - 200), /truncated/],
      ['corrupt.bam', Buffer.concat([full.subarray(0, 60), Buffer.from([1, 2, 3, 4, 5, 6]), full.subarray(66)]), /CRC|corrupt|invalid|BGZF/i],
    ] as const) {
      const store = new MemoryStore(`mem://${name}`);
      const err = await memoryDataset(write(name, bytes), {}, store).catch((e: unknown) => e);
      expect(err, name).toBeInstanceOf(Error);
      expect(String((err as Error).message), name).toMatch(msg);
      expect((err as Error).name === 'InputError' || (err as { code?: string }).code !== undefined).toBe(true);
      expect(await Dataset.latestVersion(store)).toBe(0);
    }
  });
  void InputError;
});

describe('paf convert: qualities fast and small', () => {
  // Binned qualities (four levels, runs), one read without qualities, and one of nine levels
  // in its own chunk (the rANS path of qualpack).
  const r = rng(7);
  const levels = 'F:,#';
  const qual = (n: number): string => {
    let s = '', c = 'F';
    for (let i = 0; i < n; i++) s += (c = r() < 0.75 ? c : levels[Math.floor(r() * 4)]!);
    return s;
  };
  const head = '@HD\tVN:1.6\tSO:coordinate\n@SQ\tSN:c1\tLN:100000\n@SQ\tSN:c2\tLN:1000\n';
  const recs = Array.from({ length: 3000 }, (_, i) => `r${i}\t0\tc1\t${i * 20 + 1}\t60\t100M\t*\t0\t0\t${'ACGT'.repeat(25)}\t${i === 1500 ? '*' : qual(100)}`);
  recs.push(`s1\t0\tc2\t1\t60\t9M\t*\t0\t0\tACGTACGTA\t!+5?IFAB#`);
  const sam = `${head}${recs.join('\n')}\n`;

  it('store the same records; small is smaller; the choice is recorded; anything else is refused', async () => {
    const path = join(tmpDir(), 'binned.sam');
    writeFileSync(path, sam);
    const out: Record<string, { text: string; bytes: number; qual: string }> = {};
    for (const q of ['fast', 'small', undefined] as const) {
      const ds = await memoryDataset(path, q ? { qualities: q } : {});
      const meta = (await Dataset.open(ds.store)).manifest.metadata as { codecs: Record<string, string> };
      const { text } = await query(ds.host, ds.store, { options: { h: 'true' } });
      out[q ?? 'default'] = { text, bytes: ds.result.bytesWritten, qual: meta.codecs.qual! };
    }
    expect(out.fast!.qual).toBe('qualpack|zstd:1');
    expect(out.default!.qual).toBe('qualpack|zstd:1');
    expect(out.small!.qual).toBe('qualrans:4');
    for (const o of Object.values(out)) expect(o.text.split('\n').filter((l) => !l.startsWith('@')).join('\n')).toBe(`${recs.join('\n')}\n`);
    expect(out.small!.bytes).toBeLessThan(out.fast!.bytes);
    await expect(memoryDataset(path, { qualities: 'tiny' })).rejects.toThrow(/qualities must be 'fast' or 'small', got 'tiny'/);
  });
});
