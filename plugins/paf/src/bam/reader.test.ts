import { describe, expect, it } from 'vitest';
import { Reader } from './reader.js';
import { formatRecord } from '../sam/writer.js';
import { asBam, corpus, fileSource, hasSamtools, viewText } from '../testing/samtools.js';

async function ourText(path: string): Promise<string> {
  const r = await Reader.open(fileSource(path));
  const names = r.header.names;
  let s = r.header.samText();
  for await (const batch of r.batches()) for (const rec of batch) s += `${formatRecord(rec, names)}\n`;
  return s;
}

describe.skipIf(!hasSamtools && !process.env.CI)('BAM reader + SAM formatter vs samtools view -h', () => {
  const files = corpus();
  it('finds the corpus', () => expect(files.length).toBeGreaterThan(50));
  it('gives the text of samtools view for every BAM (SAMs via samtools view -b)', async () => {
    const failures: string[] = [];
    let compared = 0;
    for (const [i, f] of files.entries()) {
      const bam = asBam(f, i);
      if (!bam) continue;
      const want = viewText(bam)!;
      let got: string;
      try {
        got = await ourText(bam);
      } catch (e) {
        failures.push(`${f}: ${(e as Error).message}`);
        continue;
      }
      compared++;
      if (got !== want) {
        const a = got.split('\n'), b = want.split('\n');
        const k = a.findIndex((l, j) => l !== b[j]);
        failures.push(`${f}: line ${k + 1}\n  ours: ${a[k]?.slice(0, 300)}\n  want: ${b[k]?.slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(compared).toBeGreaterThan(50);
  }, 300_000);
});
