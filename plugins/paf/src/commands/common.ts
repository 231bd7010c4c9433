/** Shared pieces of the paf commands: option parsing, BED regions, output sinks. */
import { brokenPipeWatch, InputError, InvalidArgumentError, openSink, openSource, type AbortableSink, type Region } from '@genolake/core';
import type { CommandContext } from '@genolake/core/plugin';

/** Runs node:util parseArgs, turning its errors into InvalidArgumentError. */
export function parse<T>(command: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    throw new InvalidArgumentError(`${command}: ${(e as Error).message} (see ${command} --help)`, { cause: e });
  }
}

/** Regions of a BED file (0-based half-open, as BED itself): samtools view -L. */
export async function bedRegions(ctx: CommandContext, path: string): Promise<Region[]> {
  const src = await openSource(ctx.host, path, { stdin: ctx.io.stdin });
  const chunks: Uint8Array[] = [];
  for await (const c of src.stream()) chunks.push(c);
  const regions: Region[] = [];
  Buffer.concat(chunks).toString('latin1').split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line || line.startsWith('#') || line.startsWith('track') || line.startsWith('browser')) return;
    const [contig, s, e] = line.split('\t');
    const start = Number(s), end = e === undefined ? start + 1 : Number(e);
    if (!contig || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) {
      throw new InputError(`${path} line ${i + 1}: expected chrom<TAB>start<TAB>end`);
    }
    regions.push({ contig, start, end });
  });
  return regions;
}

/** An output, and the command's signal, also aborted when the reader of stdout goes away (pass it to the work). */
export type CommandSink = AbortableSink & { signal: AbortSignal; readerGone(): boolean };

export async function sinkFor(ctx: CommandContext, out: string | undefined): Promise<CommandSink> {
  const { signal, onBrokenPipe, readerGone } = brokenPipeWatch(ctx.signal);
  const sink = await openSink(ctx.host, out ?? '-', { stdout: ctx.io.stdout, onBrokenPipe });
  return Object.assign(sink, { signal, readerGone });
}

/**
 * Runs `f` writing into the sink: ends it on success, aborts it on failure. Undefined when
 * `f` stopped because the reader of stdout went away (`… | head`: the query stops, as
 * samtools does on SIGPIPE, instead of decoding the rest for nobody; no failure).
 */
export async function withSink<T>(sink: CommandSink, f: () => Promise<T>): Promise<T | undefined> {
  try {
    const r = await f();
    await sink.end();
    return r;
  } catch (e) {
    await sink.abort(e);
    if (sink.readerGone()) return undefined;
    throw e;
  }
}
