/** `genolake paf-to-bam <dataset> <out.bam> [region…]`: a BAM that samtools reads. */
import { InvalidArgumentError, parseRegion, type QueryRequest } from '@genolake/core';
import { pafToBamSpec } from './specs.js';
import { parseArgs } from 'node:util';
import type { CommandContext, CommandSpec } from '@genolake/core/plugin';
import { runQuery } from '../dataset/output.js';
import { parse, sinkFor, withSink } from './common.js';

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { values: v, positionals } = parse('paf-to-bam', () => parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
    threads: { type: 'string', short: '@' }, index: { type: 'boolean' }, version: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  } }));
  if (v.help) {
    ctx.io.stdout.write(pafToBamSpec.help);
    return 0;
  }
  const [url, out, ...regionArgs] = positionals;
  if (!url || !out) throw new InvalidArgumentError('paf-to-bam: expected <dataset-url> <out.bam> [region...]');
  if (v.index && out === '-') throw new InvalidArgumentError('paf-to-bam --index: the BAM must go to a file or object URL, not stdout');
  const store = await ctx.host.openStore(url, { readOnly: true, ...(ctx.env ? { env: ctx.env } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  const request: QueryRequest = {};
  if (regionArgs.length) request.regions = regionArgs.map((r) => (r === '*' ? { contig: '*', start: 0, end: Infinity } : parseRegion(r)));
  if (v.version !== undefined) request.version = Number(v.version);
  const threads = v.threads === undefined ? 2 : Number(v.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new InvalidArgumentError(`paf-to-bam: bad thread count "${v.threads}"`);
  const sink = await sinkFor(ctx, out);
  const result = await withSink(sink, () => runQuery({
    host: ctx.host, store, output: sink, request, regionText: regionArgs, warn: (m) => void ctx.io.stderr.write(`${m}\n`),
    scan: { ...(request.regions ? { regions: request.regions } : {}) },
    out: { format: 'bam', threads, ...(v.index ? { index: true } : {}) }, signal: sink.signal,
  }));
  if (!result) return 0; // the reader of stdout went away
  // Written after the BAM is complete, so the index is never older than its BAM (htslib warns).
  if (result.bai) {
    const bai = await sinkFor(ctx, `${out}.bai`);
    await withSink(bai, () => bai.write(result.bai!));
  }
  return 0;
}

export const pafToBamCommand: CommandSpec = { ...pafToBamSpec, run };
