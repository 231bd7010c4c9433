/**
 * Random access to a BGZF file through bounded ranged reads: a block at a known compressed
 * offset costs two requests (its header, to learn BSIZE, then exactly the rest of the block),
 * and a run of whole blocks costs one. Works over any ByteSource with `read`, so local files,
 * mem:// objects and (later) HTTP/S3 objects all go through the same code.
 */
import { CorruptDataError, InvalidArgumentError, NotFoundError } from '@genolake/core';
import type { ByteSource } from '@genolake/core/plugin';
import { EOF_BLOCK, HEADER_SIZE, decompressBlock, isEofBlock, parseHeader } from './block.js';
import type { Gzi } from './gzi.js';
import type { Block } from './stream.js';
import * as vo from './virtual-offset.js';

/** The part of a ByteSource random access needs. */
export type RandomSource = Pick<ByteSource, 'name' | 'read' | 'size'>;

export interface ReaderOptions {
  /** Decompressed blocks kept for repeated seeks. Default 16 (about 1 MiB). */
  cacheBlocks?: number;
  signal?: AbortSignal;
}

/** Requests and bytes fetched, for `--explain` and tests. */
export interface ReadStats {
  requests: number;
  bytes: number;
}

export class Reader {
  readonly name: string;
  readonly stats: ReadStats = { requests: 0, bytes: 0 };
  private readonly cache = new Map<number, Block>();
  private readonly cacheBlocks: number;

  constructor(
    private readonly source: RandomSource,
    private readonly options: ReaderOptions = {},
  ) {
    if (!source.read) throw new InvalidArgumentError(`${source.name}: random access needs a seekable source (not stdin)`);
    this.name = source.name;
    this.cacheBlocks = options.cacheBlocks ?? 16;
  }

  /** One bounded read, counted in `stats`. */
  async fetch(offset: number, length: number): Promise<Uint8Array> {
    if (length === 0) return new Uint8Array(0);
    this.stats.requests++;
    const bytes = await this.source.read!(offset, length, this.options.signal);
    this.stats.bytes += bytes.length;
    return bytes;
  }

  /** The block starting at file offset `coffset`. */
  async readBlock(coffset: number): Promise<Block> {
    const block = await this.tryReadBlock(coffset);
    if (!block) throw new CorruptDataError(`${this.name}: no BGZF block at compressed offset ${coffset} (past end of file)`);
    return block;
  }

  /** Like readBlock, but undefined at end of file (a corrupt or truncated block still throws). */
  async tryReadBlock(coffset: number): Promise<Block | undefined> {
    const hit = this.cache.get(coffset);
    if (hit) return hit;
    let head = await this.fetch(coffset, HEADER_SIZE);
    if (head.length === 0) return undefined;
    let header = parseHeader(head, 0, this.name, coffset);
    if (header === undefined && head.length === HEADER_SIZE) {
      // Header with a longer extra field than ours: fetch the whole extra field.
      const xlen = head[10]! | (head[11]! << 8);
      head = concat(head, await this.fetch(coffset + HEADER_SIZE, 12 + xlen - HEADER_SIZE));
      header = parseHeader(head, 0, this.name, coffset);
    }
    if (header === undefined) throw new CorruptDataError(`${this.name}: truncated BGZF block header at compressed offset ${coffset}`);
    if (header === null) throw new CorruptDataError(`${this.name}: gzip member at compressed offset ${coffset} is not a BGZF block`);
    const rest = await this.fetch(coffset + head.length, header.blockSize - head.length);
    const raw = concat(head, rest);
    if (raw.length < header.blockSize) {
      throw new CorruptDataError(`${this.name}: truncated BGZF block at compressed offset ${coffset} (${raw.length} of ${header.blockSize} bytes)`);
    }
    const block: Block = { coffset, size: raw.length, data: await decompressBlock(raw, header, this.name, coffset) };
    this.remember(block);
    return block;
  }

  /**
   * All blocks in `[start, end)` with one request; `start` and `end` must be block boundaries
   * (index chunk starts, gzi entries). Blocks are inflated concurrently.
   */
  async readBlocks(start: number, end: number): Promise<Block[]> {
    const raw = await this.fetch(start, end - start);
    const pending: Promise<Block>[] = [];
    let pos = 0;
    while (pos < raw.length) {
      const coffset = start + pos;
      const header = parseHeader(raw, pos, this.name, coffset);
      if (header === null) throw new CorruptDataError(`${this.name}: gzip member at compressed offset ${coffset} is not a BGZF block`);
      if (header === undefined || raw.length - pos < header.blockSize) {
        throw new CorruptDataError(`${this.name}: truncated BGZF block at compressed offset ${coffset}`);
      }
      const bytes = raw.subarray(pos, pos + header.blockSize);
      pending.push(decompressBlock(bytes, header, this.name, coffset).then((data) => ({ coffset, size: bytes.length, data })));
      pos += header.blockSize;
    }
    if (raw.length < end - start) throw new CorruptDataError(`${this.name}: file ends at ${start + raw.length}, before ${end}`);
    const blocks = await Promise.all(pending);
    for (const b of blocks) this.remember(b);
    return blocks;
  }

  /**
   * The blocks from `start` through the block at `last` with one request of `length` bytes
   * (a span planned by the tabix query): blocks are parsed from the bytes until the one at
   * `last` (`includeLast`) or the one ending at `last` has been seen; the rest is not inflated.
   */
  async readSpan(start: number, length: number, last: number, includeLast: boolean): Promise<Block[]> {
    const raw = await this.fetch(start, length);
    const pending: Promise<Block>[] = [];
    let pos = 0;
    for (;;) {
      const coffset = start + pos;
      if (coffset > last || (coffset === last && !includeLast)) break;
      const header = parseHeader(raw, pos, this.name, coffset);
      if (header === null) throw new CorruptDataError(`${this.name}: gzip member at compressed offset ${coffset} is not a BGZF block`);
      if (header === undefined || raw.length - pos < header.blockSize) {
        throw new CorruptDataError(`${this.name}: truncated BGZF block at compressed offset ${coffset} (file or index is corrupt)`);
      }
      const bytes = raw.subarray(pos, pos + header.blockSize);
      const hit = this.cache.get(coffset);
      pending.push(hit ? Promise.resolve(hit) : decompressBlock(bytes, header, this.name, coffset).then((data) => ({ coffset, size: bytes.length, data })));
      pos += header.blockSize;
    }
    const blocks = await Promise.all(pending);
    for (const b of blocks) this.remember(b);
    return blocks;
  }

  /** `length` uncompressed bytes starting at virtual offset `voffset` (fewer at end of file). */
  async read(voffset: vo.VirtualOffset, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(voffset) || voffset < 0) throw new InvalidArgumentError(`${this.name}: bad virtual offset ${voffset}`);
    const first = await this.tryReadBlock(vo.coffset(voffset));
    if (first && vo.uoffset(voffset) > first.data.length) {
      throw new InvalidArgumentError(`${this.name}: virtual offset ${vo.format(voffset)} is past the end of its block (a corrupt index?)`);
    }
    return this.readFrom(vo.coffset(voffset), vo.uoffset(voffset), length, first);
  }

  /** `length` bytes from uncompressed offset `offset`, located through a `.gzi` index. */
  async readAt(offset: number, length: number, gzi: Gzi): Promise<Uint8Array> {
    const entry = gzi.locate(offset);
    return this.readFrom(entry.coffset, offset - entry.uoffset, length);
  }

  /** Skips `skip` uncompressed bytes from the block at `coffset` (across blocks), then reads. */
  private async readFrom(coffset: number, skip: number, length: number, first?: Block): Promise<Uint8Array> {
    if (!Number.isSafeInteger(length) || length < 0) throw new InvalidArgumentError(`${this.name}: bad read length ${length}`);
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const block = first ?? (await this.tryReadBlock(coffset));
      first = undefined;
      if (!block) break;
      if (skip >= block.data.length) {
        skip -= block.data.length;
      } else {
        const n = Math.min(length - filled, block.data.length - skip);
        out.set(block.data.subarray(skip, skip + n), filled);
        filled += n;
        skip = 0;
      }
      coffset += block.size;
    }
    return out.subarray(0, filled);
  }

  /** True when the file ends with the standard EOF block (one bounded read of 28 bytes). */
  async hasEofBlock(): Promise<boolean> {
    const size = await this.source.size?.();
    if (size === undefined) throw new NotFoundError(`${this.name}: size unknown, cannot check the EOF block`);
    if (size < EOF_BLOCK.length) return false;
    return isEofBlock(await this.fetch(size - EOF_BLOCK.length, EOF_BLOCK.length));
  }

  private remember(block: Block): void {
    if (this.cacheBlocks <= 0) return;
    this.cache.delete(block.coffset);
    this.cache.set(block.coffset, block);
    if (this.cache.size > this.cacheBlocks) this.cache.delete(this.cache.keys().next().value!);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
