/**
 * One entry that sniffs its source (style rule 17): BGZF/gzip is inflated, then "BAM\1" means
 * BAM and anything else is SAM text. Returns a reader with `header` and `batches()`.
 */
import { InputError, type ByteSource } from '@genolake/core';
import { bgzf } from '@genolake/bgzf-tabix';
import { Reader as BamReader } from './bam/reader.js';
import type { Header } from './header.js';
import type { Record } from './record.js';
import { Reader as SamReader } from './sam/reader.js';

export interface AlignmentReader {
  readonly header: Header;
  readonly name: string;
  /** Records read so far. */
  readonly count: number;
  batches(): AsyncGenerator<Record[]>;
}

export interface OpenOptions {
  threads?: number;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

export async function open(source: ByteSource, options: OpenOptions = {}): Promise<AlignmentReader> {
  const inflated = await bgzf.openInflated(source.stream(options.signal ? { signal: options.signal } : {}), 4, { name: source.name, ...options });
  const h = inflated.head;
  if (h[0] === 0x42 && h[1] === 0x41 && h[2] === 0x4d && h[3] === 1) return BamReader.fromInflated(inflated.stream, source.name, options);
  // SAM text starts with a header line ('@') or a read name (printable ASCII): anything else
  // (binary data, /dev/zero) would otherwise be read as one endless line.
  if (h.length > 0 && !(h[0]! >= 0x21 && h[0]! <= 0x7e)) {
    throw new InputError(`${source.name}: not BAM, SAM or gzip/BGZF (first byte 0x${h[0]!.toString(16).padStart(2, '0')})`);
  }
  return SamReader.fromText(inflated.stream, source.name);
}
