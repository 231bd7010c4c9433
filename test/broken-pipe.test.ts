// `genolake … | head`: when the reader of stdout goes away the commands end at once, quietly,
// with exit 0 (as htslib's tools on SIGPIPE): no EPIPE stack trace, no error line. Through the
// built binary (needs `npx turbo run build`; the root `npm test` builds first). Every output
// here is far larger than a pipe's buffer, so the writes do meet the closed pipe.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/bin/genolake.js');
const EX1 = '/usr/share/doc/python-pysam/tests/pysam_data/ex1.bam.gz';
const tmp = mkdtempSync(join(tmpdir(), 'broken-pipe-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const bed = join(tmp, 'big.bed'), bam = join(tmp, 'ex1.bam'), ds = join(tmp, 'ex1.paf');
const hasTools = spawnSync('bgzip', ['--version']).status === 0 && spawnSync('tabix', ['--version']).status === 0;

/** Runs the binary, closes its stdout after the first bytes arrive; its exit code and stderr. */
function headOne(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve) => {
    const env: Record<string, string | undefined> = { ...process.env };
    for (const k of ['GENOLAKE_DEBUG', 'VITEST', 'NODE_OPTIONS', 'GENOLAKE_PLUGINS']) delete env[k];
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, err }));
  });
}

describe.skipIf(!hasTools && !process.env.CI)('commands whose reader goes away', () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'packages/cli/dist/main.js'))) throw new Error('packages/cli/dist is missing: run `npx turbo run build` (npm test does) first');
    const lines: string[] = [];
    for (let i = 0; i < 120_000; i++) lines.push(`chr1\t${i * 10}\t${i * 10 + 50}\tfeature${i}\t${i % 1000}\t+`);
    writeFileSync(bed, `${lines.join('\n')}\n`);
    expect(spawnSync('bgzip', ['-f', bed]).status).toBe(0);
    expect(spawnSync('tabix', ['-p', 'bed', `${bed}.gz`]).status).toBe(0);
    writeFileSync(bam, gunzipSync(readFileSync(EX1)));
    expect(spawnSync(process.execPath, [BIN, 'bam-to-paf', bam, ds]).status).toBe(0);
  }, 60_000);

  it.each([
    ['bgzip -c -d', ['bgzip', '-c', '-d', `big.bed.gz`]],
    ['tabix, a region', ['tabix', 'big.bed.gz', 'chr1:1-1000000']],
    ['query (paf)', ['query', 'ex1.paf']],
    ['export (paf, SAM to stdout)', ['export', 'ex1.paf', '-', '-F', 'sam']],
    ['paf-query', ['paf-query', 'ex1.paf']],
    ['paf-to-bam to stdout', ['paf-to-bam', 'ex1.paf', '-']],
  ])('%s: exit 0, nothing on stderr', async (_what, args) => {
    expect(await headOne(args)).toEqual({ code: 0, err: '' });
  }, 60_000);
});
