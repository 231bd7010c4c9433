// `--explain` on a paf dataset reports exactly the reads the query makes: the chunk-header reads
// (to choose record groups) apart, then the data ranges. Each case plans with explain, runs the
// real query on a metered store, and compares the ranges the store saw with the report.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHost, Dataset, withMetrics, type DefaultHost, type MemoryStore, type PlanExplainReport, type QueryRequest } from '@genolake/core';
import { captureIO, main } from '@genolake/cli';
import * as paf from '../plugins/paf/src/index.js';
import pafPlugin from '../plugins/paf/src/plugin.js';
import { bufferSink, memoryDataset } from '../plugins/paf/src/testing/dataset.js';
import { tmpDir } from '../plugins/paf/src/testing/samtools.js';

const EX1 = '/usr/share/doc/python-pysam/tests/pysam_data/ex1.bam.gz';
type Range = { key: string; offset: number; length: number };
const sorted = (rs: Range[]): string[] => rs.map((r) => `${r.key} ${r.offset} ${r.length}`).sort();

let ds: Awaited<ReturnType<typeof memoryDataset>>;
let chunkKeys: Set<string>;
let cliHost: DefaultHost;
const URL = 'mem://paf-explain/ds';

async function explainAndRun(request: QueryRequest, scan: paf.ScanOptions, out: paf.OutputOptions): Promise<{ report: PlanExplainReport; seen: Range[]; records: number }> {
  const planned = withMetrics(ds.store);
  const r = await paf.runQuery({ host: ds.host, store: planned, output: bufferSink(), request: { ...request, explain: true }, scan, out });
  const report = r.explain!;
  // Explaining reads chunk headers (metadata) and nothing else of a chunk.
  const plannedChunkReads = planned.metrics.ranges.filter((x) => chunkKeys.has(x.key));
  expect(sorted(plannedChunkReads)).toEqual(sorted(report.headerReads?.ranges ?? []));
  const metered = withMetrics(ds.store);
  const got = await paf.runQuery({ host: ds.host, store: metered, output: bufferSink(), request, scan, out });
  return { report, seen: metered.metrics.ranges.filter((x) => chunkKeys.has(x.key)), records: got.records };
}

describe.skipIf(!process.env.CI && !existsEx1())('paf --explain reports the reads the query makes', () => {
  beforeAll(async () => {
    const bam = join(tmpDir(), 'ex1-explain.bam');
    writeFileSync(bam, gunzipSync(readFileSync(EX1)));
    cliHost = await createHost();
    await cliHost.use(pafPlugin());
    ds = await memoryDataset(bam, { groupRecords: 64, chunkRecords: 1000 }, (await cliHost.openStore(URL)) as MemoryStore);
    chunkKeys = new Set((await Dataset.open(ds.store)).manifest.chunks.map((c) => c.key));
  });

  const cases: [string, QueryRequest, paf.ScanOptions, paf.OutputOptions][] = [
    ['one region', {}, { regions: [{ contig: 'chr1', start: 700, end: 760 }] }, { format: 'sam' }],
    ['regions in turn (a chunk read twice)', {}, { regions: [{ contig: 'chr1', start: 700, end: 760 }, { contig: 'chr1', start: 720, end: 900 }, { contig: 'chr2', start: 10, end: 300 }] }, { format: 'sam' }],
    ['-M: one pass', {}, { merge: true, regions: [{ contig: 'chr1', start: 700, end: 760 }, { contig: 'chr2', start: 10, end: 300 }] }, { format: 'sam' }],
    ['-c: only the filter streams', {}, { regions: [{ contig: 'chr2', start: 0, end: 1200 }] }, { format: 'sam', count: true }],
    ['--fields jsonl', { fields: ['name', 'mapq'] }, { regions: [{ contig: 'chr1', start: 100, end: 200 }], fields: ['name', 'mapq'] }, { format: 'jsonl' }],
    ['BAM export of the whole dataset (whole streams, no header reads)', {}, {}, { format: 'bam' }],
    ['unplaced reads', {}, { regions: [{ contig: '*', start: 0, end: Infinity }] }, { format: 'sam' }],
  ];
  it.each(cases)('%s', async (_what, request, scan, out) => {
    const { report, seen, records } = await explainAndRun(request, scan, out);
    const headers = report.headerReads?.ranges ?? [];
    // Everything the query read, and nothing else: header reads plus data ranges.
    expect(sorted(seen)).toEqual(sorted([...headers, ...report.ranges!]));
    expect(seen.length).toBe(report.requests);
    expect(seen.reduce((n, r) => n + r.length, 0)).toBe(report.bytes);
    // Header reads are bounded reads of the chunk headers.
    for (const h of headers) expect(h.offset).toBe(0);
    if (scan.regions?.[0]?.contig !== '*' && scan.regions?.length) {
      expect(headers.length).toBeGreaterThan(0);
      expect(records).toBeGreaterThan(0);
    } else expect(headers).toEqual([]);
  });

  it('genolake query --explain prints header reads apart from the data reads', async () => {
    const io = captureIO({});
    const code = await main(['query', URL, 'chr1:701-760', '--explain', '--json'], io, { env: {}, host: cliHost, installDir: null });
    expect(code).toBe(0);
    const report = JSON.parse(io.out()) as PlanExplainReport;
    const metered = withMetrics(ds.store);
    await paf.runQuery({ host: ds.host, store: metered, output: bufferSink(), request: {}, scan: { regions: [{ contig: 'chr1', start: 700, end: 760 }] }, out: { format: 'sam' } });
    const data = metered.metrics.ranges.filter((x) => chunkKeys.has(x.key));
    expect(sorted(data)).toEqual(sorted([...report.headerReads!.ranges, ...report.ranges!]));
    expect(report.headerReads!.requests).toBeGreaterThan(0);
  });

  it('an opened dataset given to runQuery is reused: the same records, no manifest or chunk-header reads again', async () => {
    const metered = withMetrics(ds.store);
    const dataset = await paf.PafDataset.open(metered);
    const region = { contig: 'chr1', start: 700, end: 760 };
    const once = async (withDataset: boolean) => {
      const out = bufferSink();
      metered.reset();
      await paf.runQuery({ host: ds.host, store: metered, output: out, request: {}, scan: { regions: [region] }, out: { format: 'sam' }, ...(withDataset ? { dataset } : {}) });
      return { text: out.text(), keys: metered.metrics.ranges.map((r) => r.key) };
    };
    const fresh = await once(false);
    await once(true); // reads the chunk headers into the dataset's cache
    const reused = await once(true);
    expect(reused.text).toBe(fresh.text);
    expect(reused.text.length).toBeGreaterThan(0);
    expect(reused.keys.some((k) => k.startsWith('_manifest/'))).toBe(false);
    expect(fresh.keys.some((k) => k.startsWith('_manifest/'))).toBe(true);
    expect(reused.keys.length).toBeLessThan(fresh.keys.length);
    await expect(paf.runQuery({ host: ds.host, store: metered, output: bufferSink(), request: { version: 99 }, scan: {}, out: { format: 'sam' }, dataset }))
      .rejects.toThrow(/dataset given is version 1, the request asks for version 99/);
  });
});

function existsEx1(): boolean {
  try {
    readFileSync(EX1);
    return true;
  } catch {
    return false;
  }
}
