// The bgzf layer runs on @genolake/libdeflate when its addon loads, else on node:zlib. The other
// bgzf tests run on whichever is the default; this file runs the same paths on both.
import { CorruptDataError } from '@genolake/core';
import * as libdeflate from '@genolake/libdeflate';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HAVE_BGZIP, collect, pseudoRandomBytes, run, tempDir } from '../testing/htslib.js';
import { BLOCK_INPUT_SIZE, codec, setCodec } from './block.js';
import { fromBytes } from '../source.js';
import { Reader } from './reader.js';
import { decompressStream, readBlocks } from './stream.js';
import { Writer, compressSync } from './writer.js';
import * as vo from './virtual-offset.js';

function chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  return (async function* () {
    for (let p = 0; p < bytes.length; p += size) yield bytes.subarray(p, p + size);
  })();
}

async function write(data: Uint8Array, options: ConstructorParameters<typeof Writer>[1] = {}) {
  const chunks: Uint8Array[] = [];
  const w = new Writer({ write: (c) => void chunks.push(c) }, { gzi: true, ...options });
  for (let p = 0; p < data.length; p += 100_000) await w.write(data.subarray(p, p + 100_000));
  await w.end();
  return { bytes: Buffer.concat(chunks), gzi: w.gzi! };
}

const initial = codec();
afterEach(() => setCodec(initial));

it('uses libdeflate whenever its addon loads', () => {
  expect(codec()).toBe(libdeflate.available ? 'libdeflate' : 'zlib');
  if (existsSync('/usr/include/libdeflate.h') && process.env.GENOLAKE_LIBDEFLATE !== '0') expect(codec()).toBe('libdeflate');
});

const codecs = libdeflate.available ? (['libdeflate', 'zlib'] as const) : (['zlib'] as const);
// 150 blocks: more than two 64-block runs, so threads >= 2 goes through the batch paths.
const input = pseudoRandomBytes(150 * BLOCK_INPUT_SIZE + 999, 17, true);

describe.each(codecs)('bgzf on %s', (name) => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);

  it('Writer and decompressStream round-trip at 1, 2 and 3 threads; each reads the other codec', async () => {
    setCodec(name);
    const one = await write(input, { threads: 1, level: 1 });
    const three = await write(input, { threads: 3, level: 1 });
    expect(three.bytes.equals(one.bytes)).toBe(true);
    expect(Buffer.from(compressSync(input, 1)).equals(one.bytes)).toBe(true);
    expect(three.gzi.entries).toEqual(one.gzi.entries);
    for (const threads of [1, 2, 3]) {
      expect((await collect(decompressStream(chunked(one.bytes, 300_000), { threads }))).equals(input)).toBe(true);
    }
    for (const other of codecs) {
      setCodec(other);
      expect((await collect(decompressStream(chunked(one.bytes, 1 << 20), { threads: 2 }))).equals(input)).toBe(true);
    }
  });

  it('virtualOffset() and flush() in the middle of a batch', async () => {
    setCodec(name);
    const chunks: Uint8Array[] = [];
    const w = new Writer({ write: (c) => void chunks.push(c) }, { threads: 2 });
    await w.write(input.subarray(0, 3 * BLOCK_INPUT_SIZE + 10));
    const v = await w.virtualOffset();
    expect(vo.uoffset(v)).toBe(10);
    expect(vo.coffset(v)).toBe(Buffer.concat(chunks).length);
    await w.write(input.subarray(3 * BLOCK_INPUT_SIZE + 10, 5 * BLOCK_INPUT_SIZE));
    await w.flush();
    await w.write(input.subarray(5 * BLOCK_INPUT_SIZE));
    await w.end();
    const bytes = Buffer.concat(chunks);
    expect((await collect(decompressStream(chunked(bytes, 1 << 20)))).equals(input)).toBe(true);
    const r = new Reader(fromBytes(bytes));
    expect(Buffer.from(await r.read(v, 100)).equals(Buffer.from(input.subarray(3 * BLOCK_INPUT_SIZE + 10, 3 * BLOCK_INPUT_SIZE + 110)))).toBe(true);
  });

  it('names the block of a CRC mismatch, a bad deflate stream and a wrong ISIZE', async () => {
    setCodec(name);
    const bytes = Buffer.from(compressSync(input, 0)); // stored blocks: a flipped payload byte still inflates
    const starts: number[] = [];
    for await (const b of readBlocks(chunked(bytes, 1 << 20), { threads: 1 })) starts.push(b.coffset);
    const k = 100;
    const errorOf = async (mutate: (b: Buffer) => void, threads: number) => {
      const copy = Buffer.from(bytes);
      mutate(copy);
      const e = await collect(decompressStream(chunked(copy, 1 << 20), { name: 'c.gz', threads })).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(CorruptDataError);
      return (e as Error).message;
    };
    // The zlib worker pool (threads >= 2 without libdeflate) words its messages its own way;
    // every path names the file, the block's compressed offset and what is wrong.
    const at = `compressed offset ${starts[k]}`;
    for (const threads of [1, 2]) {
      const exact = name === 'libdeflate' || threads === 1;
      const crc = await errorOf((b) => void (b[starts[k]! + 1000]! ^= 0x40), threads);
      if (exact) expect(crc).toBe(`c.gz: CRC32 mismatch in BGZF block at ${at}`);
      else expect(crc).toMatch(/^c\.gz: .*CRC32 mismatch/);
      // BTYPE 3 (reserved) in the first deflate block header: never valid.
      const bad = await errorOf((b) => void (b[starts[k]! + 18] = 0x07), threads);
      if (exact) expect(bad).toMatch(new RegExp(`^c\\.gz: cannot inflate BGZF block at ${at}: `));
      else expect(bad).toMatch(/^c\.gz: .*cannot inflate/);
      const isize = starts[k + 1]! - 4;
      const long = await errorOf((b) => b.writeUInt32LE(BLOCK_INPUT_SIZE + 1, isize), threads);
      expect(long).toBe(`c.gz: BGZF block at ${at}: inflated ${BLOCK_INPUT_SIZE} bytes, ISIZE says ${BLOCK_INPUT_SIZE + 1}`);
      const short = await errorOf((b) => b.writeUInt32LE(BLOCK_INPUT_SIZE - 1, isize), threads);
      expect(short).toMatch(new RegExp(`^c\\.gz: BGZF block at ${at}: inflated (more than ${BLOCK_INPUT_SIZE - 1}|${BLOCK_INPUT_SIZE}) bytes, ISIZE says ${BLOCK_INPUT_SIZE - 1}$`));
      for (const m of [crc, bad, long, short]) expect(m).toContain(at);
    }
  });

  it.skipIf(!HAVE_BGZIP)('writes files bgzip -t accepts and reads bgzip -@ 2 output, at every level', async () => {
    setCodec(name);
    const data = input.subarray(0, 400_000);
    for (const level of [-1, 0, 1, 6, 9]) {
      const file = tmp.path(`${name}${level}.gz`);
      writeFileSync(file, (await write(data, { level, threads: 2 })).bytes);
      expect(run('bgzip', ['-t', file]).code, `level ${level}`).toBe(0);
      expect(run('bgzip', ['-d', '-c', file]).stdout.equals(Buffer.from(data))).toBe(true);
    }
    writeFileSync(tmp.path('h.txt'), input);
    expect(run('bgzip', ['-f', '-@', '2', tmp.path('h.txt')]).code).toBe(0);
    expect((await collect(decompressStream(chunked(readFileSync(tmp.path('h.txt.gz')), 1 << 16), { threads: 2 }))).equals(input)).toBe(true);
  });
});
