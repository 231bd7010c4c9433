/** `genolake export`: a dataset (or its regions) back to a legacy format file. */
import { InvalidArgumentError, UnsupportedError } from '@genolake/core';
import { flag, parseCommand, requirePositionals } from '../args.js';
import type { CliCommand } from '../command.js';
import { openDatasetStore, openDatasetWithDriver } from '../dataset-store.js';
import { outputSink, withOutput } from '../endpoints.js';
import { buildRequest, printStats, QUERY_OPTIONS } from './query.js';

/** The output format: --output-format, else the output name's suffix, else the driver's first. */
export function chooseOutputFormat(output: string, formats: readonly string[], explicit?: string): string {
  if (explicit !== undefined) return explicit;
  const lower = output.toLowerCase();
  // a compressed format named by its whole suffix first (vcf.gz), then the suffix without .gz
  const longestFirst = [...formats].sort((a, b) => b.length - a.length);
  const exact = longestFirst.find((f) => lower.endsWith(`.${f.toLowerCase()}`));
  if (exact) return exact;
  const name = lower.replace(/\.(gz|bgz)$/, '');
  const bySuffix = longestFirst.find((f) => name.endsWith(`.${f.toLowerCase()}`));
  return bySuffix ?? formats[0] ?? 'text';
}

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'write a dataset (or regions of it) back to a file format',
  help: `Usage: genolake export <dataset-url> <output> [regions...] [options]

Writes the records (all, or those overlapping the regions) to <output>: a path, an object
URL, or - for stdout. The format comes from --output-format, else the output's suffix
(.bed, .sam, .vcf, ...), else the driver's default.

Options:
  -F, --output-format F   output format
  --where EXPR            filter expression
  --fields a,b            only these fields (when the format allows)
  --samples s1,s2         only these samples
  --limit N               stop after N records
  --version N             export an older version
  -O, --option k=v        a driver export option (repeatable)
  --stats                 print requests and bytes read to stderr afterwards
  -h, --help              this help
`,
  async run(argv, session) {
    const p = parseCommand('export', argv, { ...QUERY_OPTIONS });
    const [url, output] = requirePositionals(p, ['dataset-url', 'output'], 'export');
    const request = buildRequest(p, p.positionals.slice(2), 'export');
    const store = await openDatasetStore(session, url!, { readOnly: true });
    const { driver } = await openDatasetWithDriver(session, store, request.version);
    if (!driver.export) throw new UnsupportedError(`the ${driver.name} format has no export; use genolake query instead`);
    const format = chooseOutputFormat(output!, driver.outputFormats, request.outputFormat);
    if (!driver.outputFormats.includes(format)) {
      throw new InvalidArgumentError(`export: the ${driver.name} format cannot write "${format}" (it writes ${driver.outputFormats.join(', ')})`);
    }
    request.outputFormat = format;
    const sink = await outputSink(session, output);
    const exportTo = driver.export.bind(driver);
    await withOutput(sink, () =>
      exportTo({
        host: session.host,
        store,
        output: sink,
        format,
        request,
        log: (m) => void session.io.stderr.write(`${m}\n`),
        signal: sink.signal,
      }),
    );
    if (sink.readerGone()) return 0;
    if (flag(p, 'stats')) await printStats(session, store);
    return 0;
  },
};
