/** `genolake bam-to-paf <in.bam|in.sam|-> <dataset>`: convert (or append) alignments into a paf dataset. */
import { AlreadyExistsError, Dataset, InvalidArgumentError, openSource } from '@genolake/core';
import { parseArgs } from 'node:util';
import type { CommandSpec } from '@genolake/core/plugin';
import { convertAlignments } from '../dataset/writer.js';
import { parse } from './common.js';

export const bamToPafCommand: CommandSpec = {
  name: 'bam-to-paf',
  summary: 'convert BAM/SAM (plain or gzip, or - for stdin) into a paf dataset',
  help: `Usage: genolake bam-to-paf <input> <dataset-url> [options]

Input: a BAM, SAM or SAM.gz path or object URL, or - for stdin. Any record order is kept
(coordinate-sorted input gives one run of chunks per reference).

Options:
  --append                 add the input as a new version (same @SQ references required)
  --force                  replace an existing dataset's contents with a new version
  --chunk-records N        records per chunk at most (default 1000000)
  --chunk-bytes N          raw BAM record bytes per chunk at most (default 48 MiB)
  --quality-bins illumina8 lossy: bin base qualities (recorded in the manifest)
  --drop-names             lossy: do not store read names (exported as '*')
  --drop-tags X,Y          lossy: do not store these aux tags
  -h, --help               this help
`,
  async run(argv, ctx) {
    const { values: v, positionals } = parse('bam-to-paf', () => parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
      append: { type: 'boolean' }, force: { type: 'boolean' }, 'chunk-records': { type: 'string' }, 'chunk-bytes': { type: 'string' },
      'quality-bins': { type: 'string' }, 'drop-names': { type: 'boolean' }, 'drop-tags': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    } }));
    if (v.help) {
      ctx.io.stdout.write(this.help);
      return 0;
    }
    if (positionals.length !== 2) throw new InvalidArgumentError('bam-to-paf: expected <input> <dataset-url>');
    const [input, url] = positionals as [string, string];
    const store = await ctx.host.openStore(url, { ...(ctx.env ? { env: ctx.env } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    const existing = await Dataset.latestVersion(store);
    if (existing > 0 && !v.append && !v.force) throw new AlreadyExistsError(`a dataset already exists at ${url} (version ${existing}); use --append or --force`);
    if (existing === 0 && v.append) throw new InvalidArgumentError(`bam-to-paf --append: no dataset at ${url}`);
    const options: Record<string, unknown> = { mode: existing === 0 ? 'create' : v.append ? 'append' : 'replace' };
    if (v['chunk-records'] !== undefined) options.chunkRecords = v['chunk-records'];
    if (v['chunk-bytes'] !== undefined) options.chunkBytes = v['chunk-bytes'];
    if (v['quality-bins'] !== undefined) options.qualityBins = v['quality-bins'];
    if (v['drop-names']) options.dropNames = true;
    if (v['drop-tags'] !== undefined) options.dropTags = v['drop-tags'];
    const source = await openSource(ctx.host, input, { stdin: ctx.io.stdin });
    const r = await convertAlignments({ host: ctx.host, input: source, store, options, log: (m) => void ctx.io.stderr.write(`${m}\n`), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    ctx.io.stdout.write(`${input} -> ${url} (paf): version ${r.version}, ${r.records} records in ${r.chunks} chunks, ${r.bytesWritten} bytes\n`);
    return 0;
  },
};
