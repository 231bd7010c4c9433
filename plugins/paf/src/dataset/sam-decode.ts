/**
 * Record groups decoded for SAM output. Where a chunk's quality stream is `qualrans` alone,
 * its pages are decoded through `qualRansTextCodec`, which writes SAM text (value + 33)
 * directly, and SamText copies the bytes instead of adding 33 to each (~5% of a region query).
 * Batches decoded that way are remembered here, so SamText (and the BAM-record path it falls
 * back to) know which form their qualities are in; any other batch holds plain values.
 */
import type { ChunkHeader, Codec, CodecRegistry, ColumnBatch } from '@genolake/core';
import { decodeChunkPages } from '@genolake/core';
import { qualRansTextCodec } from '../codecs/qual-rans.js';
import { decodePart, partHeader, type FetchedPart } from './reader.js';

const textQual = new WeakSet<ColumnBatch>();

/** Whether `batch`'s qual column holds SAM text (value + 33; 0x20 for a missing quality). */
export function qualIsText(batch: ColumnBatch): boolean {
  return textQual.has(batch);
}

/** The registry to decode `header`'s chunk with for SAM text: `host`'s, with qualrans decoding to text when only it codes qual. */
function samRegistry(host: CodecRegistry, header: ChunkHeader): CodecRegistry | undefined {
  const qual = header.streams.find((s) => s.name === 'qual');
  if (!qual || !/^qualrans(:[0-9]+)?$/.test(qual.pipeline)) return undefined;
  return { getCodec: (id: string): Codec => (id === 'qualrans' ? qualRansTextCodec : host.getCodec(id)) };
}

/** `decodePart` for SAM output: group `group` of a fetched part. */
export function decodeSamPart(part: FetchedPart, host: CodecRegistry, fields: string[], group?: number): ColumnBatch {
  const header = partHeader(part);
  const registry = samRegistry(host, header);
  const batch = decodePart(part, registry ?? host, fields, group, header);
  if (registry) textQual.add(batch);
  return batch;
}

/** `decodeChunkPages` of one group for SAM output (a worker's job). */
export function decodeSamPages(header: ChunkHeader, pages: Map<string, Uint8Array>, host: CodecRegistry, name: string, fields: string[], group: number): ColumnBatch {
  const registry = samRegistry(host, header);
  const batch = decodeChunkPages(header, pages, registry ?? host, { name, fields, groups: [group] });
  if (registry) textQual.add(batch);
  return batch;
}
