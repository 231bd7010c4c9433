import { gzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '@genolake/core';
import { fromBytes } from '@genolake/bgzf-tabix';
import { open } from '../open.js';
import { formatRecord } from './writer.js';
import { asBam, corpus, fileSource, hasSamtools, tmpDir, viewText } from '../testing/samtools.js';

async function ourText(source: Parameters<typeof open>[0]): Promise<string> {
  const r = await open(source);
  const names = r.header.names;
  let s = r.header.samText();
  for await (const batch of r.batches()) for (const rec of batch) s += `${formatRecord(rec, names)}\n`;
  return s;
}

describe.skipIf(!hasSamtools && !process.env.CI)('SAM reader vs samtools view -h', () => {
  it('reads every SAM that samtools accepts to the same text (plain and gzip)', async () => {
    const failures: string[] = [];
    let compared = 0;
    for (const [i, f] of corpus().filter((p) => p.endsWith('.sam')).entries()) {
      const want = viewText(f);
      // Only files BAM can hold (samtools view -b refuses 64-bit positions): paf datasets are BAM-based.
      if (want === undefined || !asBam(f, 1000 + i)) continue;
      let got: string, gz: string;
      try {
        got = await ourText(fileSource(f));
        const z = join(tmpDir(), `s${i}.sam.gz`);
        writeFileSync(z, gzipSync(readFileSync(f)));
        gz = await ourText(fileSource(z));
      } catch (e) {
        failures.push(`${f}: ${(e as Error).message}`);
        continue;
      }
      compared++;
      if (got !== want || gz !== want) {
        const a = got.split('\n'), b = want.split('\n');
        const k = a.findIndex((l, j) => l !== b[j]);
        failures.push(`${f}: line ${k + 1}\n  ours: ${a[k]?.slice(0, 300)}\n  want: ${b[k]?.slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(compared).toBeGreaterThan(40);
  }, 300_000);
});

describe('SAM parser errors', () => {
  const head = '@SQ\tSN:c1\tLN:100\n';
  const read = async (text: string) => ourText(fromBytes(new TextEncoder().encode(text), 'x.sam'));
  it('rejects a CIGAR/SEQ length mismatch with file and line', async () => {
    await expect(read(`${head}r1\t0\tc1\t1\t60\t3M\t*\t0\t0\tACGT\t*\n`)).rejects.toThrow(/x\.sam line 2: CIGAR and sequence lengths differ/);
  });
  it('rejects an unknown contig', async () => {
    await expect(read(`${head}r1\t0\tc9\t1\t60\t4M\t*\t0\t0\tACGT\t*\n`)).rejects.toBeInstanceOf(InputError);
  });
  it('rejects bad aux types', async () => {
    await expect(read(`${head}r1\t0\tc1\t1\t60\t4M\t*\t0\t0\tACGT\t*\tXX:Q:1\n`)).rejects.toThrow(/line 2: unknown optional field type/);
  });
});
