import { createHost, Dataset, definePlugin, type FormatDriver, type PlanExplainReport } from '@genolake/core';
import { describe, expect, it } from 'vitest';
import { captureIO } from './capture-io.js';
import { main } from './main.js';

const report: PlanExplainReport = {
  objects: 1, requests: 3, bytes: 1100,
  ranges: [{ key: 'c.bin', offset: 500, length: 100 }, { key: 'c.bin', offset: 900, length: 200 }],
  headerReads: { requests: 1, bytes: 800, ranges: [{ key: 'c.bin', offset: 0, length: 800 }] },
  notes: ['n1'],
};

const driver: FormatDriver = {
  name: 'fakefmt', description: 'fake', inputFormats: [], outputFormats: ['txt'], suffixes: [],
  async convert() { return { version: 0, records: 0, chunks: 0, bytesWritten: 0 }; },
  async query(ctx) { return { records: 0, ...(ctx.request.explain ? { explain: report } : {}) }; },
};

describe('query --explain', () => {
  it('prints header reads apart from data reads', async () => {
    const host = await createHost();
    await host.use(definePlugin({ name: 'fake', apiVersion: 1, setup: (h) => h.registerDriver(driver) }));
    const store = await host.openStore('mem://explain-out/ds', {});
    const ds = await Dataset.create(store, { format: 'fakefmt', formatVersion: '1' });
    await ds.begin().commit({ operation: { kind: 'create' } });
    const io = captureIO();
    const code = await main(['query', 'mem://explain-out/ds', 'chr1', '--explain'], io, { host, env: {}, installDir: null });
    expect(code, io.err()).toBe(0);
    expect(io.err()).toBe([
      'plan: 1 objects, 3 requests, 1100 bytes (1.1 KiB)',
      'header reads (metadata, before planning): 1 requests, 800 bytes',
      '  c.bin bytes=0-799',
      'data reads: 2 requests, 300 bytes',
      '  c.bin bytes=500-599',
      '  c.bin bytes=900-1099',
      '  note: n1',
      '',
    ].join('\n'));
  });
});
