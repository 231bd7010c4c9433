// Issue 4: for the bench data, `samtools view -h` of our exported BAM equals `samtools view -h` of
// the original. Not a CI oracle test: the bench data (make-bench-data.sh, 277k reads for the
// small set) takes minutes to build, so this runs only where it already exists: $BENCH_DATA,
// /work/bench-data/small or ../bench-data/small next to the repository; otherwise it skips and
// says why. Both views are hashed as they stream (the large set's SAM text is gigabytes).
// `--no-PG`: without it samtools adds a @PG line naming its own command line, which differs.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIO, main } from '@genolake/cli';
import { hasSamtools, SAMTOOLS } from '../plugins/paf/src/testing/samtools.js';

const root = resolve(import.meta.dirname, '..');
const candidates = [process.env.BENCH_DATA, '/work/bench-data/small', resolve(root, '../bench-data/small')].filter((d): d is string => !!d);
const dir = candidates.find((d) => existsSync(join(d, 'sample.bam')));
const why = !dir
  ? `no bench data (looked for sample.bam in ${candidates.join(', ')}; build it with make-bench-data.sh or set BENCH_DATA)`
  : !hasSamtools ? `samtools is not installed (${SAMTOOLS})` : undefined;
if (why) console.warn(`test/paf-benchdata.test.ts skipped: ${why}`);

/** sha256 and size of `samtools view --no-PG -h <bam>`, hashed as it streams. */
function viewDigest(bam: string): Promise<{ sha256: string; bytes: number; lines: number }> {
  return new Promise((done, fail) => {
    const p = spawn(SAMTOOLS, ['view', '--no-PG', '-h', bam]);
    const hash = createHash('sha256');
    let bytes = 0, lines = 0, err = '';
    p.stdout.on('data', (b: Buffer) => {
      hash.update(b);
      bytes += b.length;
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('error', fail);
    p.on('close', (code) => (code === 0 ? done({ sha256: hash.digest('hex'), bytes, lines }) : fail(new Error(`samtools view ${bam}: exit ${code}: ${err}`))));
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'paf-benchdata-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(argv: string[]): Promise<void> {
  const io = captureIO({});
  const code = await main(argv, io, { env: {}, cwd: root });
  expect(code, io.err()).toBe(0);
}

describe.skipIf(why !== undefined)('bench data: bam-to-paf then paf-to-bam gives back the same samtools view -h', () => {
  it('sample.bam round trip', async () => {
    const bam = join(dir!, 'sample.bam'), ds = join(tmp, 'sample.paf'), out = join(tmp, 'sample.out.bam');
    await cli(['bam-to-paf', bam, ds]);
    await cli(['paf-to-bam', ds, out]);
    const [want, got] = await Promise.all([viewDigest(bam), viewDigest(out)]);
    expect(want.lines).toBeGreaterThan(1000);
    expect(got).toEqual(want);
  }, 600_000);
});
