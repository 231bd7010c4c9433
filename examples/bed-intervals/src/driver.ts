/** The FormatDriver: what `genolake convert/query/export/info` call for bed-intervals datasets. */
import type { FormatDriver } from '@genolake/core/plugin';
import { convertBed, FORMAT } from './convert.js';
import { queryBed } from './query.js';

export const driver: FormatDriver = {
  name: FORMAT,
  description: 'BED intervals (BED3-BED6, plain or gzip), one partition per contig',
  inputFormats: ['bed'],
  outputFormats: ['bed', 'jsonl'],
  suffixes: ['.bed', '.bed.gz'],
  sniff(head, name) {
    if (/\.bed(\.gz)?$/i.test(name)) return 0.9;
    // Plain text whose first data line is chrom<TAB>int<TAB>int.
    const line = new TextDecoder().decode(head.subarray(0, 4096)).split('\n').find((l) => l && !/^(#|track|browser)/.test(l));
    return line && /^[^\t]+\t\d+\t\d+(\t|$)/.test(line) ? 0.6 : 0;
  },
  convert: convertBed,
  query: (ctx) => queryBed(ctx, ctx.request.outputFormat ?? 'bed'),
  export: (ctx) => queryBed(ctx, ctx.format, ctx.format === 'bed'),
  describe(m) {
    const contigs = new Set(m.chunks.map((c) => c.partition));
    return { contigs: contigs.size, headerLines: (m.metadata.header as unknown[] | undefined)?.length ?? 0 };
  },
};
