/**
 * The FormatDriver: what `genolake convert/query/export/info` call for paf datasets. Its
 * metadata and `sniff` cost nothing to load; `convert` imports the writer and `query`/`export`
 * the query code on first use, so `genolake query` never loads the converter (BAM/SAM readers,
 * BGZF, the encode workers) and a SAM query never loads the BAM writer.
 */
import { InvalidArgumentError, type QueryRequest } from '@genolake/core';
import type { FormatDriver } from '@genolake/core/plugin';
import type { OutputOptions } from './dataset/output.js';
import { OUTPUT_FORMATS } from './dataset/output-formats.js';
import type { ScanOptions } from './dataset/reader.js';
import { FORMAT } from './dataset/schema.js';

/** Flag values as samtools takes them: decimal, 0x hex, 0 octal. */
export function parseFlags(v: unknown, what: string): number {
  const s = String(v).trim();
  const n = /^0x[0-9a-f]+$/i.test(s) ? parseInt(s, 16) : /^0[0-7]+$/.test(s) ? parseInt(s, 8) : /^\d+$/.test(s) ? Number(s) : NaN;
  if (!(n >= 0 && n <= 0xffff)) throw new InvalidArgumentError(`${what}: bad flag value "${s}"`);
  return n;
}

const truthy = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === '';

/** Scan options from a QueryRequest and its driver options (f, F, q as in samtools view). */
export function scanOptions(req: QueryRequest): ScanOptions {
  const o = req.options ?? {};
  const scan: ScanOptions = {};
  if (req.regions?.length) scan.regions = req.regions;
  if (req.fields) scan.fields = req.fields;
  if (req.version !== undefined) scan.version = req.version;
  if (o.f !== undefined) scan.requireFlags = parseFlags(o.f, '-f');
  if (o.F !== undefined) scan.excludeFlags = parseFlags(o.F, '-F');
  if (o.q !== undefined) {
    const q = Number(o.q);
    if (!Number.isInteger(q) || q < 0) throw new InvalidArgumentError(`-q: bad MAPQ "${String(o.q)}"`);
    scan.minMapq = q;
  }
  if (req.where) throw new InvalidArgumentError('paf has no --where; use regions and the f/F/q options (-O f=2 -O q=30)');
  return scan;
}

export function outputOptions(req: QueryRequest, format: string, header: boolean): OutputOptions {
  const o = req.options ?? {};
  const out: OutputOptions = { format, header: o.h !== undefined ? truthy(o.h) : header };
  if (o.H !== undefined && truthy(o.H)) out.headerOnly = true;
  if (o.c !== undefined && truthy(o.c)) out.count = true;
  return out;
}

export const driver: FormatDriver = {
  name: FORMAT,
  description: 'Partitioned alignments: BAM/SAM (plain or gzip) as per-contig chunks of per-field streams',
  inputFormats: ['bam', 'sam'],
  outputFormats: OUTPUT_FORMATS,
  suffixes: ['.bam', '.sam', '.sam.gz'],
  sniff(head, name) {
    if (/\.(bam|sam|sam\.gz)$/i.test(name)) return 0.9;
    if (head[0] === 0x42 && head[1] === 0x41 && head[2] === 0x4d && head[3] === 1) return 0.9;
    const text = new TextDecoder('latin1').decode(head.subarray(0, 4096));
    if (/^@(HD|SQ|RG|PG|CO)\t/.test(text)) return 0.8;
    return 0;
  },
  convert: async (ctx) => (await import('./dataset/writer.js')).convertAlignments(ctx),
  query: async (ctx) => (await import('./dataset/output.js')).runQuery({
    host: ctx.host, store: ctx.store, output: ctx.output, request: ctx.request, scan: scanOptions(ctx.request),
    out: outputOptions(ctx.request, ctx.request.outputFormat ?? 'sam', false), warn: ctx.log, ...(ctx.signal ? { signal: ctx.signal } : {}),
  }),
  export: async (ctx) => (await import('./dataset/output.js')).runQuery({
    host: ctx.host, store: ctx.store, output: ctx.output, request: ctx.request, scan: scanOptions(ctx.request),
    out: outputOptions(ctx.request, ctx.format, true), warn: ctx.log, ...(ctx.signal ? { signal: ctx.signal } : {}),
  }),
  describe(m) {
    const meta = m.metadata as { readCount?: number; contigs?: unknown[]; sample?: string; lossy?: object };
    return {
      reads: meta.readCount ?? 0, contigs: meta.contigs?.length ?? 0, ...(meta.sample ? { sample: meta.sample } : {}),
      partitions: new Set(m.chunks.map((c) => c.partition)).size, lossy: Object.keys(meta.lossy ?? {}).length > 0,
    };
  },
};
