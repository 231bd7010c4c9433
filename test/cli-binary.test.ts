// The built `genolake` binary as a child process (needs `npx turbo run build`; the root
// `npm test` builds first): real argv, exit codes, stderr, and a plugin installed from outside
// the workspace, found through GENOLAKE_PLUGINS and through a project's node_modules.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/genolake.js');
const GENES = join(ROOT, 'examples/data/genes.bed');
const tmp = mkdtempSync(join(tmpdir(), 'genolake-cli-bin-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function genolake(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env, ...options.env };
    // Run like a user would: no inherited debugging, vitest or plugin settings.
    for (const k of ['GENOLAKE_DEBUG', 'VITEST', 'NODE_OPTIONS']) delete env[k];
    if (!options.env?.GENOLAKE_PLUGINS) delete env.GENOLAKE_PLUGINS;
    execFile(process.execPath, [BIN, ...args], { cwd: options.cwd ?? tmp, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, out: stdout, err: stderr });
    });
  });
}

beforeAll(() => {
  for (const dist of ['packages/cli/dist/main.js', 'packages/core/dist/index.js', 'examples/bed-intervals/dist/index.js']) {
    if (!existsSync(join(ROOT, dist))) throw new Error(`${dist} is missing: run \`npx turbo run build\` (npm test does) before this test`);
  }
});

describe('the genolake binary', () => {
  it('prints its version and help, and fails in one line with exit code 2 on usage errors', async () => {
    const v = await genolake(['--version']);
    expect(v.code).toBe(0);
    expect(v.out).toBe(`genolake ${JSON.parse(readFileSync(join(ROOT, 'packages/cli/package.json'), 'utf8')).version}\n`);
    const h = await genolake(['--help']);
    expect(h.out).toMatch(/Usage: genolake/);
    const bad = await genolake(['query', '--limit', 'many', 'mem://x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('genolake: query: --limit needs a non-negative integer, got "many"\n');
    const scheme = await genolake(['info', 'weird://bucket/prefix']);
    expect(scheme.code).toBe(1);
    expect(scheme.err).toBe('genolake: no store is registered for URL scheme "weird://"\n');
  });

  it('converts, queries and exports the bundled BED on a local directory', async () => {
    const ds = join(tmp, 'genes');
    const c = await genolake(['convert', GENES, ds]);
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
    const q = await genolake(['query', ds, 'chr17:7661779-7687538', '-F', 'jsonl']);
    expect(q.code).toBe(0);
    for (const line of q.out.trimEnd().split('\n').filter(Boolean)) expect(JSON.parse(line).chrom).toBe('chr17');
    const out = join(tmp, 'genes.out.bed');
    expect((await genolake(['export', ds, out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(GENES, 'utf8'));
    const info = JSON.parse((await genolake(['info', ds, '--json'])).out);
    expect(info).toMatchObject({ format: 'bed-intervals', records: 3000, version: 1 });
  });

  describe('a plugin installed outside the workspace', () => {
    let project: string;
    let copy: string;
    beforeAll(() => {
      // A user's project: core installed in node_modules (a link to ours), and the example
      // plugin copied (package.json + dist only) under another package name.
      project = join(tmp, 'project');
      mkdirSync(join(project, 'node_modules', '@genolake'), { recursive: true });
      symlinkSync(join(ROOT, 'packages/core'), join(project, 'node_modules', '@genolake', 'core'), 'dir');
      copy = join(project, 'vendor', 'acme-bed');
      mkdirSync(copy, { recursive: true });
      cpSync(join(ROOT, 'examples/bed-intervals/dist'), join(copy, 'dist'), { recursive: true });
      const pkg = JSON.parse(readFileSync(join(ROOT, 'examples/bed-intervals/package.json'), 'utf8'));
      pkg.name = '@acme/bed-intervals';
      pkg.version = '2.0.0';
      writeFileSync(join(copy, 'package.json'), JSON.stringify(pkg, null, 2));
    });

    it('is discovered through GENOLAKE_PLUGINS and used for its format', async () => {
      const env = { GENOLAKE_PLUGINS: copy };
      const list = JSON.parse((await genolake(['plugins', '--json'], { cwd: project, env })).out);
      expect(list.formats.find((f: { name: string }) => f.name === 'bed-intervals')).toMatchObject({ package: '@acme/bed-intervals', version: '2.0.0' });
      expect(list.plugins.find((p: { name: string }) => p.name === '@acme/bed-intervals')).toMatchObject({ source: 'env', dir: copy });
      const ds = join(project, 'ds');
      const c = await genolake(['convert', GENES, ds, '--option', 'chunkRecords=500'], { cwd: project, env });
      expect(c.err).toBe('');
      expect(c.code).toBe(0);
      const q = await genolake(['query', ds, 'chrY'], { cwd: project, env });
      const expected = readFileSync(GENES, 'utf8').split('\n').filter((l) => l.startsWith('chrY\t'));
      expect(q.out).toBe(`${expected.join('\n')}\n`);
    });

    it('is discovered in the project node_modules and through --plugin', async () => {
      const nm = join(project, 'node_modules', '@acme', 'bed-intervals');
      mkdirSync(join(project, 'node_modules', '@acme'), { recursive: true });
      cpSync(copy, nm, { recursive: true });
      const list = JSON.parse((await genolake(['plugins', '--json'], { cwd: project })).out);
      expect(list.plugins.find((p: { name: string }) => p.name === '@acme/bed-intervals')).toMatchObject({ source: 'node_modules' });
      const flagged = JSON.parse((await genolake(['--plugin', './vendor/acme-bed', 'plugins', '--json'], { cwd: project })).out);
      expect(flagged.plugins.find((p: { name: string }) => p.name === '@acme/bed-intervals')).toMatchObject({ source: 'flag', dir: copy });
    });

    it('is refused with both versions named when built for another plugin API', async () => {
      const future = join(project, 'vendor', 'future-bed');
      cpSync(copy, future, { recursive: true });
      const pkg = JSON.parse(readFileSync(join(future, 'package.json'), 'utf8'));
      pkg.name = '@acme/future-bed';
      pkg.genolake = { ...pkg.genolake, apiVersion: 2, formats: ['future-bed'] };
      writeFileSync(join(future, 'package.json'), JSON.stringify(pkg));
      const r = await genolake(['convert', GENES, join(project, 'f'), '--format', 'future-bed', '--plugin', future], { cwd: project });
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^genolake: plugin @acme\/future-bed@2\.0\.0 targets plugin API v2, but this genolake core provides v1.*\n$/);
    });
  });
});
