/**
 * Builds a key index by streaming a BGZF text object once: splits lines (tracking the virtual
 * offset each starts at and the compressed span that holds it), extracts each line's keys,
 * sorts (key, virtual offset) pairs with bounded memory (sorter.ts), and emits the .gki object
 * as a stream of chunks: header, entry blocks, top table, metadata, trailer.
 */
import { crc32 } from 'node:zlib';
import { readBlocks, virtualOffset } from '../bgzf/index.js';
import { DEFAULT_BLOCK_BYTES, BlockEncoder, encodeTop } from './blocks.js';
import { type KeySpec, KeyExtractor, checkSpec } from './keys.js';
import { HEADER_SIZE, type KeyIndexMeta, encodeHeader, encodeMeta, encodeTrailer } from './layout.js';
import { Sorter } from './sorter.js';

export interface BuildOptions {
  spec: KeySpec;
  /** Data object name, for messages and the metadata. */
  name?: string;
  /** Threads inflating BGZF blocks (default 2). */
  threads?: number;
  /** Sort memory before spilling runs to disk (default 64 MiB). */
  memoryBytes?: number;
  tmpDir?: string;
  /** Target uncompressed bytes per entry block (default 32 KiB). */
  blockBytes?: number;
  onWarning?: (message: string) => void;
}

export interface BuildStats {
  lines: number;
  entries: number;
  distinctKeys: number;
  blocks: number;
  runs: number;
  bytes: number;
  dataSize: number;
}

export class KeyIndexBuilder {
  readonly stats: BuildStats = { lines: 0, entries: 0, distinctKeys: 0, blocks: 0, runs: 0, bytes: 0, dataSize: 0 };

  constructor(private readonly options: BuildOptions) {
    checkSpec(options.spec);
  }

  /** The index object's bytes, in order. `source` is the data object's (compressed) bytes. */
  async *build(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const o = this.options;
    const name = o.name ?? 'input';
    const sorter = new Sorter({ memoryBytes: o.memoryBytes, tmpDir: o.tmpDir });
    try {
      const data = await this.scan(source, sorter, name);
      this.stats.runs = sorter.runCount;
      yield* this.write(sorter, data, name);
    } finally {
      sorter.cleanup();
    }
  }

  /** Pass 1: every line's keys into the sorter. Returns the data object's size and CRC-32. */
  private async scan(source: AsyncIterable<Uint8Array>, sorter: Sorter, name: string): Promise<{ size: number; crc: number }> {
    const o = this.options;
    const extractor = new KeyExtractor(o.spec);
    const meta = o.spec.meta ? o.spec.meta.charCodeAt(0) : -1;
    let size = 0;
    let crc = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of source) {
        size += chunk.length;
        crc = crc32(chunk, crc);
        yield chunk;
      }
    }
    let lineNo = 0;
    let lineV = 0; // virtual offset where the current line starts
    let lineC = 0; // its block's compressed offset
    let spanEnd = 0; // end of the last block holding data seen
    let buf: Uint8Array = new Uint8Array(0); // the bytes keys are taken from
    let vStart = 0;
    let span = 0;
    const where = (): string => `${name}: line ${lineNo}`;
    const emit = (s: number, e: number): void => sorter.add(buf, s, e, vStart, span, where);
    const handle = (bytes: Uint8Array, from: number, to: number, v: number, sp: number): void => {
      lineNo++;
      if (lineNo <= o.spec.skip || to === from || bytes[from] === meta) return;
      buf = bytes;
      vStart = v;
      span = sp;
      extractor.extract(bytes, from, to, emit);
    };
    let carry: Uint8Array[] = [];
    for await (const block of readBlocks(counted(), { name, threads: o.threads ?? 2, onWarning: o.onWarning })) {
      const data = block.data;
      if (data.length === 0) continue;
      const blockEnd = block.coffset + block.size;
      spanEnd = blockEnd;
      let pos = 0;
      for (;;) {
        const nl = data.indexOf(10, pos);
        if (nl < 0) break;
        const sp = blockEnd - lineC;
        let end = nl > pos && data[nl - 1] === 13 ? nl - 1 : nl;
        if (carry.length > 0) {
          carry.push(data.subarray(pos, nl));
          const line = Buffer.concat(carry);
          carry = [];
          end = line.length > 0 && line[line.length - 1] === 13 ? line.length - 1 : line.length;
          handle(line, 0, end, lineV, sp);
        } else handle(data, pos, end, lineV, sp);
        pos = nl + 1;
        if (pos < data.length) {
          lineV = virtualOffset.make(block.coffset, pos);
          lineC = block.coffset;
        } else {
          lineV = virtualOffset.make(blockEnd, 0);
          lineC = blockEnd;
        }
      }
      if (pos < data.length) carry.push(data.subarray(pos));
    }
    if (carry.length > 0) {
      const line = Buffer.concat(carry);
      handle(line, 0, line.length, lineV, spanEnd - lineC);
    }
    this.stats.lines = lineNo;
    this.stats.dataSize = size;
    return { size, crc: crc >>> 0 };
  }

  /** Pass 2: merge the sorted entries into blocks, then the top table, metadata and trailer. */
  private *write(sorter: Sorter, data: { size: number; crc: number }, name: string): Generator<Uint8Array> {
    const o = this.options;
    const header = encodeHeader();
    yield header;
    const enc = new BlockEncoder(HEADER_SIZE, o.blockBytes ?? DEFAULT_BLOCK_BYTES);
    let entries = 0;
    let distinct = 0;
    let prev: Uint8Array | undefined;
    for (const e of sorter.entries()) {
      if (!enc.add(e.key, e.voffset, e.span)) continue;
      entries++;
      if (!prev || !sameBytes(prev, e.key)) {
        distinct++;
        prev = e.key.slice();
      }
      for (const b of enc.take()) yield b;
    }
    enc.finish();
    for (const b of enc.take()) yield b;
    const top = encodeTop(enc.blocks);
    yield top.stored;
    const meta: KeyIndexMeta = {
      formatVersion: 1,
      spec: o.spec,
      data: { name, size: data.size, crc32: data.crc },
      lines: this.stats.lines,
      entries,
      distinctKeys: distinct,
      blockBytes: o.blockBytes ?? DEFAULT_BLOCK_BYTES,
    };
    const metaBytes = encodeMeta(meta);
    yield metaBytes;
    const trailer = encodeTrailer({
      topOffset: enc.end,
      topStored: top.stored.length,
      topRaw: top.raw,
      topCrc: top.crc,
      metaLength: metaBytes.length,
      metaCrc: crc32(metaBytes),
      blockCount: enc.blocks.length,
      entryCount: entries,
    });
    yield trailer;
    Object.assign(this.stats, { entries, distinctKeys: distinct, blocks: enc.blocks.length, bytes: enc.end + top.stored.length + metaBytes.length + trailer.length });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
