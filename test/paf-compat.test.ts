// Datasets written by earlier versions stay readable: fixtures whose chunks hold qualities as
// one-state `qualrans` (before `qualrans:4`) and as `qualrans:4` (before `qualpack`), read back
// whole and by region, against what samtools printed for their source BAMs (see each
// fixture's README.md).
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';

const tmp = mkdtempSync(join(tmpdir(), 'paf-compat-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let host: DefaultHost;

async function run(argv: string[]) {
  const io = captureIO({});
  const code = await main(argv, io, { cwd: tmp, env: {}, host });
  return { code, bytes: io.outBytes(), err: io.err() };
}
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Fixture, the codec its chunks hold, and samtools' sha256 of `view --no-PG -h` of the whole source and of a region. */
const FIXTURES = [
  ['paf-qualrans1', 'qualrans', '7622544831d83586ac424abffeeddee397b17563da82ab4cc5eeebc609a9bff9'],
  ['paf-qualrans4', 'qualrans:4', '421720995890108a489ad067b0fe048cb19c423bf41906550bdcaf2b9e8534cb'],
] as const;
const REGION_SHA = '7229a0a525fd006992e207d6affcd0d875ac1c8346ced61758858696d3eba334';

describe('paf datasets written by earlier versions', () => {
  beforeAll(async () => {
    host = await createHost();
  });

  it.each(FIXTURES)('%s (%s chunks): the whole dataset and a region equal samtools view of the source', async (name, codec, wholeSha) => {
    // A copy: verify and queries must not need to write, but a test never risks the fixture.
    const ds = join(tmp, name);
    cpSync(join(import.meta.dirname, 'fixtures', name, 'sample.paf'), ds, { recursive: true });
    const meta = JSON.parse(readFileSync(join(ds, '_metadata.json'), 'utf8')) as { metadata: { codecs: { qual: string } } };
    expect(meta.metadata.codecs.qual).toBe(codec);
    const whole = await run(['paf-query', ds, '-h']);
    expect(whole.err).toBe('');
    expect(sha(whole.bytes)).toBe(wholeSha);
    const region = await run(['paf-query', ds, 'chr1:205000-206000']);
    expect(sha(region.bytes)).toBe(REGION_SHA);
    // -h first is samtools view's --with-header, not help.
    const first = await run(['paf-query', '-h', ds, 'chr1:205000-206000']);
    expect(Buffer.from(first.bytes).toString('latin1')).toMatch(/^@HD\tVN:1\.6/);
    expect((await run(['verify', ds])).code).toBe(0);
  });
});
