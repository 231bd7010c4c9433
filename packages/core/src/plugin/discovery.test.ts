import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IncompatiblePluginError, NotFoundError } from '../errors.js';
import { createLazyLoader, discoverPlugins, PluginLoadError } from './discovery.js';
import { DefaultHost } from './host.js';

let root: string;

/** Writes a fake plugin package: package.json plus a plain .mjs module. */
function fakePlugin(dir: string, pkg: Record<string, unknown>, moduleText: string, file = 'index.mjs'): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.2.3', exports: { '.': `./${file}` }, ...pkg }));
  writeFileSync(join(dir, file), moduleText);
  return dir;
}

const driverModule = (format: string, marker: string): string => `
globalThis.${marker} = (globalThis.${marker} ?? 0) + 1;
export default () => ({
  name: 'fake-${format}', apiVersion: 1,
  setup(host) {
    host.registerDriver({ name: '${format}', description: 'fake', inputFormats: [], outputFormats: [], suffixes: ['.${format}'],
      async convert() { throw new Error('no'); }, async query() { return { records: 0 }; } });
  },
});`;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'genolake-discovery-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('discoverPlugins', () => {
  it('lists plugins from package.json without importing them', async () => {
    const nm = join(root, 'project', 'node_modules');
    fakePlugin(join(nm, '@acme', 'broken'), { name: '@acme/broken', genolake: { apiVersion: 1, formats: ['brk'], suffixes: ['.brk'] } },
      'throw new Error("imported!");');
    fakePlugin(join(nm, 'kw-only'), { name: 'kw-only', keywords: ['genolake-plugin'] }, 'export default {}');
    fakePlugin(join(nm, 'not-a-plugin'), { name: 'not-a-plugin' }, 'throw new Error("never")');
    // A parent directory's node_modules is visible too.
    fakePlugin(join(root, 'node_modules', 'parent-plugin'), { name: 'parent-plugin', genolake: { schemes: ['xyz'], commands: ['hello'] } }, '');
    mkdirSync(join(root, 'project', 'sub'), { recursive: true });

    const found = await discoverPlugins({ cwd: join(root, 'project', 'sub'), env: {} });
    const names = found.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['@acme/broken', 'kw-only', 'parent-plugin']));
    expect(names).not.toContain('not-a-plugin');
    const broken = found.find((m) => m.name === '@acme/broken')!;
    expect(broken).toMatchObject({ version: '1.2.3', apiVersion: 1, entry: '.', formats: ['brk'], suffixes: ['.brk'], source: 'node_modules' });
    expect(found.find((m) => m.name === 'parent-plugin')).toMatchObject({ schemes: ['xyz'], commands: ['hello'] });
    // The nearer node_modules comes first.
    expect(names.indexOf('@acme/broken')).toBeLessThan(names.indexOf('parent-plugin'));
  });

  it('takes GENOLAKE_PLUGINS and --plugin values, which win over node_modules copies', async () => {
    const nm = join(root, 'node_modules');
    fakePlugin(join(nm, 'dup'), { name: 'dup', genolake: { formats: ['a'] } }, '');
    const envDir = fakePlugin(join(root, 'elsewhere', 'dup'), { name: 'dup', version: '9.0.0', genolake: { formats: ['a'] } }, '');
    const flagDir = fakePlugin(join(root, 'flag-plugin'), { name: 'flagged', genolake: { formats: ['f'] } }, '');
    const found = await discoverPlugins({ cwd: root, env: { GENOLAKE_PLUGINS: `${envDir}:dup` }, extra: ['./flag-plugin'] });
    // Only this test's packages: a node_modules above the temp dir may hold others.
    const mine = found.filter((m) => m.name === 'flagged' || m.name === 'dup');
    expect(mine.map((m) => [m.name, m.source])).toEqual([
      ['flagged', 'flag'],
      ['dup', 'env'],
    ]);
    expect(found.indexOf(mine[1]!)).toBe(1);
    expect(mine[0]!.dir).toBe(flagDir);
    expect(mine[1]!.version).toBe('9.0.0');
  });

  it('fails clearly for a --plugin that does not exist or is not a plugin', async () => {
    await expect(discoverPlugins({ cwd: root, env: {}, extra: ['./nope'] })).rejects.toThrow(NotFoundError);
    fakePlugin(join(root, 'plain'), { name: 'plain' }, '');
    await expect(discoverPlugins({ cwd: root, env: {}, extra: ['./plain'] })).rejects.toThrow(/not a genolake plugin/);
  });
});

describe('discoverPlugins with the node_modules cache', () => {
  const cacheFile = (nm: string) => join(nm, '.cache', 'genolake', 'plugins.json');
  /** Ages every path by a minute, so stamps are old enough to be trusted. */
  const age = (...paths: string[]) => {
    const t = new Date(Date.now() - 60_000);
    for (const p of paths) utimesSync(p, t, t);
  };
  // Only this test's packages: a node_modules above the temp dir may hold others.
  const names = async (cwd: string) => (await discoverPlugins({ cwd, env: {}, cache: true })).filter((m) => m.dir.startsWith(root)).map((m) => m.name);

  it('reuses a scan until a package is added, removed, linked or edited', async () => {
    const nm = join(root, 'node_modules');
    fakePlugin(join(nm, 'one'), { name: 'one', genolake: { formats: ['one'] } }, '');
    fakePlugin(join(nm, '@s', 'two'), { name: '@s/two', genolake: { formats: ['two'] } }, '');
    fakePlugin(join(nm, 'plain'), { name: 'plain' }, '');
    // A just-modified node_modules is scanned but not cached (its mtime could repeat).
    expect(await names(root)).toEqual(['@s/two', 'one']);
    expect(existsSync(cacheFile(nm))).toBe(false);
    age(nm, join(nm, '@s'), join(nm, 'one', 'package.json'), join(nm, '@s', 'two', 'package.json'));
    expect(await names(root)).toEqual(['@s/two', 'one']);
    expect(existsSync(cacheFile(nm))).toBe(true);

    // Served from the cache: a file changed behind its stamps (same size and times) is not seen.
    const cached = JSON.parse(readFileSync(cacheFile(nm), 'utf8')) as { plugins: { name: string }[] };
    expect(cached.plugins.map((p) => p.name)).toEqual(['@s/two', 'one']);
    expect((await discoverPlugins({ cwd: root, env: {}, cache: true })).find((m) => m.name === 'one')).toMatchObject({ name: 'one', formats: ['one'], source: 'node_modules' });

    // Added in a scope directory.
    fakePlugin(join(nm, '@s', 'three'), { name: '@s/three', genolake: {} }, '');
    expect(await names(root)).toEqual(['@s/three', '@s/two', 'one']);
    // Removed at the top level.
    age(nm, join(nm, '@s'), join(nm, '@s', 'three', 'package.json'));
    await names(root);
    rmSync(join(nm, 'one'), { recursive: true });
    expect(await names(root)).toEqual(['@s/three', '@s/two']);
    // A plugin's package.json edited in place.
    age(nm, join(nm, '@s'));
    await names(root);
    writeFileSync(join(nm, '@s', 'two', 'package.json'), JSON.stringify({ name: '@s/two', version: '2.0.0', genolake: { formats: ['two', 'deux'] } }));
    expect((await discoverPlugins({ cwd: root, env: {}, cache: true })).find((m) => m.name === '@s/two')).toMatchObject({ version: '2.0.0', formats: ['two', 'deux'] });
    // A linked package (a workspace) that becomes a plugin without node_modules changing.
    const ws = fakePlugin(join(root, 'ws'), { name: 'ws' }, '');
    symlinkSync(ws, join(nm, 'ws'), 'dir');
    age(nm, join(nm, '@s'), join(nm, '@s', 'two', 'package.json'), join(ws, 'package.json'));
    expect(await names(root)).toEqual(['@s/three', '@s/two']);
    expect(await names(root)).toEqual(['@s/three', '@s/two']);
    writeFileSync(join(ws, 'package.json'), JSON.stringify({ name: 'ws', version: '1.0.0', keywords: ['genolake-plugin'] }));
    expect(await names(root)).toEqual(['@s/three', '@s/two', 'ws']);
    // A package manager's install record rewritten (it may have rewritten packages in place).
    age(join(ws, 'package.json'));
    await names(root);
    writeFileSync(join(nm, 'plain', 'package.json'), JSON.stringify({ name: 'plain', genolake: {} }));
    age(join(nm, 'plain', 'package.json'));
    writeFileSync(join(nm, '.package-lock.json'), '{}');
    expect(await names(root)).toContain('plain');
  });

  it('never uses the cache unless asked', async () => {
    const nm = join(root, 'node_modules');
    fakePlugin(join(nm, 'one'), { name: 'one', genolake: {} }, '');
    age(nm, join(nm, 'one', 'package.json'));
    await discoverPlugins({ cwd: root, env: {} });
    expect(existsSync(join(nm, '.cache'))).toBe(false);
  });
});

describe('createLazyLoader', () => {
  it('imports only the plugin that declares the asked format', async () => {
    const nm = join(root, 'node_modules');
    fakePlugin(join(nm, 'good'), { name: 'good', genolake: { apiVersion: 1, formats: ['goodfmt'] } }, driverModule('goodfmt', '__genolakeGood'));
    fakePlugin(join(nm, 'bad'), { name: 'bad', genolake: { apiVersion: 1, formats: ['badfmt'] } }, 'throw new Error("boom at import");');
    const manifests = await discoverPlugins({ cwd: root, env: {} });
    const host = new DefaultHost();
    host.lazyLoader = createLazyLoader(host, manifests);
    const g = globalThis as Record<string, unknown>;
    expect(g.__genolakeGood).toBeUndefined();
    const driver = await host.resolveDriver('goodfmt');
    expect(driver.name).toBe('goodfmt');
    expect(g.__genolakeGood).toBe(1);
    await host.resolveDriver('goodfmt');
    expect(g.__genolakeGood).toBe(1);
    expect(await host.lazyLoader('format', 'unknown')).toBe(false);

    const err = await host.resolveDriver('badfmt').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginLoadError);
    expect((err as Error).message).toContain('plugin bad@1.2.3 failed to load');
    expect((err as Error).message).toContain('boom at import');
    expect((err as Error).message).not.toContain('\n');
  });

  it('refuses an incompatible apiVersion from the manifest before importing', async () => {
    fakePlugin(join(root, 'node_modules', 'future'), { name: 'future', genolake: { apiVersion: 2, formats: ['fut'] } },
      'throw new Error("must not be imported");');
    const host = new DefaultHost();
    host.lazyLoader = createLazyLoader(host, await discoverPlugins({ cwd: root, env: {} }));
    const err = await host.resolveDriver('fut').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompatiblePluginError);
    expect((err as Error).message).toMatch(/API v2/);
    expect((err as Error).message).toMatch(/provides v1/);
  });

  it('refuses a module whose plugin object says another apiVersion', async () => {
    fakePlugin(join(root, 'node_modules', 'liar'), { name: 'liar', genolake: { apiVersion: 1, commands: ['lie'] } },
      'export default { name: "liar", apiVersion: 7, setup() {} };');
    const host = new DefaultHost();
    host.lazyLoader = createLazyLoader(host, await discoverPlugins({ cwd: root, env: {} }));
    const err = await host.lazyLoader('command', 'lie').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IncompatiblePluginError);
    expect((err as Error).message).toMatch(/v7.*v1/);
  });

  it('resolves entries through exports conditions and skips missing files', async () => {
    const dir = join(root, 'node_modules', 'conds');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({
      name: 'conds', version: '1.0.0', genolake: { entry: './plugin', commands: ['greet'] },
      exports: { './plugin': { source: './src/missing.ts', default: './dist/plugin.mjs' } },
    }));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'plugin.mjs'), `export default { name: 'conds', apiVersion: 1, setup(host) {
      host.registerCommand({ name: 'greet', summary: 's', help: 'h', async run() { return 0; } }); } };`);
    const host = new DefaultHost();
    host.lazyLoader = createLazyLoader(host, await discoverPlugins({ cwd: root, env: {} }), { conditions: ['source', 'default'] });
    expect(await host.lazyLoader('command', 'greet')).toBe(true);
    expect(host.getCommand('greet')?.summary).toBe('s');
  });
});
