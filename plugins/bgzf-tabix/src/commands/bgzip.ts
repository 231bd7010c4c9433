/**
 * `genolake bgzip`: block compression compatible with htslib's bgzip, with the same options,
 * file naming (adds/strips .gz, refuses to overwrite without -f, removes the input unless -k or
 * -c) and exit codes (0 ok, non-zero with one line on stderr).
 */
import { open, unlink, writeFile, readFile } from 'node:fs/promises';
import { AlreadyExistsError, CorruptDataError, InvalidArgumentError, UnsupportedError } from '@genolake/core';
import type { ByteSink, ByteSource, CommandContext, CommandSpec } from '@genolake/core/plugin';
import { Gzi } from '../bgzf/gzi.js';
import { Reader } from '../bgzf/reader.js';
import { decompressStream, readBlocks } from '../bgzf/stream.js';
import { Writer } from '../bgzf/writer.js';
import { fileSource, streamSource, writableSink } from '../fs.js';
import { type ParsedArgs, intOption, parseArgs, stringOption } from './args.js';
import { reportError } from './report.js';
import { BGZIP } from './specs.js';

const HELP = BGZIP.help;

const OPTIONS = [
  { short: 'b', long: 'offset', value: true },
  { short: 'c', long: 'stdout' },
  { short: 'd', long: 'decompress' },
  { short: 'f', long: 'force' },
  { short: 'g', long: 'rebgzip' },
  { short: 'h', long: 'help' },
  { short: 'i', long: 'index' },
  { short: 'I', long: 'index-name', value: true },
  { short: 'k', long: 'keep' },
  { short: 'l', long: 'compress-level', value: true },
  { short: 'r', long: 'reindex' },
  { short: 's', long: 'size', value: true },
  { short: 't', long: 'test' },
  { short: '@', long: 'threads', value: true },
];

const COMPRESSED_SUFFIXES = ['.gz', '.bgz', '.bgzf'];

interface Settings {
  args: ParsedArgs;
  ctx: CommandContext;
  level: number;
  threads: number;
  force: boolean;
  keep: boolean;
  toStdout: boolean;
  indexName?: string;
}

export const bgzipCommand: CommandSpec = {
  ...BGZIP,
  async run(argv, ctx) {
    try {
      const args = parseArgs('bgzip', argv, OPTIONS);
      if (args.options.has('help')) {
        ctx.io.stdout.write(HELP);
        return 0;
      }
      if (args.options.has('rebgzip')) throw new UnsupportedError('bgzip: -g (rebgzip with an existing index) is not supported');
      const s: Settings = {
        args,
        ctx,
        level: intOption('bgzip', args, 'compress-level', -1, 9) ?? -1,
        threads: intOption('bgzip', args, 'threads', 1, 1024) ?? 1,
        force: args.options.has('force'),
        keep: args.options.has('keep'),
        toStdout: args.options.has('stdout'),
        indexName: stringOption(args, 'index-name'),
      };
      const files = args.positionals.length > 0 ? args.positionals : ['-'];
      let status = 0;
      for (const file of files) {
        try {
          if (args.options.has('reindex')) await reindex(file, s);
          else if (args.options.has('test')) await test(file, s);
          else if (args.options.has('offset') || args.options.has('size')) await readRange(file, s);
          else if (args.options.has('decompress')) await decompress(file, s);
          else await compress(file, s);
        } catch (e) {
          status = reportError('bgzip', ctx.io.stderr, e);
        }
      }
      return status;
    } catch (e) {
      return reportError('bgzip', ctx.io.stderr, e);
    }
  },
};

function inputOf(file: string, s: Settings): ByteSource {
  return file === '-' ? streamSource(s.ctx.io.stdin) : fileSource(file);
}

function stdoutSink(s: Settings): ByteSink {
  return writableSink(s.ctx.io.stdout, '-', false);
}

/** Creates `path` for writing; without -f an existing file is an error, as in bgzip. */
async function createOutput(path: string, force: boolean): Promise<ByteSink> {
  const fh = await open(path, force ? 'w' : 'wx').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST') throw new AlreadyExistsError(`can't create ${path}: file exists (use -f to overwrite)`);
    throw e;
  });
  return writableSink(fh.createWriteStream({ highWaterMark: 1 << 20 }), path);
}

/** Writes a stream to a sink, removing a partially written output file on failure. */
async function pump(chunks: AsyncIterable<Uint8Array>, sink: ByteSink, outPath?: string): Promise<void> {
  try {
    for await (const c of chunks) await sink.write(c);
    await sink.end();
  } catch (e) {
    if (outPath) {
      await sink.end().catch(() => undefined);
      await unlink(outPath).catch(() => undefined);
    }
    throw e;
  }
}

function warn(s: Settings): (m: string) => void {
  return (m) => s.ctx.io.stderr.write(`bgzip: warning: ${m}\n`);
}

async function compress(file: string, s: Settings): Promise<void> {
  const toStdout = s.toStdout || file === '-';
  const out = toStdout ? undefined : `${file}.gz`;
  const gziName = s.indexName ?? (out ? `${out}.gzi` : undefined);
  if (s.args.options.has('index') && !gziName) throw new InvalidArgumentError('index file name expected when writing to stdout (use -I)');
  const sink = out ? await createOutput(out, s.force) : stdoutSink(s);
  const writer = new Writer(sink, { level: s.level, threads: s.threads, gzi: s.args.options.has('index') });
  const source = inputOf(file, s);
  await pump(
    (async function* () {
      for await (const chunk of source.stream()) await writer.write(chunk);
      await writer.end();
    })(),
    sink,
    out,
  );
  if (writer.gzi && gziName) await writeFile(gziName, writer.gzi.encode());
  if (out && !s.keep) await unlink(file);
}

function stripSuffix(file: string): string | undefined {
  const suffix = COMPRESSED_SUFFIXES.find((x) => file.endsWith(x) && file.length > x.length);
  return suffix && file.slice(0, -suffix.length);
}

async function decompress(file: string, s: Settings): Promise<void> {
  const toStdout = s.toStdout || file === '-';
  let out: string | undefined;
  if (!toStdout) {
    out = stripSuffix(file);
    if (!out) throw new InvalidArgumentError(`${file}: unknown suffix (expected ${COMPRESSED_SUFFIXES.join(', ')}) -- ignored`);
  }
  const source = inputOf(file, s);
  // Open the input before creating the output, so a missing input leaves nothing behind.
  await source.size?.();
  const sink = out ? await createOutput(out, s.force) : stdoutSink(s);
  await pump(decompressStream(source.stream(), { name: file, threads: s.threads, onWarning: warn(s) }), sink, out);
  if (out && !s.keep) await unlink(file);
}

async function test(file: string, s: Settings): Promise<void> {
  const source = inputOf(file, s);
  for await (const _ of decompressStream(source.stream(), { name: file, threads: s.threads, onWarning: warn(s) })) {
    // Decompressing checks every header, CRC and size.
  }
}

async function loadGzi(file: string, s: Settings): Promise<Gzi> {
  const name = s.indexName ?? `${file}.gzi`;
  const bytes = await readFile(name).catch((e: NodeJS.ErrnoException) => {
    throw new InvalidArgumentError(`could not load index ${name}: ${e.code === 'ENOENT' ? 'no such file (create it with bgzip -r)' : e.message}`);
  });
  return Gzi.parse(bytes, name);
}

/** -b/-s: a byte range of the uncompressed data, found through the .gzi, to stdout. */
async function readRange(file: string, s: Settings): Promise<void> {
  if (file === '-') throw new InvalidArgumentError('-b/-s need a file, not standard input');
  const offset = intOption('bgzip', s.args, 'offset', 0) ?? 0;
  const size = intOption('bgzip', s.args, 'size', 0);
  const gzi = await loadGzi(file, s);
  const reader = new Reader(fileSource(file), { cacheBlocks: 2 });
  const sink = stdoutSink(s);
  const step = 1 << 20;
  for (let done = 0; size === undefined || done < size; ) {
    const want = size === undefined ? step : Math.min(step, size - done);
    const bytes = await reader.readAt(offset + done, want, gzi);
    if (bytes.length > 0) await sink.write(bytes);
    done += bytes.length;
    if (bytes.length < want) break;
  }
  await sink.end();
}

/** -r: builds the .gzi of an existing BGZF file. */
async function reindex(file: string, s: Settings): Promise<void> {
  const name = s.indexName ?? (file === '-' ? undefined : `${file}.gzi`);
  if (!name) throw new InvalidArgumentError('index file name expected when reading standard input (use -I)');
  const entries: { coffset: number; uoffset: number }[] = [];
  let uoffset = 0;
  try {
    for await (const block of readBlocks(inputOf(file, s).stream(), { name: file, threads: s.threads, onWarning: warn(s) })) {
      // bgzip lists every data block start after the first; the EOF block is not listed.
      if (block.coffset > 0 && block.data.length > 0) entries.push({ coffset: block.coffset, uoffset });
      uoffset += block.data.length;
    }
  } catch (e) {
    if (e instanceof CorruptDataError) throw new CorruptDataError(`${e.message}; is the file gzipped or bgzipped? The latter is required for indexing`, { cause: e });
    throw e;
  }
  await writeFile(name, new Gzi(entries).encode());
}
