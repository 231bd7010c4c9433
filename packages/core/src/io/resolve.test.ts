import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, PluginNotInstalledError } from '../errors.js';
import { createHost } from '../host-default.js';
import { FsStore } from '../store/fs.js';
import { MemoryStore } from '../store/memory.js';
import { resolveObjectUrl } from './resolve.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'genolake-io-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('resolveObjectUrl', () => {
  it('resolves relative paths and file URLs to the parent directory and the file name', async () => {
    const host = await createHost();
    await writeFile(join(dir, 'x y.bam'), 'abc');
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const a = await resolveObjectUrl(host, './x y.bam');
      expect(a.key).toBe('x y.bam');
      expect(a.store).toBeInstanceOf(FsStore);
      expect((a.store as FsStore).root).toBe(dir);
      expect(new TextDecoder().decode(await a.store.get(a.key))).toBe('abc');
    } finally {
      process.chdir(cwd);
    }
    const b = await resolveObjectUrl(host, pathToFileURL(join(dir, 'x y.bam')).href);
    expect(b.key).toBe('x y.bam');
    expect((await b.store.head(b.key)).size).toBe(3);
  });

  it('resolves mem:// objects inside a namespace', async () => {
    const host = await createHost();
    const ns = await host.openStore('mem://ns');
    await ns.put('dir/x.bam', new Uint8Array([1, 2]));
    const { store, key } = await resolveObjectUrl(host, 'mem://ns/dir/x.bam');
    expect(store).toBeInstanceOf(MemoryStore);
    expect(key).toBe('x.bam');
    expect(await store.get(key)).toEqual(new Uint8Array([1, 2]));
  });

  it('rejects URLs that name a directory and hints at missing store plugins', async () => {
    const host = await createHost();
    await expect(resolveObjectUrl(host, 'mem://ns/dir/')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(resolveObjectUrl(host, 'mem://ns')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(resolveObjectUrl(host, 's3://bucket/dir/x.bam')).rejects.toBeInstanceOf(PluginNotInstalledError);
  });

  it('opens s3-style URLs at the parent prefix', async () => {
    const host = await createHost();
    const seen: string[] = [];
    host.registerStore({
      scheme: 's3',
      provider: 'test',
      async open(url) {
        seen.push(url.href);
        return new MemoryStore(url.href);
      },
    });
    const { key } = await resolveObjectUrl(host, 's3://bucket/dir/sub/x.bam');
    expect(key).toBe('x.bam');
    expect(seen).toEqual(['s3://bucket/dir/sub/']);
  });
});
