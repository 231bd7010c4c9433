import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIO, main } from '@genolake/cli';

const tmp = mkdtempSync(join(tmpdir(), 'genolake-cli-basics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A directory none of whose ancestors holds a node_modules (where discovery would find the
 * workspace's plugins): the temp dir normally, another writable place if a tool linked
 * node_modules into it.
 */
function isolatedDir(): string {
  for (const base of [tmpdir(), '/var/tmp', '/dev/shm']) {
    let ok = existsSync(base);
    for (let d = base; ok && d !== dirname(d); d = dirname(d)) if (existsSync(join(d, 'node_modules'))) ok = false;
    if (ok && !existsSync('/node_modules')) return mkdtempSync(join(base, 'genolake-isolated-'));
  }
  throw new Error('no directory without a node_modules ancestor for the isolated discovery test');
}

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const io = captureIO();
  const code = await main(argv, io, { cwd: tmp, env });
  return { code, out: io.out(), err: io.err() };
}

describe('genolake CLI basics', () => {
  it('prints the version and the top-level help with plugin commands from manifests', async () => {
    const v = await run(['--version']);
    expect(v.code).toBe(0);
    expect(v.out).toMatch(/^genolake \d+\.\d+\.\d+\n$/);
    const h = await run(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['convert', 'query', 'export', 'info', 'log', 'verify', 'vacuum', 'plugins']) expect(h.out).toContain(`  ${c}`);
    // Found through the CLI's own installation (the workspace node_modules), without importing.
    expect(h.out).toMatch(/bgzip\s+from @genolake\/bgzf-tabix@/);
    expect(h.out).toContain('bed-intervals (@genolake/example-bed-intervals)');
  });

  it('shows help for every built-in command', async () => {
    for (const c of ['convert', 'query', 'export', 'info', 'log', 'verify', 'vacuum', 'plugins']) {
      const r = await run([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: genolake ${c}`));
      const short = await run(['help', c]);
      expect(short.out).toBe(r.out);
    }
  });

  it('lists plugins from manifests as text and JSON', async () => {
    const text = await run(['plugins']);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/@genolake\/example-bed-intervals@0\.1\.0/);
    expect(text.out).toMatch(/mem:\/\/\s+@genolake\/core/);
    const json = await run(['plugins', '--json']);
    const listing = JSON.parse(json.out) as { formats: { name: string; package: string; suffixes: string[] }[]; commands: { name: string; package: string }[]; stores: { scheme: string }[] };
    expect(listing.formats).toContainEqual(expect.objectContaining({ name: 'bed-intervals', package: '@genolake/example-bed-intervals', suffixes: ['.bed', '.bed.gz'] }));
    expect(listing.commands).toContainEqual(expect.objectContaining({ name: 'tabix', package: '@genolake/bgzf-tabix' }));
    expect(listing.stores.map((s) => s.scheme)).toEqual(expect.arrayContaining(['mem', 'file']));
  });

  it('reports errors as one line with the right exit code', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^genolake: unknown command "frobnicate".*\n$/);
    expect(unknown.err.trim().split('\n')).toHaveLength(1);

    const badOpt = await run(['info', '--nope', 'mem://x']);
    expect(badOpt.code).toBe(2);
    expect(badOpt.err).toMatch(/^genolake: info: Unknown option '--nope'/);

    const missing = await run(['query']);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe('genolake: query: missing <dataset-url> (see genolake query --help)\n');

    // With no store plugins discoverable (the workspace installs them all), a known scheme names
    // the package to install.
    const isolated = captureIO();
    const s3code = await main(['info', 's3://bucket/ds'], isolated, { cwd: isolatedDir(), env: {}, installDir: null });
    const s3 = { code: s3code, err: isolated.err() };
    expect(s3.code).toBe(1);
    expect(s3.err).toMatch(/^genolake: .*s3:\/\/.*npm install @genolake\/store-s3\)\n$/);

    const scheme = await run(['info', 'weird://x/y']);
    expect(scheme.err).toMatch(/^genolake: no store is registered for URL scheme "weird:\/\/"\n$/);

    const none = await run(['info', 'mem://empty/ds']);
    expect(none.code).toBe(1);
    expect(none.err).toBe('genolake: no genolake dataset at mem://empty/ds\n');

    const noArgs = await run([]);
    expect(noArgs.code).toBe(2);
    expect(noArgs.err).toContain('Usage: genolake');
  });

  it('prints a stack only with GENOLAKE_DEBUG=1', async () => {
    const r = await run(['info', 'mem://empty/ds'], { GENOLAKE_DEBUG: '1' });
    expect(r.err.split('\n')[0]).toBe('genolake: no genolake dataset at mem://empty/ds');
    expect(r.err).toMatch(/NotFoundError: no genolake dataset[\s\S]*\n\s+at /);
  });

  it('refuses a --plugin that is not there, in one line', async () => {
    const r = await run(['--plugin', './does-not-exist', 'plugins']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^genolake: plugin "\.\/does-not-exist" not found.*\n$/);
  });

  it('dispatches plugin commands loaded lazily by name, and lists a plugin that cannot be imported', async () => {
    const hello = join(tmp, 'hello-plugin');
    mkdirSync(hello, { recursive: true });
    writeFileSync(join(hello, 'package.json'), JSON.stringify({
      name: 'genolake-hello', version: '3.1.4', exports: { '.': './index.mjs' }, genolake: { apiVersion: 1, commands: ['hello'] },
    }));
    writeFileSync(join(hello, 'index.mjs'), `export default () => ({ name: 'genolake-hello', apiVersion: 1, setup(host) {
      host.registerCommand({ name: 'hello', summary: 'greets', help: 'Usage: genolake hello <name>...',
        async run(argv, ctx) { ctx.io.stdout.write('hello ' + argv.join(',') + '\\n'); return argv.length ? 0 : 5; } });
    } });`);
    const broken = join(tmp, 'node_modules', 'genolake-broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'package.json'), JSON.stringify({ name: 'genolake-broken', version: '1.0.0', exports: './index.mjs', genolake: { commands: ['boom'] } }));
    writeFileSync(join(broken, 'index.mjs'), 'throw new Error("broken at import time");');

    const r = await run(['--plugin', hello, 'hello', 'a', '--x', 'b']);
    expect(r).toEqual({ code: 0, out: 'hello a,--x,b\n', err: '' });
    expect((await run(['hello'], { GENOLAKE_PLUGINS: hello })).code).toBe(5);
    const help = await run(['--plugin', hello, 'hello', '--help']);
    expect(help.out).toBe('Usage: genolake hello <name>...\n');
    const top = await run(['--plugin', hello, '--help']);
    expect(top.out).toMatch(/hello\s+from genolake-hello@3\.1\.4/);
    expect(top.out).toMatch(/boom\s+from genolake-broken@1\.0\.0/);

    const listed = await run(['plugins', '--json']);
    expect(JSON.parse(listed.out).commands).toContainEqual({ name: 'boom', package: 'genolake-broken', version: '1.0.0' });
    const boom = await run(['boom']);
    expect(boom.code).toBe(1);
    expect(boom.err).toMatch(/^genolake: plugin genolake-broken@1\.0\.0 failed to load from .*index\.mjs: broken at import time\n$/);
    rmSync(join(tmp, 'node_modules'), { recursive: true });
  });
});
