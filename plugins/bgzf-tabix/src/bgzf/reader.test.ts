import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CorruptDataError, MemoryStore } from '@genolake/core';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource } from '../fs.js';
import { fromBytes, fromObject } from '../source.js';
import { HAVE_BGZIP, collect, pseudoRandomBytes, run, tempDir } from '../testing/htslib.js';
import { EOF_BLOCK } from './block.js';
import { Gzi } from './gzi.js';
import { Reader } from './reader.js';
import { decompressStream, readBlocks } from './stream.js';
import * as vo from './virtual-offset.js';
import { Writer, compressSync } from './writer.js';

const HTSLIB_TEST = '/usr/share/htslib-test/test';

async function bgzf(data: Uint8Array, gzi = false): Promise<{ bytes: Buffer; gzi?: Gzi }> {
  const chunks: Uint8Array[] = [];
  const w = new Writer({ write: (c) => void chunks.push(c) }, { gzi, threads: 2 });
  await w.write(data);
  await w.end();
  return { bytes: Buffer.concat(chunks), gzi: w.gzi };
}

function chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let p = 0; p < bytes.length; p += size) yield bytes.subarray(p, p + size);
  })();
}

describe('bgzf streaming reader', () => {
  it('reads our output back, whatever the input chunking', async () => {
    const data = pseudoRandomBytes(400_000, 9, true);
    const { bytes } = await bgzf(data);
    for (const size of [1, 17, 4096, 1 << 20]) {
      const warnings: string[] = [];
      const input = size === 1 ? (await bgzf(data.subarray(0, 3000))).bytes : bytes;
      const out = await collect(decompressStream(chunked(input, size), { onWarning: (m) => warnings.push(m) }));
      if (size === 1) {
        expect(out.equals(Buffer.from(data.subarray(0, 3000)))).toBe(true);
        continue;
      }
      expect(out.equals(Buffer.from(data))).toBe(true);
      expect(warnings).toEqual([]);
    }
  });

  it('reads plain gzip, single and multi-member', async () => {
    const a = pseudoRandomBytes(100_000, 1, true);
    const b = pseudoRandomBytes(5_000, 2, true);
    const multi = Buffer.concat([gzipSync(a), gzipSync(b)]);
    expect((await collect(decompressStream(chunked(multi, 7000)))).equals(Buffer.concat([a, b]))).toBe(true);
  });

  it('warns (does not fail) when the EOF block is missing', async () => {
    const data = pseudoRandomBytes(70_000, 3, true);
    const { bytes } = await bgzf(data);
    const warnings: string[] = [];
    const out = await collect(decompressStream(chunked(bytes.subarray(0, bytes.length - 28), 5000), { name: 'x.gz', onWarning: (m) => warnings.push(m) }));
    expect(out.equals(Buffer.from(data))).toBe(true);
    expect(warnings).toEqual(['x.gz: no BGZF EOF marker; the file may be truncated']);
  });

  it('names the file and compressed offset of a truncated block', async () => {
    const data = pseudoRandomBytes(200_000, 4, true);
    const { bytes } = await bgzf(data);
    const blocks = [];
    for await (const b of readBlocks(chunked(bytes, 65536))) blocks.push(b);
    const second = blocks[1]!.coffset;
    const cut = bytes.subarray(0, second + 100);
    const err = await collect(decompressStream(chunked(cut, 65536), { name: 't.gz' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toBe(`t.gz: truncated BGZF block at compressed offset ${second} (100 bytes left)`);
  });

  it('reports a CRC mismatch with the block offset', async () => {
    const data = pseudoRandomBytes(100_000, 5, true);
    const bytes = Buffer.from(compressSync(data, 0)); // stored blocks: a flipped payload byte still inflates
    const blocks = [];
    for await (const b of readBlocks(chunked(bytes, 1 << 20))) blocks.push(b);
    bytes[blocks[1]!.coffset + 1000]! ^= 0x40;
    const err = await collect(decompressStream(chunked(bytes, 1 << 20), { name: 'c.gz' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toBe(`c.gz: CRC32 mismatch in BGZF block at compressed offset ${blocks[1]!.coffset}`);
  });

  it('rejects a bad header and non-gzip input', async () => {
    const bytes = Buffer.from(compressSync(new Uint8Array(10)));
    bytes[1] = 0;
    await expect(collect(decompressStream(chunked(bytes, 100), { name: 'h.gz' }))).rejects.toThrow(/h\.gz: .*not in gzip format at offset 0/);
    const first = compressSync(new Uint8Array(10)).subarray(0, -28);
    const two = Buffer.concat([first, Buffer.from('garbage here....')]);
    await expect(collect(decompressStream(chunked(two, 100), { name: 'h.gz' }))).rejects.toThrow(
      `h.gz: bad BGZF block header at compressed offset ${first.length}: no gzip magic`,
    );
  });
});

describe('bgzf.Reader (random access)', () => {
  it('seeks by virtual offset with bounded reads: header, then exactly the block', async () => {
    const data = pseudoRandomBytes(300_000, 6, true);
    const { bytes, gzi } = await bgzf(data, true);
    const store = new MemoryStore('mem://t');
    await store.put('a.gz', bytes);
    const r = new Reader(fromObject(store, 'a.gz'), { cacheBlocks: 0 });
    const e = gzi!.entries[2]!;
    const got = await r.read(vo.make(e.coffset, 5), 10);
    expect(Buffer.from(got).equals(Buffer.from(data.subarray(e.uoffset + 5, e.uoffset + 15)))).toBe(true);
    const blockSize = gzi!.entries[3]!.coffset - e.coffset;
    expect(r.stats).toEqual({ requests: 2, bytes: blockSize });
    expect(await r.hasEofBlock()).toBe(true);
  });

  it('reads by uncompressed offset through a .gzi, across block ends and past the end', async () => {
    const data = pseudoRandomBytes(300_000, 7, true);
    const { bytes, gzi } = await bgzf(data, true);
    const r = new Reader(fromBytes(bytes, 'b.gz'));
    const parsed = Gzi.parse(gzi!.encode());
    expect(Buffer.from(await r.readAt(65_000, 70_000, parsed)).equals(Buffer.from(data.subarray(65_000, 135_000)))).toBe(true);
    expect((await r.readAt(299_990, 100, parsed)).length).toBe(10);
    expect((await r.readAt(400_000, 100, parsed)).length).toBe(0);
  });

  it('property: random sizes and random virtual-offset seeks agree with the input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 250_000 }), fc.integer(), fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 100_000 })), { maxLength: 8 }), async (size, seed, seeks) => {
        const data = pseudoRandomBytes(size, seed, seed % 2 === 0);
        const { bytes, gzi } = await bgzf(data, true);
        expect((await collect(decompressStream(chunked(bytes, 30_000)))).equals(Buffer.from(data))).toBe(true);
        const r = new Reader(fromBytes(bytes));
        for (const [frac, len] of seeks) {
          const u = Math.floor(frac * size);
          const entry = gzi!.locate(u);
          const got = await r.read(vo.make(entry.coffset, u - entry.uoffset), len);
          expect(Buffer.from(got).equals(Buffer.from(data.subarray(u, u + len)))).toBe(true);
        }
      }),
      { seed: 42, numRuns: 40 },
    );
  });
});

describe.skipIf(!HAVE_BGZIP)('bgzf readers on htslib-written files', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);

  it('reads bgzip output byte-exactly, streaming and through bgzip -i .gzi', async () => {
    const data = pseudoRandomBytes(2_000_000, 8, true);
    writeFileSync(tmp.path('d.txt'), data);
    expect(run('bgzip', ['-i', '-@', '2', tmp.path('d.txt')]).code).toBe(0);
    const file = tmp.path('d.txt.gz');
    const src = fileSource(file);
    expect((await collect(decompressStream(src.stream(), { threads: 4 }))).equals(Buffer.from(data))).toBe(true);
    const gzi = Gzi.parse(readFileSync(`${file}.gzi`), `${file}.gzi`);
    const r = new Reader(src);
    for (const [b, s] of [[0, 1], [65_279, 2], [1_000_000, 300_000], [1_999_999, 5]] as const) {
      expect(Buffer.from(await r.readAt(b, s, gzi)).equals(Buffer.from(data.subarray(b, b + s)))).toBe(true);
    }
  });

  it('reads the htslib test suite files', async () => {
    const plain = readFileSync(`${HTSLIB_TEST}/bgziptest.txt`);
    const src = fileSource(`${HTSLIB_TEST}/bgziptest.txt.gz`);
    expect((await collect(decompressStream(src.stream()))).equals(plain)).toBe(true);
    const gzi = Gzi.parse(readFileSync(`${HTSLIB_TEST}/bgziptest.txt.gz.gzi`));
    const r = new Reader(src);
    expect(Buffer.from(await r.readAt(10, 100, gzi)).equals(plain.subarray(10, 110))).toBe(true);
    const vcf = run('bgzip', ['-c', `${HTSLIB_TEST}/tabix/vcf_file.vcf`]).stdout;
    expect((await collect(decompressStream(chunked(vcf, 1000)))).equals(readFileSync(`${HTSLIB_TEST}/tabix/vcf_file.vcf`))).toBe(true);
  });

  it('reads the empty-input .gzi htslib writes (count 2^64-1)', async () => {
    writeFileSync(tmp.path('e.txt'), '');
    expect(run('bgzip', ['-i', tmp.path('e.txt')]).code).toBe(0);
    expect(Gzi.parse(readFileSync(tmp.path('e.txt.gz.gzi'))).entries).toEqual([{ coffset: 0, uoffset: 0 }]);
    expect([...readFileSync(tmp.path('e.txt.gz'))]).toEqual([...EOF_BLOCK]);
  });
});
