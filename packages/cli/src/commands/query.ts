/**
 * `genolake query`: records of a dataset by region, filter and projection, formatted by the
 * driver. --explain prints the read plan (objects, requests, bytes, ranges) instead of data.
 */
import { InvalidArgumentError, parseRegion, type PlanExplainReport, type QueryRequest } from '@genolake/core';
import { flag, int, keyValues, list, parseCommand, requirePositionals, str, type Parsed } from '../args.js';
import { formatBytes, write, writeJson } from '../cli-io.js';
import type { CliCommand, Session } from '../command.js';
import { openDatasetStore, openDatasetWithDriver, type MeteredStore } from '../dataset-store.js';
import { outputSink, withOutput } from '../endpoints.js';

export const QUERY_OPTIONS = {
  where: { type: 'string' },
  fields: { type: 'string' },
  samples: { type: 'string' },
  limit: { type: 'string' },
  version: { type: 'string' },
  'output-format': { type: 'string', short: 'F' },
  option: { type: 'string', multiple: true, short: 'O' },
  stats: { type: 'boolean' },
} as const;

const csv = (v: string | undefined): string[] | undefined => (v === undefined ? undefined : v.split(',').map((s) => s.trim()).filter(Boolean));

/** The QueryRequest common to query and export, from the parsed options and region arguments. */
export function buildRequest(p: Parsed, regions: string[], command: string): QueryRequest {
  const req: QueryRequest = {};
  if (regions.length) req.regions = regions.map((r) => parseRegion(r));
  const where = str(p, 'where');
  if (where !== undefined) req.where = where;
  const fields = csv(str(p, 'fields'));
  if (fields) req.fields = fields;
  const samples = csv(str(p, 'samples'));
  if (samples) req.samples = samples;
  const limit = int(p, 'limit', command);
  if (limit !== undefined) req.limit = limit;
  const version = int(p, 'version', command);
  if (version !== undefined) {
    if (version < 1) throw new InvalidArgumentError(`${command}: --version starts at 1`);
    req.version = version;
  }
  const of = str(p, 'output-format');
  if (of !== undefined) req.outputFormat = of;
  const opts = list(p, 'option');
  if (opts.length) req.options = keyValues(opts, command);
  return req;
}

/** `--stats`: what the command cost in requests and bytes, on stderr. */
export async function printStats(session: Session, store: MeteredStore): Promise<void> {
  const m = store.metrics;
  await write(session.io.stderr, `stats: ${m.requests} requests, ${m.bytesRead} bytes read (${formatBytes(m.bytesRead)}), ${m.bytesWritten} bytes written\n`);
}

export const queryCommand: CliCommand = {
  name: 'query',
  summary: 'read records by region, filter and fields',
  help: `Usage: genolake query <dataset-url> [regions...] [options]

Regions are samtools-style, 1-based and inclusive: chr1, chr1:1000-2000, chr1:1000,
{HLA:01}:1-100. Records overlapping any region are printed; no region means all records.

Options:
  --where EXPR            a filter expression the driver understands
  --fields a,b            only these fields (fetches only their streams)
  --samples s1,s2         only these samples (variant formats)
  --limit N               stop after N records
  --version N             read an older version (time travel)
  -F, --output-format F   output format, e.g. bed, jsonl (default: the driver's first)
  -o, --output OUT        write to a path or object URL instead of stdout
  -O, --option k=v        a driver query option (repeatable)
  --explain               print the read plan (objects, requests, bytes, ranges) to stderr
                          and read no data; with --json as JSON on stdout
  --stats                 print requests and bytes read to stderr afterwards
  --json                  with --explain: JSON output
  -h, --help              this help
`,
  async run(argv, session) {
    const p = parseCommand('query', argv, {
      ...QUERY_OPTIONS,
      output: { type: 'string', short: 'o' },
      explain: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [url] = requirePositionals(p, ['dataset-url'], 'query');
    const request = buildRequest(p, p.positionals.slice(1), 'query');
    const explain = flag(p, 'explain');
    if (explain) request.explain = true;
    const store = await openDatasetStore(session, url!, { readOnly: true });
    const { driver } = await openDatasetWithDriver(session, store, request.version);
    if (request.outputFormat !== undefined && !driver.outputFormats.includes(request.outputFormat)) {
      throw new InvalidArgumentError(`query: the ${driver.name} format cannot write "${request.outputFormat}" (it writes ${driver.outputFormats.join(', ')})`);
    }
    const output = await outputSink(session, explain ? '-' : str(p, 'output'));
    const result = await withOutput(output, () =>
      driver.query({
        host: session.host,
        store,
        request,
        output,
        log: (m) => void session.io.stderr.write(`${m}\n`),
        signal: output.signal,
      }),
    );
    if (!result) return 0; // the reader of stdout went away
    if (explain) {
      // A driver planning with record groups reports its chunk-header reads apart (PlanExplainReport).
      const plan: PlanExplainReport = result.explain ?? { objects: 0, requests: 0, bytes: 0 };
      if (flag(p, 'json')) await writeJson(session.io.stdout, plan);
      else {
        let text = `plan: ${plan.objects} objects, ${plan.requests} requests, ${plan.bytes} bytes (${formatBytes(plan.bytes)})\n`;
        const headers = plan.headerReads;
        if (headers?.ranges.length) {
          text += `header reads (metadata, before planning): ${headers.requests} requests, ${headers.bytes} bytes\n`;
          for (const r of headers.ranges) text += `  ${r.key} bytes=${r.offset}-${r.offset + r.length - 1}\n`;
          text += `data reads: ${plan.ranges?.length ?? 0} requests, ${plan.bytes - headers.bytes} bytes\n`;
        }
        for (const r of plan.ranges ?? []) text += `  ${r.key} bytes=${r.offset}-${r.offset + r.length - 1}\n`;
        for (const n of plan.notes ?? []) text += `  note: ${n}\n`;
        await write(session.io.stderr, text);
      }
    }
    if (flag(p, 'stats')) await printStats(session, store);
    return 0;
  },
};
