import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileSource } from '@genolake/bgzf-tabix';
import { Reader } from './reader.js';
import { Writer } from './writer.js';
import { bcftoolsView, bufferSink, corpus, hasBcftools } from '../testing/bcftools.js';

/** Files bcftools itself does not round-trip (duplicate FORMAT keys give garbage). */
const SKIP = new Set(['/usr/share/htslib-test/test/noroundtrip.vcf']);

export async function viaReader(path: string): Promise<string> {
  const reader = await Reader.open(fileSource(path));
  const sink = bufferSink();
  const w = new Writer(sink, reader.header);
  await w.writeHeader();
  for await (const batch of reader.batches()) for (const r of batch) await w.write(r);
  await w.end();
  return sink.text();
}

describe.skipIf(!hasBcftools)('VCF reader + writer equal bcftools view', () => {
  const files = corpus().filter((f) => !SKIP.has(f) && bcftoolsView([f]) !== undefined);
  it('has a corpus', () => expect(files.length).toBeGreaterThan(30));
  for (const f of files) {
    it(f, async () => {
      const want = bcftoolsView([f])!;
      const got = await viaReader(f);
      if (got !== want && process.env.VCS_DUMP) writeFileSync(`${process.env.VCS_DUMP}/${f.replace(/\//g, '_')}`, got);
      expect(got).toBe(want);
    });
  }
});
