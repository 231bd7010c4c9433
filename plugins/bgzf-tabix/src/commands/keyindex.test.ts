import { PassThrough, Readable } from 'node:stream';
import { type ObjectStore, createHost } from '@genolake/core';
import { describe, expect, it } from 'vitest';
import { Writer } from '../bgzf/writer.js';
import bgzfTabix from '../plugin.js';

async function run(host: Awaited<ReturnType<typeof createHost>>, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough().on('data', (c: Buffer) => out.push(c));
  const stderr = new PassThrough().on('data', (c: Buffer) => err.push(c));
  const code = await host.getCommand('keyindex')!.run(argv, { host, io: { stdout, stderr, stdin: Readable.from([]), interactive: false } });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: Buffer.concat(out).toString('latin1'), stderr: Buffer.concat(err).toString() };
}

async function gz(text: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const w = new Writer({ write: (c) => void parts.push(c) });
  await w.write(Buffer.from(text));
  await w.end();
  return Buffer.concat(parts);
}

describe('genolake keyindex', () => {
  const gtf = [
    '#!genome-build test',
    'chr1\tsrc\tgene\t100\t900\t.\t+\t.\tgene_id "ENSG1"; gene_name "TP53";',
    'chr1\tsrc\texon\t100\t200\t.\t+\t.\tgene_id "ENSG1"; gene_name "TP53"; exon_number "1";',
    'chr1\tsrc\tgene\t1000\t1900\t.\t-\t.\tgene_id "ENSG2"; gene_name "tp53-like";',
    'chr2\tsrc\tgene\t50\t90\t.\t+\t.\tgene_id "ENSG3"; gene_name "BRCA2";',
    '',
  ].join('\n');

  it('builds over mem:// (GTF attribute), answers exact, prefix and case-insensitive queries, explains its reads', async () => {
    const host = await createHost();
    await host.use(bgzfTabix());
    const store = (await host.openStore('mem://ki/')) as ObjectStore;
    await store.put('a.gtf.gz', await gz(gtf));
    expect(await run(host, ['build', '--attr', 'gene_name', 'mem://ki/a.gtf.gz'])).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await store.head('a.gtf.gz.gki')).size).toBeGreaterThan(64);
    const lines = gtf.split('\n');
    expect((await run(host, ['query', 'mem://ki/a.gtf.gz', 'TP53'])).stdout).toBe(`${lines[1]}\n${lines[2]}\n`);
    expect((await run(host, ['query', '-p', 'mem://ki/a.gtf.gz', 'tp'])).stdout).toBe(`${lines[3]}\n`);
    expect((await run(host, ['query', '-p', '-i', 'mem://ki/a.gtf.gz', 'tp'])).stdout).toBe(`${lines[1]}\n${lines[2]}\n${lines[3]}\n`);
    expect((await run(host, ['query', 'mem://ki/a.gtf.gz', 'BRCA2', 'TP53', 'nope'])).stdout).toBe(`${lines[1]}\n${lines[2]}\n${lines[4]}\n`);
    const ex = await run(host, ['query', '--explain', 'mem://ki/a.gtf.gz', 'BRCA2']);
    expect(ex.stdout).toBe(`${lines[4]}\n`);
    const total = /total: (\d+) requests, (\d+) bytes/.exec(ex.stderr)!;
    const done = /done: (\d+) requests, (\d+) bytes/.exec(ex.stderr)!;
    expect(done.slice(1)).toEqual(total.slice(1));
    // Existing index: refused without -f; column index to a dataset-like _index/ key with -o/-x.
    expect((await run(host, ['build', '--attr', 'gene_name', 'mem://ki/a.gtf.gz'])).code).not.toBe(0);
    expect((await run(host, ['build', '-c', '1', '-o', 'mem://ki/_index/chrom.gki', 'mem://ki/a.gtf.gz'])).code).toBe(0);
    expect((await run(host, ['query', '-x', 'mem://ki/_index/chrom.gki', 'mem://ki/a.gtf.gz', 'chr2'])).stdout).toBe(`${lines[4]}\n`);
    const missing = await run(host, ['query', 'mem://ki/none.gz', 'x']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/keyindex: /);
  });
});
