/** `genolake paf-query <dataset> [region…]`: samtools view over a paf dataset. */
import { InvalidArgumentError, parseRegion, type QueryRequest } from '@genolake/core';
import { pafQuerySpec } from './specs.js';
import { parseArgs } from 'node:util';
import type { CommandContext, CommandSpec } from '@genolake/core/plugin';
import { runQuery } from '../dataset/output.js';
import { parseFlags } from '../driver.js';
import { bedRegions, parse, sinkFor, withSink } from './common.js';

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { values: v, positionals } = parse('paf-query', () => parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
    'with-header': { type: 'boolean', short: 'h' }, 'header-only': { type: 'boolean', short: 'H' }, count: { type: 'boolean', short: 'c' },
    'require-flags': { type: 'string', short: 'f' }, 'exclude-flags': { type: 'string', short: 'F' }, 'min-MQ': { type: 'string', short: 'q' },
    'target-file': { type: 'string', short: 'L' }, 'use-index': { type: 'boolean', short: 'M' }, bam: { type: 'boolean', short: 'b' },
    'output-format': { type: 'string' }, fields: { type: 'string' }, output: { type: 'string', short: 'o' }, version: { type: 'string' },
    explain: { type: 'boolean' }, threads: { type: 'string', short: '@' }, help: { type: 'boolean' },
  } }));
  if (v.help) {
    ctx.io.stdout.write(pafQuerySpec.help);
    return 0;
  }
  const [url, ...regionArgs] = positionals;
  if (!url) throw new InvalidArgumentError('paf-query: expected <dataset-url> [region...]');
  const store = await ctx.host.openStore(url, { readOnly: true, ...(ctx.env ? { env: ctx.env } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const request: QueryRequest = {};
  const regions = regionArgs.map((r) => (r === '*' ? { contig: '*', start: 0, end: Infinity } : parseRegion(r)));
  const bed = v['target-file'] ? await bedRegions(ctx, v['target-file']) : [];
  if (bed.length && regions.length) throw new InvalidArgumentError('paf-query: give regions or -L, not both');
  if (regions.length || bed.length) request.regions = [...regions, ...bed];
  if (v.fields) request.fields = v.fields.split(',').map((s) => s.trim()).filter(Boolean);
  if (v.version !== undefined) request.version = Number(v.version);
  if (v.explain) request.explain = true;
  const format = v.bam ? 'bam' : v['output-format'] ?? (request.fields ? 'jsonl' : 'sam');
  const threads = v.threads === undefined ? undefined : Number(v.threads);
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1)) throw new InvalidArgumentError(`paf-query: -@/--threads takes a whole number of threads >= 1, got '${v.threads}'`);
  const sink = await sinkFor(ctx, v.explain ? '-' : v.output);
  const result = await withSink(sink, () => runQuery({
    host: ctx.host, store, output: sink, request, regionText: [...regionArgs, ...bed.map((r) => r.contig)],
    warn: (m) => void ctx.io.stderr.write(`${m}\n`),
    scan: {
      ...(request.regions ? { regions: request.regions } : {}), ...(request.fields ? { fields: request.fields } : {}),
      ...(bed.length || v['use-index'] ? { merge: true } : {}),
      ...(v['require-flags'] !== undefined ? { requireFlags: parseFlags(v['require-flags'], '-f') } : {}),
      ...(v['exclude-flags'] !== undefined ? { excludeFlags: parseFlags(v['exclude-flags'], '-F') } : {}),
      ...(v['min-MQ'] !== undefined ? { minMapq: Number(v['min-MQ']) } : {}),
    },
    out: {
      format, header: v['with-header'] === true, ...(v['header-only'] ? { headerOnly: true } : {}), ...(v.count ? { count: true } : {}),
      ...(threads !== undefined ? { threads } : {}),
    },
    ...(threads !== undefined ? { workers: threads === 1 ? 'never' as const : 'always' as const } : {}),
    signal: sink.signal,
  }));
  if (!result) return 0; // the reader of stdout went away
  if (v.explain && result.explain) {
    const e = result.explain;
    let text = `plan: ${e.objects} objects, ${e.requests} requests, ${e.bytes} bytes\n`;
    const headers = e.headerReads;
    if (headers?.ranges.length) {
      text += `header reads (metadata, before planning): ${headers.requests} requests, ${headers.bytes} bytes\n`;
      for (const r of headers.ranges) text += `  ${r.key} bytes=${r.offset}-${r.offset + r.length - 1}\n`;
      text += `data reads: ${e.ranges?.length ?? 0} requests, ${e.bytes - headers.bytes} bytes\n`;
    }
    for (const r of e.ranges ?? []) text += `  ${r.key} bytes=${r.offset}-${r.offset + r.length - 1}\n`;
    for (const n of e.notes ?? []) text += `  note: ${n}\n`;
    ctx.io.stderr.write(text);
  }
  return 0;
}

export const pafQueryCommand: CommandSpec = { ...pafQuerySpec, run };
