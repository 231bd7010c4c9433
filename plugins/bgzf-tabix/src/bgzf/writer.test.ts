import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_BGZIP, collect, pseudoRandomBytes, run, tempDir } from '../testing/htslib.js';
import { BLOCK_INPUT_SIZE, EOF_BLOCK } from './block.js';
import { Gzi } from './gzi.js';
import { Writer, compressStream, compressSync } from './writer.js';

async function compress(data: Uint8Array, options: ConstructorParameters<typeof Writer>[1] = {}, writeSize = 100_000) {
  const chunks: Uint8Array[] = [];
  const w = new Writer({ write: (c) => void chunks.push(c) }, options);
  for (let p = 0; p < data.length; p += writeSize) await w.write(data.subarray(p, p + writeSize));
  await w.end();
  return { bytes: Buffer.concat(chunks), writer: w };
}

describe('bgzf.Writer', () => {
  it('writes only the EOF block for empty input', async () => {
    const { bytes } = await compress(new Uint8Array(0));
    expect([...bytes]).toEqual([...EOF_BLOCK]);
  });

  it('cuts blocks at 65280 input bytes, like bgzip', async () => {
    const data = pseudoRandomBytes(BLOCK_INPUT_SIZE * 2 + 7, 1, true);
    const { writer } = await compress(data, { gzi: true });
    expect(writer.gzi!.entries.map((e) => e.uoffset)).toEqual([0, BLOCK_INPUT_SIZE, BLOCK_INPUT_SIZE * 2]);
  });

  it('gives identical output whatever the thread count (order preserved)', async () => {
    const data = pseudoRandomBytes(1_000_000, 2, true);
    const one = (await compress(data, { threads: 1 })).bytes;
    const four = (await compress(data, { threads: 4 }, 4096)).bytes;
    expect(four.equals(one)).toBe(true);
    expect(compressSync(data).length).toBe(one.length);
  });

  it('reports the virtual offset of the next byte, and flush() starts a new block', async () => {
    const chunks: Uint8Array[] = [];
    const w = new Writer({ write: (c) => void chunks.push(c) }, { threads: 3 });
    expect(await w.virtualOffset()).toBe(0);
    await w.write(new Uint8Array(10));
    expect(await w.virtualOffset()).toBe(10);
    await w.flush();
    const v = await w.virtualOffset(); // waits for the block in flight
    expect(v).toBe(Buffer.concat(chunks).length * 65536);
    await w.end();
  });

  it('rejects bad levels and thread counts', () => {
    expect(() => new Writer({ write: () => undefined }, { level: 10 })).toThrow(/level/);
    expect(() => new Writer({ write: () => undefined }, { threads: 0 })).toThrow(/threads/);
  });

  it('streams through compressStream', async () => {
    const data = pseudoRandomBytes(300_000, 3, true);
    async function* src() {
      for (let p = 0; p < data.length; p += 50_000) yield data.subarray(p, p + 50_000);
    }
    const out = await collect(compressStream(src(), { threads: 2 }));
    expect(out.equals((await compress(data)).bytes)).toBe(true);
  });
});

describe.skipIf(!HAVE_BGZIP)('bgzf.Writer output accepted by htslib bgzip', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const sizes = [0, 1, BLOCK_INPUT_SIZE - 1, BLOCK_INPUT_SIZE, BLOCK_INPUT_SIZE + 1, 3_000_000];

  for (const size of sizes) {
    it(`round-trips ${size} bytes through bgzip -t and bgzip -d`, async () => {
      const data = pseudoRandomBytes(size, size + 11, size % 2 === 0);
      const file = tmp.path(`s${size}.gz`);
      writeFileSync(file, (await compress(data, { threads: 2 })).bytes);
      expect(run('bgzip', ['-t', file]).code).toBe(0);
      const d = run('bgzip', ['-d', '-c', file]);
      expect(d.code).toBe(0);
      expect(d.stdout.equals(Buffer.from(data))).toBe(true);
    });
  }

  it('round-trips at every level -1..9', async () => {
    const data = pseudoRandomBytes(200_000, 5, true);
    for (let level = -1; level <= 9; level++) {
      const file = tmp.path(`l${level}.gz`);
      writeFileSync(file, (await compress(data, { level })).bytes);
      expect(run('bgzip', ['-t', file]).code, `level ${level}`).toBe(0);
      expect(run('bgzip', ['-d', '-c', file]).stdout.equals(Buffer.from(data)), `level ${level}`).toBe(true);
    }
  });

  it('writes a .gzi that bgzip -b/-s uses, with the same block starts as bgzip -i', async () => {
    const data = pseudoRandomBytes(500_000, 6, true);
    const file = tmp.path('g.txt.gz');
    const { bytes, writer } = await compress(data, { gzi: true, threads: 2 });
    writeFileSync(file, bytes);
    writeFileSync(`${file}.gzi`, writer.gzi!.encode());
    for (const [b, s] of [[0, 10], [65279, 3], [123_456, 70_000], [499_990, 10]] as const) {
      const r = run('bgzip', ['-c', '-b', String(b), '-s', String(s), file]);
      expect(r.code).toBe(0);
      expect(r.stdout.equals(Buffer.from(data.subarray(b, b + s)))).toBe(true);
    }
    // htslib's own index of the same input: same uncompressed block starts.
    writeFileSync(tmp.path('h.txt'), data);
    expect(run('bgzip', ['-i', '-f', tmp.path('h.txt')]).code).toBe(0);
    const theirs = Gzi.parse(readFileSync(tmp.path('h.txt.gz.gzi')));
    expect(writer.gzi!.entries.map((e) => e.uoffset)).toEqual(theirs.entries.map((e) => e.uoffset));
  });
});
