import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { compressSync } from './writer.js';
import { openInflated, peek } from './inflated.js';

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let o = 0; o < bytes.length; o += size) yield bytes.subarray(o, o + size);
}
async function all(s: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Buffer[] = [];
  for await (const p of s) parts.push(Buffer.from(p));
  return Buffer.concat(parts).toString('latin1');
}

describe('openInflated', () => {
  const text = 'BAM\u0001' + 'x'.repeat(100_000);
  const raw = Buffer.from(text, 'latin1');
  it.each([
    ['plain', raw],
    ['gzip', gzipSync(raw)],
    ['BGZF', compressSync(raw)],
  ])('shows the first decompressed bytes of %s input and keeps the stream whole', async (_kind, bytes) => {
    const got = await openInflated(pieces(bytes, 1), 4, { name: 'x' }); // one byte per piece: peek must join
    expect(Buffer.from(got.head.subarray(0, 4)).toString('latin1')).toBe('BAM\u0001');
    expect(await all(got.stream)).toBe(text);
  });
  it('returns a short head for a short input', async () => {
    const got = await peek(pieces(Buffer.from('ab'), 1), 4);
    expect(got.head).toEqual(new Uint8Array([0x61, 0x62]));
    expect(await all(got.rest)).toBe('ab');
  });
});
