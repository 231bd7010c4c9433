import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, InvalidKeyError, NotFoundError, PreconditionFailedError, UnsupportedError } from '../errors.js';
import { createHost } from '../host-default.js';
import { FS_TEMP_DIR, FsStore } from './fs.js';
import type { ObjectInfo } from './types.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
let dir: string;
let root: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'genolake-fs-'));
  root = join(dir, 'root');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keys(store: FsStore, prefix = ''): Promise<string[]> {
  const out: ObjectInfo[] = [];
  for await (const o of store.list(prefix)) out.push(o);
  return out.map((o) => o.key);
}

describe('FsStore crash safety', () => {
  it('a body that throws midway leaves nothing under the final name and no temp file', async () => {
    const store = new FsStore(root);
    await store.put('keep', enc.encode('old'));
    async function* failing() {
      yield new Uint8Array(1 << 20);
      throw new Error('producer died');
    }
    await expect(store.put('keep', failing())).rejects.toThrow('producer died');
    await expect(store.put('new/obj', failing())).rejects.toThrow('producer died');
    expect(dec.decode(await store.get('keep'))).toBe('old');
    expect(existsSync(join(root, 'new', 'obj'))).toBe(false);
    expect(await keys(store)).toEqual(['keep']);
    expect((await readdir(join(root, FS_TEMP_DIR))).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a writer killed mid-write leaves only an invisible temp file, which cleanTempFiles removes', async () => {
    const store = new FsStore(root);
    await store.put('a/visible', enc.encode('v'));
    const tmp = join(root, FS_TEMP_DIR, 'killed-writer.tmp');
    // The child writes a temp file the way a put does, then blocks until it is SIGKILLed.
    const child = spawn(process.execPath, [
      '-e',
      `const fs=require('fs');const fd=fs.openSync(${JSON.stringify(tmp)},'wx');fs.writeSync(fd,Buffer.alloc(65536,7));` +
        `process.stdout.write('ready');setInterval(()=>{},1000);`,
    ]);
    await new Promise<void>((res) => child.stdout.once('data', () => res()));
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGKILL');
    await exited;
    expect(existsSync(tmp)).toBe(true);
    expect(await keys(store)).toEqual(['a/visible']);
    await expect(store.get(`${FS_TEMP_DIR}/killed-writer.tmp`)).rejects.toBeInstanceOf(InvalidKeyError);
    expect(await store.cleanTempFiles(60_000)).toBe(0); // too young to be abandoned
    const old = new Date(Date.now() - 3_600_000);
    await utimes(tmp, old, old);
    expect(await store.cleanTempFiles(60_000)).toBe(1);
    expect(existsSync(tmp)).toBe(false);
  });

  it('breaks a lock left by a dead process on this host at once', async () => {
    const store = new FsStore(root, { lockTimeoutMs: 2_000 });
    const v1 = await store.put('m', enc.encode('1'));
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((res) => child.once('exit', () => res(child.pid!)));
    const { createHash } = await import('node:crypto');
    const lock = join(root, FS_TEMP_DIR, createHash('sha1').update('m').digest('hex') + '.lock');
    await writeFile(lock, `${hostname()}:${deadPid}\n`);
    const t0 = Date.now();
    await store.put('m', enc.encode('2'), { ifMatch: v1.etag });
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(existsSync(lock)).toBe(false);
  });

  it('breaks a lock older than lockStaleMs and times out on a fresh one', async () => {
    const store = new FsStore(root, { lockStaleMs: 5_000, lockTimeoutMs: 300 });
    await store.put('k', enc.encode('1'));
    const { createHash } = await import('node:crypto');
    const lock = join(root, FS_TEMP_DIR, createHash('sha1').update('k').digest('hex') + '.lock');
    await writeFile(lock, 'elsewhere:1\n');
    await expect(store.put('k', enc.encode('2'))).rejects.toMatchObject({ code: 'TRANSIENT' });
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    await store.put('k', enc.encode('3'));
    expect(dec.decode(await store.get('k'))).toBe('3');
  });
});

describe('FsStore conditional writes across store instances', () => {
  it('ifMatch read-modify-write loses no increment under contention', async () => {
    // Two instances on one root share only the on-disk lock files, as two processes would.
    const stores = [new FsStore(root, { fsync: false }), new FsStore(root, { fsync: false })];
    await stores[0]!.put('counter', enc.encode('0'));
    let conflicts = 0;
    async function increment(store: FsStore): Promise<void> {
      for (;;) {
        const head = await store.head('counter');
        const n = Number(dec.decode(await store.get('counter')));
        try {
          await store.put('counter', enc.encode(String(n + 1)), { ifMatch: head.etag });
          return;
        } catch (e) {
          if (!(e instanceof PreconditionFailedError)) throw e;
          conflicts++;
        }
      }
    }
    await Promise.all(Array.from({ length: 24 }, (_, i) => increment(stores[i % 2]!)));
    expect(dec.decode(await stores[0]!.get('counter'))).toBe('24');
    expect(conflicts).toBeGreaterThan(0);
  });

  it('create-if-absent across instances: one winner', async () => {
    const a = new FsStore(root);
    const b = new FsStore(root);
    const r = await Promise.allSettled([a.put('x', enc.encode('a'), { ifNoneMatch: '*' }), b.put('x', enc.encode('b'), { ifNoneMatch: '*' })]);
    expect(r.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    expect(r.find((x) => x.status === 'rejected')).toMatchObject({ reason: expect.any(AlreadyExistsError) });
  });
});

describe('FsStore paths and keys', () => {
  it('refuses writes through a symlink inside the root', async () => {
    const outside = join(dir, 'outside');
    await mkdir(outside);
    await mkdir(root);
    await symlink(outside, join(root, 'link'));
    const store = new FsStore(root);
    await expect(store.put('link/evil', enc.encode('x'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.put('link/evil', enc.encode('x'), { ifNoneMatch: '*' })).rejects.toBeInstanceOf(InvalidKeyError);
    expect(await readdir(outside)).toEqual([]);
  });

  it('lists linked files but does not walk linked directories (no loops)', async () => {
    const store = new FsStore(root);
    await store.put('d/real', enc.encode('r'));
    await symlink(join(root, 'd', 'real'), join(root, 'd', 'alias'));
    await symlink(root, join(root, 'd', 'loop'));
    expect(await keys(store)).toEqual(['d/alias', 'd/real']);
    expect(dec.decode(await store.get('d/loop/d/real'))).toBe('r');
  });

  it('maps a key that is a directory to NotFound and object/dir conflicts to InvalidKey', async () => {
    const store = new FsStore(root);
    await store.put('a/b', enc.encode('x'));
    await expect(store.get('a')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get('a', { range: { offset: 0, length: 1 } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.head('a')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.put('a/b/c', enc.encode('y'))).rejects.toBeInstanceOf(InvalidKeyError);
    await store.delete('a'); // a directory is not an object: nothing to delete
    expect(await keys(store)).toEqual(['a/b']);
  });

  it('prunes directories emptied by delete', async () => {
    const store = new FsStore(root);
    await store.put('x/y/z', enc.encode('1'));
    await store.put('x/w', enc.encode('1'));
    await store.delete('x/y/z');
    expect(existsSync(join(root, 'x', 'y'))).toBe(false);
    expect(existsSync(join(root, 'x'))).toBe(true);
  });

  it('does not create the root until the first write; lists a missing root as empty', async () => {
    const store = new FsStore(root);
    expect(await keys(store)).toEqual([]);
    await expect(store.get('k')).rejects.toBeInstanceOf(NotFoundError);
    expect(existsSync(root)).toBe(false);
    await store.put('k', enc.encode('v'));
    expect(await readFile(join(root, 'k'), 'utf8')).toBe('v');
  });

  it('read-only stores refuse writes', async () => {
    const store = new FsStore(root, { readOnly: true });
    await expect(store.put('k', enc.encode('v'))).rejects.toBeInstanceOf(UnsupportedError);
    await expect(store.delete('k')).rejects.toBeInstanceOf(UnsupportedError);
  });

  // root ignores permission bits, so this only runs as an ordinary user.
  it.skipIf(process.getuid?.() === 0)('maps EACCES to an error naming the path', async () => {
    const { chmod } = await import('node:fs/promises');
    await mkdir(root);
    await chmod(root, 0o500);
    const store = new FsStore(root);
    const err = await store.put('k', enc.encode('v')).catch((e: unknown) => e);
    await chmod(root, 0o700);
    expect(err).toBeInstanceOf(UnsupportedError);
    expect(String((err as Error).message)).toContain(root);
  });
});

describe('fs store plugin', () => {
  it('opens plain paths and file:// URLs to the same directory', async () => {
    const host = await createHost();
    const a = await host.openStore(root);
    await a.put('k/v', enc.encode('hello'));
    const b = await host.openStore(pathToFileURL(root).href);
    expect(dec.decode(await b.get('k/v'))).toBe('hello');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const c = await host.openStore('./root');
      expect(dec.decode(await c.get('k/v'))).toBe('hello');
    } finally {
      process.chdir(cwd);
    }
    expect(b).toBeInstanceOf(FsStore);
    expect(host.listStores().some((s) => s.scheme === 'file' && s.provider === '@genolake/core')).toBe(true);
  });

  it('honours readOnly and refuses remote file hosts', async () => {
    const host = await createHost();
    const ro = await host.openStore(root, { readOnly: true });
    await expect(ro.put('k', enc.encode('v'))).rejects.toBeInstanceOf(UnsupportedError);
    await expect(host.openStore('file://otherhost/x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('FsStore synchronous small reads', () => {
  it('gives the same bytes on either side of syncReadBytes, whole and ranged', async () => {
    const body = new Uint8Array(300_000);
    for (let i = 0; i < body.length; i++) body[i] = (i * 2654435761) >>> 24;
    await new FsStore(root, { fsync: false }).put('blob', body);
    for (const syncReadBytes of [0, 1000, 299_999, 300_000, 1 << 20]) {
      const store = new FsStore(root, { syncReadBytes });
      expect(Buffer.compare(await store.get('blob'), body)).toBe(0);
      for (const [offset, length] of [[0, 1000], [999, 2], [123_456, 176_544], [299_000, 5000], [300_000, 10], [400_000, 1]] as const) {
        const got = await store.get('blob', { range: { offset, length } });
        expect(Buffer.compare(got, body.subarray(offset, offset + length))).toBe(0);
      }
    }
  });

  it('maps a missing object or a directory to NotFoundError on the synchronous path', async () => {
    const store = new FsStore(root, { fsync: false });
    await store.put('d/x', enc.encode('x'));
    await expect(store.get('nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get('nope', { range: { offset: 0, length: 1 } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get('d', { range: { offset: 0, length: 1 } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.get('d')).rejects.toBeInstanceOf(NotFoundError);
  });
});
