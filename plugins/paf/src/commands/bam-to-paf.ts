/** `genolake bam-to-paf <in.bam|in.sam|-> <dataset>`: convert (or append) alignments into a paf dataset. */
import { AlreadyExistsError, Dataset, InvalidArgumentError, openSource } from '@genolake/core';
import { bamToPafSpec } from './specs.js';
import { parseArgs } from 'node:util';
import type { CommandContext, CommandSpec } from '@genolake/core/plugin';
import { convertAlignments } from '../dataset/writer.js';
import { parse } from './common.js';

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  const { values: v, positionals } = parse('bam-to-paf', () => parseArgs({ args: argv, allowPositionals: true, strict: true, options: {
    append: { type: 'boolean' }, force: { type: 'boolean' }, 'chunk-records': { type: 'string' }, 'chunk-bytes': { type: 'string' },
    qualities: { type: 'string' }, 'quality-bins': { type: 'string' }, 'drop-names': { type: 'boolean' }, 'drop-tags': { type: 'string' }, help: { type: 'boolean', short: 'h' },
  } }));
  if (v.help) {
    ctx.io.stdout.write(bamToPafSpec.help);
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
  if (v.qualities !== undefined) options.qualities = v.qualities;
  if (v['quality-bins'] !== undefined) options.qualityBins = v['quality-bins'];
  if (v['drop-names']) options.dropNames = true;
  if (v['drop-tags'] !== undefined) options.dropTags = v['drop-tags'];
  const source = await openSource(ctx.host, input, { stdin: ctx.io.stdin });
  const r = await convertAlignments({ host: ctx.host, input: source, store, options, log: (m) => void ctx.io.stderr.write(`${m}\n`), ...(ctx.signal ? { signal: ctx.signal } : {}) });
  ctx.io.stdout.write(`${input} -> ${url} (paf): version ${r.version}, ${r.records} records in ${r.chunks} chunks, ${r.bytesWritten} bytes\n`);
  return 0;
}

export const bamToPafCommand: CommandSpec = { ...bamToPafSpec, run };
