/**
 * `genolake keyindex`: a .gki key index on one column (or one GFF/GTF attribute) of a BGZF
 * text object, and exact or prefix lookups through it. A separate command rather than tabix
 * options: tabix's options all describe coordinates, and a key lookup shares none of them.
 * FILE, -o and -x take a path or any store URL the host serves; lookups read by bounded ranges.
 */
import {
  AlreadyExistsError, type Host, InvalidArgumentError, NotFoundError, type ObjectStore, openSink, openSource, resolveObjectUrl,
} from '@genolake/core';
import type { CommandSpec } from '@genolake/core/plugin';
import { writableSink } from '../fs.js';
import { KeyIndexBuilder } from '../keyindex/builder.js';
import { KeyIndex, type PlannedRead } from '../keyindex/lookup.js';
import { intOption, parseArgs, stringOption } from './args.js';
import { envOf, reportError } from './report.js';
import { KEYINDEX } from './specs.js';

const HELP = KEYINDEX.help;

const OPTIONS = [
  { short: 'c', long: 'column', value: true },
  { short: 'a', long: 'attr', value: true },
  { short: 'S', long: 'skip-lines', value: true },
  { short: 'C', long: 'comment', value: true },
  { short: 'o', long: 'output', value: true },
  { short: 'f', long: 'force' },
  { short: 'm', long: 'memory', value: true },
  { short: '@', long: 'threads', value: true },
  { short: 'p', long: 'prefix' },
  { short: 'i', long: 'ignore-case' },
  { short: 'x', long: 'index', value: true },
  { long: 'explain' },
  { long: 'help' },
];

export const keyindexCommand: CommandSpec = {
  ...KEYINDEX,
  async run(argv, ctx) {
    try {
      const [sub, ...rest] = argv;
      if (sub === undefined || sub === '--help' || sub === '-h') {
        ctx.io.stdout.write(HELP);
        return sub === undefined ? 1 : 0;
      }
      if (sub !== 'build' && sub !== 'query') throw new InvalidArgumentError(`keyindex: unknown subcommand "${sub}" (build, query)`);
      const args = parseArgs(`keyindex ${sub}`, rest, OPTIONS);
      if (args.options.has('help')) {
        ctx.io.stdout.write(HELP);
        return 0;
      }
      const [file, ...keys] = args.positionals;
      if (!file) throw new InvalidArgumentError(`keyindex ${sub}: FILE is missing (see keyindex --help)`);
      if (sub === 'build') {
        if (keys.length > 0) throw new InvalidArgumentError(`keyindex build: one FILE expected, got also ${keys.join(' ')}`);
        const attr = stringOption(args, 'attr');
        const out = stringOption(args, 'output') ?? `${file}.gki`;
        if (!args.options.has('force') && (await exists(ctx.host, out))) throw new AlreadyExistsError(`keyindex: the index file ${out} exists; use -f to overwrite`);
        const source = await openSource(ctx.host, file, { storeOptions: { readOnly: true, ...envOf(ctx) } });
        const builder = new KeyIndexBuilder({
          spec: {
            column: intOption('keyindex', args, 'column', 1) ?? (attr ? 9 : 1),
            ...(attr !== undefined ? { attr } : {}),
            skip: intOption('keyindex', args, 'skip-lines', 0) ?? 0,
            meta: stringOption(args, 'comment') ?? '#',
          },
          name: file,
          threads: intOption('keyindex', args, 'threads', 1, 1024),
          memoryBytes: (intOption('keyindex', args, 'memory', 1, 1 << 20) ?? 64) << 20,
          onWarning: (m) => ctx.io.stderr.write(`keyindex: warning: ${m}\n`),
        });
        const sink = await openSink(ctx.host, out, { storeOptions: envOf(ctx) });
        try {
          for await (const chunk of builder.build(source.stream())) await sink.write(chunk);
        } catch (e) {
          await sink.abort(e);
          throw e;
        }
        await sink.end();
        return 0;
      }
      if (keys.length === 0) throw new InvalidArgumentError('keyindex query: give at least one KEY');
      const { store, key } = await resolveObjectUrl(ctx.host, file, { readOnly: true, ...envOf(ctx) });
      const indexUrl = stringOption(args, 'index');
      const index = indexUrl ? await resolveObjectUrl(ctx.host, indexUrl, { readOnly: true, ...envOf(ctx) }) : undefined;
      const ki = await KeyIndex.open(store, key, index);
      const opts = { prefix: args.options.has('prefix'), ignoreCase: args.options.has('ignore-case') };
      if (args.options.has('explain')) {
        const plan = await ki.plan(keys, opts);
        ctx.io.stderr.write(formatExplain(ki, plan.matches.length, plan.dataReads));
      }
      const sink = writableSink(ctx.io.stdout, '-', false);
      const NL = Buffer.from('\n');
      for await (const line of ki.query(keys, opts)) await sink.write(Buffer.concat([line, NL]));
      if (args.options.has('explain')) ctx.io.stderr.write(`explain: done: ${ki.stats.requests} requests, ${ki.stats.bytes} bytes\n`);
      return 0;
    } catch (e) {
      return reportError('keyindex', ctx.io.stderr, e);
    }
  },
};

/** The reads of a lookup: heads, the index reads made, the data reads planned, then totals. */
function formatExplain(ki: KeyIndex, lines: number, data: PlannedRead[]): string {
  const fmt = (r: PlannedRead): string => `explain: ${r.key}: get offset ${r.offset} length ${r.length} (${r.what})`;
  const out = [`explain: head ${ki.indexKey} (${ki.indexSize} bytes), head ${ki.dataKey} (${ki.dataSize} bytes)`];
  out.push(...ki.indexReads.map(fmt), ...data.map(fmt));
  const bytes = ki.indexReads.reduce((n, r) => n + r.length, 0) + data.reduce((n, r) => n + r.length, 0);
  out.push(`explain: ${lines} lines; total: ${2 + ki.indexReads.length + data.length} requests, ${bytes} bytes`);
  return `${out.join('\n')}\n`;
}

async function exists(host: Host, url: string): Promise<boolean> {
  const { store, key }: { store: ObjectStore; key: string } = await resolveObjectUrl(host, url, { readOnly: true });
  return store.head(key).then(
    () => true,
    (e: unknown) => {
      if (e instanceof NotFoundError) return false;
      throw e;
    },
  );
}
