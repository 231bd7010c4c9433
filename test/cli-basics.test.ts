import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIO, main } from '@genolake/cli';

const tmp = mkdtempSync(join(tmpdir(), 'genolake-cli-basics-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

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

    const s3 = await run(['info', 's3://bucket/ds']);
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
});
