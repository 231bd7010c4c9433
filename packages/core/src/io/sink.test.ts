import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHost } from '../host-default.js';
import { FS_TEMP_DIR } from '../store/fs.js';
import { brokenPipeWatch, openSink, stdoutSink } from './sink.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'genolake-sink-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openSink to an object', () => {
  it('streams many writes into one object that appears only at end()', async () => {
    const host = await createHost();
    const path = join(dir, 'out', 'x.sam');
    const sink = await openSink(host, path, { partSize: 64 * 1024 });
    const expected: string[] = [];
    const buf = new Uint8Array(10_000);
    for (let i = 0; i < 300; i++) {
      const line = `read${i}\t${'ACGT'.repeat(i % 50)}\n`;
      expected.push(line);
      await sink.write(line);
      buf.fill(i & 0xff);
      await sink.write(buf);
      buf.fill(0); // reusing the buffer after write resolves must be safe
      expected.push(String.fromCharCode(i & 0xff).repeat(10_000));
    }
    expect(existsSync(path)).toBe(false);
    await sink.end();
    const back = await readFile(path, 'latin1');
    expect(back).toBe(expected.join(''));
    await expect(sink.write('late')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('abort leaves no object and no temp file', async () => {
    const host = await createHost();
    const path = join(dir, 'y.bin');
    const sink = await openSink(host, path, { partSize: 1024 });
    await sink.write(new Uint8Array(100_000));
    await sink.abort(new Error('user cancelled'));
    expect(existsSync(path)).toBe(false);
    expect((await readdir(join(dir, FS_TEMP_DIR))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('surfaces a put that fails early instead of hanging the producer', async () => {
    const host = await createHost();
    await writeFile(join(dir, 'file'), 'x');
    const sink = await openSink(host, join(dir, 'file', 'child.bin'), { partSize: 16, queueDepth: 1 });
    const err = await (async () => {
      for (let i = 0; i < 100; i++) await sink.write(new Uint8Array(16));
      await sink.end();
    })().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: expect.stringMatching(/INVALID_KEY|NOT_FOUND/) });
  });

  it('writes mem:// objects', async () => {
    const host = await createHost();
    const sink = await openSink(host, 'mem://out/d/z.txt');
    await sink.write('abc');
    await sink.end();
    const store = await host.openStore('mem://out');
    expect(new TextDecoder().decode(await store.get('d/z.txt'))).toBe('abc');
  });
});

describe('openSink to a device or a named pipe', () => {
  it('writes /dev/null in place: it stays the device (a put would rename a regular file over it)', async () => {
    const host = await createHost();
    const sink = await openSink(host, '/dev/null');
    expect(sink.chunksReusable).toBe(true);
    await sink.write(new Uint8Array(1 << 20));
    await sink.write('text');
    await sink.end();
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
    expect(await readdir('/dev')).not.toContain(FS_TEMP_DIR);
  });

  it.skipIf(!existsSync('/dev/full'))('a write that fails names the file (/dev/full: no space left)', async () => {
    const host = await createHost();
    const sink = await openSink(host, '/dev/full');
    await expect(sink.write('x')).rejects.toThrow(/^cannot write \/dev\/full: ENOSPC/);
    await sink.abort();
  });

  it('writes a FIFO in place, to the process reading it', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = readFile(fifo, 'latin1'); // blocks until the writer opens
    const host = await createHost();
    const sink = await openSink(host, fifo);
    await sink.write('hello ');
    await sink.write(new TextEncoder().encode('fifo'));
    await sink.end();
    expect(await reader).toBe('hello fifo');
    expect((await stat(fifo)).isFIFO()).toBe(true);
  });
});

describe("openSink('-')", () => {
  it('respects backpressure and flushes at end without ending the stream', async () => {
    const host = await createHost();
    const out = new PassThrough({ highWaterMark: 16 });
    const sink = await openSink(host, '-', { stdout: out });
    let waited = false;
    const p = sink.write('x'.repeat(100)).then(() => void (waited = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(waited).toBe(false); // blocked until the reader drains
    const got: Buffer[] = [];
    out.on('data', (d: Buffer) => got.push(d));
    await p;
    await sink.write(new TextEncoder().encode('yz'));
    await sink.end();
    expect(Buffer.concat(got).toString()).toBe('x'.repeat(100) + 'yz');
    expect(out.writableEnded).toBe(false);
  });

  it('goes quiet on EPIPE and reports it once', async () => {
    const host = await createHost();
    const out = new Writable({
      highWaterMark: 4,
      write(_chunk, _enc, cb) {
        cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    let broken = 0;
    const sink = await openSink(host, '-', { stdout: out, onBrokenPipe: () => broken++ });
    await sink.write('first line that fills the buffer\n');
    for (let i = 0; i < 5; i++) await sink.write('more\n');
    await sink.end();
    expect(broken).toBe(1);
  });
});

describe('chunksReusable: whether a writer may overwrite a chunk once its write resolves', () => {
  it('an object sink copies chunks into parts: yes, and a chunk overwritten after its write is stored as it was', async () => {
    const host = await createHost();
    const sink = await openSink(host, join(dir, 'o.txt'), { partSize: 4 });
    expect(sink.chunksReusable).toBe(true);
    const buf = new TextEncoder().encode('abcdef');
    await sink.write(buf);
    buf.fill(0x7a);
    await sink.write(buf.subarray(0, 2));
    await sink.end();
    expect(await readFile(join(dir, 'o.txt'), 'latin1')).toBe('abcdefzz');
  });

  it("the process's stdout and stderr: yes; any other writable (it may keep chunks): no", async () => {
    const host = await createHost();
    expect((await openSink(host, '-', { stdout: process.stdout })).chunksReusable).toBe(true);
    expect((await openSink(host, '-', { stdout: process.stderr })).chunksReusable).toBe(true);
    const kept: Uint8Array[] = [];
    const keeper = new Writable({ write(chunk: Uint8Array, _e, cb) { kept.push(chunk); cb(); } });
    expect((await openSink(host, '-', { stdout: keeper })).chunksReusable).toBe(false);
  });

  it('a reusable stdout sink on a stream that queues: each write resolves only once the stream has taken the bytes', async () => {
    // A slow stream that reads each chunk only when it gets to it, some time after write().
    const got: string[] = [];
    const slow = new Writable({
      highWaterMark: 4,
      write(chunk: Buffer, _e, cb) {
        setTimeout(() => {
          got.push(chunk.toString('latin1'));
          cb();
        }, 2);
      },
    });
    const sink = stdoutSink(slow, undefined, true);
    expect(sink.chunksReusable).toBe(true);
    const buf = Buffer.alloc(3);
    for (const word of ['abc', 'def', 'ghi']) {
      buf.write(word, 'latin1');
      await sink.write(buf); // then overwritten by the next word
    }
    await sink.end();
    expect(got.filter((c) => c !== '')).toEqual(['abc', 'def', 'ghi']);
  });
});

describe('brokenPipeWatch', () => {
  it('aborts its signal when the reader goes away or the parent aborts, and tells the two apart', () => {
    const w = brokenPipeWatch();
    expect(w.signal.aborted).toBe(false);
    w.onBrokenPipe();
    expect(w.signal.aborted).toBe(true);
    expect(w.readerGone()).toBe(true);
    const parent = new AbortController();
    const v = brokenPipeWatch(parent.signal);
    parent.abort(new Error('interrupted'));
    expect(v.signal.aborted).toBe(true);
    expect(v.readerGone()).toBe(false);
  });
});
