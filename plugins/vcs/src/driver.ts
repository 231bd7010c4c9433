/** The FormatDriver: what `genolake convert/query/export/info` call for vcs datasets. */
import type { FormatDriver } from '@genolake/core/plugin';
import { convertVariants } from './dataset/writer.js';
import { OUTPUT_FORMATS, runQuery } from './dataset/output.js';
import { FORMAT } from './dataset/schema.js';

export const driver: FormatDriver = {
  name: FORMAT,
  description: 'Variant columnar store: VCF as Hive-partitioned Parquet (sites + per-key sample-matrix batch files per contig; optional marker-major copy)',
  inputFormats: ['vcf'],
  outputFormats: OUTPUT_FORMATS,
  suffixes: ['.vcf', '.vcf.gz', '.vcf.bgz', '.bcf'],
  sniff(head, name) {
    if (/\.(vcf|vcf\.gz|vcf\.bgz|bcf)$/i.test(name)) return 0.9;
    const text = new TextDecoder('latin1').decode(head.subarray(0, 64));
    return text.startsWith('##fileformat=VCF') ? 0.9 : 0;
  },
  convert: convertVariants,
  query: (ctx) => runQuery({ host: ctx.host, store: ctx.store, output: ctx.output, request: ctx.request, format: ctx.request.outputFormat ?? 'vcf', ...(ctx.signal ? { signal: ctx.signal } : {}) }),
  export: (ctx) => runQuery({ host: ctx.host, store: ctx.store, output: ctx.output, request: ctx.request, format: ctx.format === 'vcf.bgz' ? 'vcf.gz' : ctx.format, ...(ctx.signal ? { signal: ctx.signal } : {}) }),
  describe(m) {
    const meta = m.metadata as { records?: number; samples?: string[]; contigs?: string[]; markerKeys?: string[] };
    return { variants: meta.records ?? 0, samples: meta.samples?.length ?? 0, contigs: meta.contigs?.length ?? 0, files: m.chunks.length, layout: meta.markerKeys?.length ? `sample-major + marker-major (${meta.markerKeys.join(',')})` : 'sample-major' };
  },
};
