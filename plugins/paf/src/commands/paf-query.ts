/** `genolake paf-query <dataset> [region…]`: samtools view over a paf dataset. */
import { InvalidArgumentError, parseRegion, type QueryRequest } from '@genolake/core';
import { parseArgs } from 'node:util';
import type { CommandSpec } from '@genolake/core/plugin';
import { runQuery } from '../dataset/output.js';
import { parseFlags } from '../driver.js';
import { bedRegions, parse, sinkFor, withSink } from './common.js';

export const pafQueryCommand: CommandSpec = {
  name: 'paf-query',
  summary: 'samtools view over a paf dataset: regions, flags, MAPQ, SAM/BAM/JSON lines',
  help: `Usage: genolake paf-query <dataset-url> [region...] [options]

Regions are samtools-style (chr1, chr1:1000-2000, * for unplaced unmapped reads); a read
matches when its alignment span (from the CIGAR; one base when it covers none or is
unmapped) overlaps. Several regions are answered in turn, as samtools view does without -M
(a record in two overlapping regions is printed twice). A region on an unknown reference is
reported on stderr and skipped, as samtools view does.

Options:
  -h, --with-header        print the header (SAM)
  -H, --header-only        print only the header
  -c, --count              print the number of matching records
  -f, --require-flags F    only records with all of these flags
  -F, --exclude-flags F    no records with any of these flags
  -q, --min-MQ N           only records with MAPQ >= N
  -L, --target-file BED    only records overlapping the BED regions (each once, in order)
  -M, --use-index          answer several regions in one pass, each record once
  -b, --bam                BAM output
  --output-format F        sam (default), bam, jsonl or arrow (an Arrow IPC stream)
  --fields a,b,c           JSON lines or Arrow of only these fields (fetches only their streams)
  -o, --output OUT         a path or object URL (default stdout)
  --version N              read dataset version N
  --explain                print the read plan to stderr and read no data
  --help                   this help
`,
  async run(argv, ctx) {
    const { values: v, positionals } = parse('paf-query', () => parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
      'with-header': { type: 'boolean', short: 'h' }, 'header-only': { type: 'boolean', short: 'H' }, count: { type: 'boolean', short: 'c' },
      'require-flags': { type: 'string', short: 'f' }, 'exclude-flags': { type: 'string', short: 'F' }, 'min-MQ': { type: 'string', short: 'q' },
      'target-file': { type: 'string', short: 'L' }, 'use-index': { type: 'boolean', short: 'M' }, bam: { type: 'boolean', short: 'b' },
      'output-format': { type: 'string' }, fields: { type: 'string' }, output: { type: 'string', short: 'o' }, version: { type: 'string' },
      explain: { type: 'boolean' }, help: { type: 'boolean' },
    } }));
    if (v.help) {
      ctx.io.stdout.write(this.help);
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
      out: { format, header: v['with-header'] === true, ...(v['header-only'] ? { headerOnly: true } : {}), ...(v.count ? { count: true } : {}) },
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    }));
    if (v.explain && result.explain) {
      const e = result.explain;
      let text = `plan: ${e.objects} objects, ${e.requests} requests, ${e.bytes} bytes\n`;
      for (const r of e.ranges ?? []) text += `  ${r.key} bytes=${r.offset}-${r.offset + r.length - 1}\n`;
      for (const n of e.notes ?? []) text += `  note: ${n}\n`;
      ctx.io.stderr.write(text);
    }
    return 0;
  },
};
