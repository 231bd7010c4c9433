import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { createHost } from '@genolake/core';
import type { CommandContext } from '@genolake/core/plugin';
import { afterAll, describe, expect, it } from 'vitest';
import bgzfTabix from '../plugin.js';
import { HAVE_BGZIP, pseudoRandomBytes, run, tempDir } from '../testing/htslib.js';

interface Captured {
  ctx: CommandContext;
  stdout: () => Buffer;
  stderr: () => string;
}

async function context(stdin: Uint8Array = new Uint8Array(0)): Promise<Captured> {
  const host = await createHost();
  await host.use(bgzfTabix());
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  return {
    ctx: { host, io: { stdout, stderr, stdin: Readable.from([Buffer.from(stdin)]), interactive: false } },
    stdout: () => Buffer.concat(out),
    stderr: () => Buffer.concat(err).toString(),
  };
}

async function bgzip(argv: string[], stdin?: Uint8Array): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  const c = await context(stdin);
  const cmd = c.ctx.host.getCommand('bgzip')!;
  const code = await cmd.run(argv, c.ctx);
  await new Promise((r) => setImmediate(r));
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

describe('genolake bgzip', () => {
  const tmp = tempDir();
  afterAll(tmp.cleanup);
  const data = pseudoRandomBytes(300_000, 21, true);

  it('is registered by the plugin and prints help', async () => {
    const r = await bgzip(['-h']);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^Usage: genolake bgzip/);
  });

  it('compresses a file to FILE.gz, removes the input, refuses to overwrite without -f', async () => {
    const f = tmp.path('a.txt');
    writeFileSync(f, data);
    expect((await bgzip([f])).code).toBe(0);
    expect(existsSync(f)).toBe(false);
    if (HAVE_BGZIP) expect(run('bgzip', ['-d', '-c', `${f}.gz`]).stdout.equals(Buffer.from(data))).toBe(true);
    writeFileSync(f, data);
    const again = await bgzip([f]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toBe(`bgzip: can't create ${f}.gz: file exists (use -f to overwrite)\n`);
    expect(existsSync(f)).toBe(true);
    expect((await bgzip(['-f', '-k', '-l', '9', '-@', '2', f])).code).toBe(0);
    expect(existsSync(f)).toBe(true);
  });

  it('decompresses FILE.gz to FILE and rejects an unknown suffix', async () => {
    const f = tmp.path('b.txt');
    writeFileSync(f, data);
    expect((await bgzip([f])).code).toBe(0);
    expect((await bgzip(['-d', `${f}.gz`])).code).toBe(0);
    expect(readFileSync(f).equals(Buffer.from(data))).toBe(true);
    expect(existsSync(`${f}.gz`)).toBe(false);
    const r = await bgzip(['-d', f]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/unknown suffix/);
  });

  it('pipes stdin to stdout both ways', async () => {
    const c = await bgzip(['-c'], data);
    expect(c.code).toBe(0);
    const d = await bgzip(['-d'], c.stdout);
    expect(d.stdout.equals(Buffer.from(data))).toBe(true);
  });

  it('writes a .gzi with -i, serves -b/-s, rebuilds it with -r', async () => {
    const f = tmp.path('c.txt');
    writeFileSync(f, data);
    expect((await bgzip(['-i', '-k', f])).code).toBe(0);
    const gzi = readFileSync(`${f}.gz.gzi`);
    const r = await bgzip(['-b', '100000', '-s', '70000', `${f}.gz`]);
    expect(r.stdout.equals(Buffer.from(data.subarray(100_000, 170_000)))).toBe(true);
    expect((await bgzip(['-b', '299990', `${f}.gz`])).stdout.equals(Buffer.from(data.subarray(299_990)))).toBe(true);
    expect((await bgzip(['-r', '-I', tmp.path('re.gzi'), `${f}.gz`])).code).toBe(0);
    expect(readFileSync(tmp.path('re.gzi')).equals(gzi)).toBe(true);
    if (HAVE_BGZIP) {
      const theirs = run('bgzip', ['-c', '-b', '100000', '-s', '70000', `${f}.gz`]);
      expect(theirs.stdout.equals(r.stdout)).toBe(true);
    }
  });

  it('tests integrity: ok, truncated (exit 3, offset named), missing EOF (warning only)', async () => {
    const f = tmp.path('d.txt');
    writeFileSync(f, data);
    await bgzip([f]);
    expect((await bgzip(['-t', `${f}.gz`])).code).toBe(0);
    const whole = readFileSync(`${f}.gz`);
    writeFileSync(tmp.path('cut.gz'), whole.subarray(0, 30_000));
    const cut = await bgzip(['-t', tmp.path('cut.gz')]);
    expect(cut.code).toBe(3);
    expect(cut.stderr).toMatch(/^bgzip: .*cut\.gz: truncated BGZF block at compressed offset \d+ \(\d+ bytes left\)\n$/);
    writeFileSync(tmp.path('noeof.gz'), whole.subarray(0, whole.length - 28));
    const noeof = await bgzip(['-t', tmp.path('noeof.gz')]);
    expect(noeof.code).toBe(0);
    expect(noeof.stderr).toMatch(/no BGZF EOF marker/);
  });

  it('reports usage errors in one line with exit code 2', async () => {
    const r = await bgzip(['-l', '12', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    const missing = await bgzip(['-d', tmp.path('nothere.gz')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no such file/i);
  });
});
