import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError } from '../errors.js';
import { createHost } from '../host-default.js';
import { FsStore } from '../store/fs.js';
import { withMetrics } from '../store/metrics.js';
import type { GetOptions, ObjectStore } from '../store/types.js';
import { objectSource, openSource } from './source.js';

const MiB = 1024 * 1024;
let dir: string;
let data: Uint8Array;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'genolake-src-'));
  data = new Uint8Array(20 * MiB + 12345);
  for (let i = 0; i < data.length; i += 4096) data[i] = (i / 4096) & 0xff;
  data[data.length - 1] = 0xee;
  await writeFile(join(dir, 'big.bin'), data);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function concat(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(p);
  return Buffer.concat(parts);
}

describe('objectSource over a store', () => {
  it.each([1, 2, 3])('streams 20 MiB with bounded, contiguous ranged gets and %i read-ahead(s)', async (readAhead) => {
    const store = withMetrics(new FsStore(dir));
    // Gets counted when issued (metrics count them when they complete, which depends on load).
    let issued = 0;
    const counted: ObjectStore = Object.create(store, { get: { value: (k: string, o?: GetOptions) => (issued++, store.get(k, o)) } });
    const src = objectSource(counted, 'big.bin', { blockSize: 4 * MiB, readAhead });
    expect(await src.size!()).toBe(data.length);
    let firstSeen = -1;
    const parts: Uint8Array[] = [];
    for await (const p of src.stream()) {
      if (firstSeen < 0) firstSeen = issued; // the next blocks were requested before this one was handed out
      parts.push(p);
    }
    expect(Buffer.concat(parts).equals(Buffer.from(data))).toBe(true);
    expect(firstSeen).toBe(1 + readAhead);
    const { ranges } = store.metrics;
    expect(ranges.every((r) => !r.whole && r.length > 0 && r.length <= 4 * MiB)).toBe(true);
    // Requests in flight may complete (and be recorded) out of order: check coverage by offset.
    let pos = 0;
    for (const r of [...ranges].sort((a, b) => a.offset - b.offset)) {
      expect(r.offset).toBe(pos);
      pos += r.length;
    }
    expect(pos).toBe(data.length);
    expect(store.metrics.gets).toBe(Math.ceil(data.length / (4 * MiB)));
    expect(store.metrics.heads).toBe(1);
    expect(store.metrics.bytesRead).toBe(data.length);
  });

  it('streams from an offset and reads bounded ranges', async () => {
    const store = withMetrics(new FsStore(dir));
    const src = objectSource(store, 'big.bin', { blockSize: 3 * MiB });
    const tail = await concat(src.stream({ offset: 19 * MiB }));
    expect(tail.equals(Buffer.from(data.subarray(19 * MiB)))).toBe(true);
    expect(await src.read!(1000, 5000)).toEqual(data.slice(1000, 6000));
    expect((await concat(src.stream({ offset: data.length }))).byteLength).toBe(0);
    expect(store.metrics.ranges.every((r) => !r.whole)).toBe(true);
    expect(() => src.stream({ offset: -1 })).toThrow(InvalidArgumentError);
  });

  it('stops cleanly when the consumer breaks early', async () => {
    const store = withMetrics(new FsStore(dir));
    let issued = 0;
    const counted: ObjectStore = Object.create(store, { get: { value: (k: string, o?: GetOptions) => (issued++, store.get(k, o)) } });
    const src = objectSource(counted, 'big.bin', { blockSize: MiB });
    for await (const p of src.stream()) {
      expect(p.byteLength).toBe(MiB);
      break;
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(issued).toBeLessThanOrEqual(1 + 2); // the block handed out and the default two read-aheads
  });
});

describe('openSource', () => {
  it('streams a local file through the fs fast path with the same bytes and object handle', async () => {
    const host = await createHost();
    const src = await openSource(host, join(dir, 'big.bin'));
    expect(src.name).toBe(join(dir, 'big.bin'));
    expect(src.object?.key).toBe('big.bin');
    expect(src.object?.store).toBeInstanceOf(FsStore);
    expect(await src.size!()).toBe(data.length);
    expect((await concat(src.stream())).equals(Buffer.from(data))).toBe(true);
    expect((await concat(src.stream({ offset: 20 * MiB }))).equals(Buffer.from(data.subarray(20 * MiB)))).toBe(true);
    expect(await src.read!(20 * MiB, 10)).toEqual(data.slice(20 * MiB, 20 * MiB + 10));
  });

  it('reports a missing file as NotFound, on stream and on read', async () => {
    const host = await createHost();
    const src = await openSource(host, join(dir, 'missing.bin'));
    await expect(concat(src.stream())).rejects.toBeInstanceOf(NotFoundError);
    await expect(src.read!(0, 1)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reads mem:// objects by ranged gets', async () => {
    const host = await createHost();
    const ns = await host.openStore('mem://src');
    await ns.put('a/b.txt', new TextEncoder().encode('hello world'));
    const src = await openSource(host, 'mem://src/a/b.txt', { blockSize: 4 });
    expect((await concat(src.stream())).toString()).toBe('hello world');
    expect(new TextDecoder().decode(await src.read!(6, 100))).toBe('world');
  });

  it("'-' is stdin: stream once, skip an offset, no random access", async () => {
    const host = await createHost();
    const stdin = new PassThrough();
    const src = await openSource(host, '-', { stdin });
    expect(src.name).toBe('-');
    expect(src.read).toBeUndefined();
    expect(await src.size!()).toBeUndefined();
    stdin.write('hello ');
    stdin.end('world');
    expect((await concat(src.stream({ offset: 3 }))).toString()).toBe('lo world');
    expect(() => src.stream()).toThrow(InvalidArgumentError);
  });

  it('a named pipe (as from `<(…)`) is streamed once from its start, like stdin, under its own name', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const host = await createHost();
    const src = await openSource(host, fifo);
    expect(src.name).toBe(fifo);
    expect(src.read).toBeUndefined();
    expect(await src.size!()).toBeUndefined();
    const writer = writeFile(fifo, 'bytes through a pipe'); // blocks until the reader opens
    expect((await concat(src.stream({ offset: 6 }))).toString()).toBe('through a pipe');
    await writer;
    expect(() => src.stream()).toThrow(/pipe or device\) can be streamed only once/);
  });
});
