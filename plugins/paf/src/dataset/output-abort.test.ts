import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AbortedError, type ByteSink } from '@genolake/core';
import { tmpDir } from '../testing/samtools.js';
import { memoryDataset } from '../testing/dataset.js';
import { runQuery } from './output.js';

/** 30,000 sorted 150 bp reads on one reference: ~11 MB of SAM text, so many 1 MiB writes. */
function bigSam(): string {
  const path = join(tmpDir(), 'abort.sam');
  const seq = 'ACGT'.repeat(37) + 'AC', qual = 'F'.repeat(150);
  const lines = ['@HD\tVN:1.6\tSO:coordinate', '@SQ\tSN:c1\tLN:1000000'];
  for (let i = 0; i < 30000; i++) lines.push(`r${i}\t0\tc1\t${1 + i * 30}\t60\t150M\t*\t0\t0\t${seq}\t${qual}\tNM:i:0\tAS:i:${i % 300}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('a query stops when its signal aborts (paf-query: the reader of stdout went away)', () => {
  it('SAM and BAM output: no more writes after the abort, and the query rejects', async () => {
    const ds = await memoryDataset(bigSam(), { groupRecords: 512 });
    for (const format of ['sam', 'bam']) {
      const stop = new AbortController();
      let writes = 0, afterAbort = 0;
      const output: ByteSink = {
        name: 'gone',
        async write() {
          if (stop.signal.aborted) afterAbort++;
          if (++writes === 1) stop.abort(new AbortedError('reader gone'));
        },
        async end() {},
      };
      const run = runQuery({
        host: ds.host, store: ds.store, output, request: {}, scan: { regions: [{ contig: 'c1', start: 0, end: 1_000_000 }] },
        out: { format }, signal: stop.signal, workers: 'never',
      });
      await expect(run).rejects.toThrow(/reader gone/);
      // Without the checks the query ran to the end: all ~11 MB of SAM, every BGZF block of the BAM.
      expect(afterAbort).toBeLessThanOrEqual(format === 'sam' ? 0 : 64);
      expect(writes).toBeLessThan(format === 'sam' ? 3 : 100);
    }
  }, 60_000);
});
