import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Reader } from './reader.js';
import { corpus, hasSamtools } from '../testing/samtools.js';

/** `bytes` in pieces of 1..max bytes (seeded sizes). */
async function* pieces(bytes: Uint8Array, max: number, seed: number): AsyncGenerator<Uint8Array> {
  let s = seed;
  for (let at = 0; at < bytes.length;) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const n = 1 + (s % max);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

/** Every record's bytes, then the error if reading stopped on one. */
async function read(input: AsyncIterable<Uint8Array>): Promise<string[]> {
  const out: string[] = [];
  try {
    const r = await Reader.fromInflated(input, 'in.bam');
    for await (const batch of r.batches()) for (const rec of batch) out.push(Buffer.from(rec.bytes).toString('hex'));
  } catch (e) {
    out.push(`error: ${(e as Error).message}`);
  }
  return out;
}

describe.skipIf(!hasSamtools && !process.env.CI)('BAM reader over inflated bytes in pieces', () => {
  it('cuts the same records, and stops with the same error, whatever the piece sizes', async () => {
    const inflated: Uint8Array[] = [];
    for (const f of corpus().filter((p) => p.endsWith('.bam'))) {
      try {
        const b = gunzipSync(readFileSync(f));
        if (b.length > 2000 && b.length < 1 << 20) inflated.push(b);
      } catch {
        // not gzip-framed: not a BAM this test can use
      }
    }
    expect(inflated.length).toBeGreaterThan(5);
    for (const [i, b] of inflated.slice(0, 20).entries()) {
      for (const bytes of [b, b.subarray(0, b.length - 5)]) {
        const want = await read(pieces(bytes, bytes.length, 1));
        for (const max of [1, 13, 700, 70_000]) expect(await read(pieces(bytes, max, i + max))).toEqual(want);
      }
    }
  }, 120_000);
});
