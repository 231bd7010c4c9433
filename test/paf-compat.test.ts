// Datasets written by earlier versions stay readable: a fixture whose chunk holds qualities as
// one-state `qualrans` (before `qualrans:4`), read back whole and by region, against what
// samtools printed for its source BAM (see fixtures/paf-qualrans1/README.md).
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type DefaultHost } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';

const fixture = join(import.meta.dirname, 'fixtures/paf-qualrans1/sample.paf');
const tmp = mkdtempSync(join(tmpdir(), 'paf-compat-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// A copy: verify and queries must not need to write, but a test never risks the fixture.
const ds = join(tmp, 'sample.paf');
let host: DefaultHost;

async function run(argv: string[]) {
  const io = captureIO({});
  const code = await main(argv, io, { cwd: tmp, env: {}, host });
  return { code, bytes: io.outBytes(), err: io.err() };
}
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

describe('paf datasets written by earlier versions', () => {
  beforeAll(async () => {
    host = await createHost();
    cpSync(fixture, ds, { recursive: true });
  });

  it('one-state qualrans chunks: the whole dataset and a region equal samtools view of the source', async () => {
    const whole = await run(['paf-query', ds, '-h']);
    expect(whole.err).toBe('');
    expect(sha(whole.bytes)).toBe('7622544831d83586ac424abffeeddee397b17563da82ab4cc5eeebc609a9bff9');
    const region = await run(['paf-query', ds, 'chr1:205000-206000']);
    expect(sha(region.bytes)).toBe('7229a0a525fd006992e207d6affcd0d875ac1c8346ced61758858696d3eba334');
    // -h first is samtools view's --with-header, not help.
    const first = await run(['paf-query', '-h', ds, 'chr1:205000-206000']);
    expect(Buffer.from(first.bytes).toString('latin1')).toMatch(/^@HD\tVN:1\.6/);
    expect((await run(['verify', ds])).code).toBe(0);
  });
});
