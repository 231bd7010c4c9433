/**
 * Record groups decoded for SAM output. Where a chunk's quality values come out of `qualpack`
 * or `qualrans` (the first stage of the qual pipeline), its pages are decoded through their
 * text variants, which write SAM text (value + 33) directly, and SamText copies the bytes
 * instead of adding 33 to each (~5% of a region query).
 * Batches decoded that way are remembered here, so SamText (and the BAM-record path it falls
 * back to) know which form their qualities are in; any other batch holds plain values.
 */
import type { ChunkHeader, Codec, CodecRegistry, ColumnBatch } from '@genolake/core';
import { decodeChunkPages } from '@genolake/core';
import { qualPackTextCodec } from '../codecs/qual-pack.js';
import { qualRansTextCodec } from '../codecs/qual-rans.js';
import { decodePart, partHeader, type FetchedPart } from './reader.js';

const textQual = new WeakSet<ColumnBatch>();

/** Whether `batch`'s qual column holds SAM text (value + 33; 0x20 for a missing quality). */
export function qualIsText(batch: ColumnBatch): boolean {
  return textQual.has(batch);
}

/** Quality codecs whose values are the column's, by id, and their SAM text variants. */
const TEXT = new Map<string, Codec>([['qualpack', qualPackTextCodec], ['qualrans', qualRansTextCodec]]);

/**
 * The registry to decode `header`'s chunk with for SAM text: `host`'s, with the codec that
 * makes the qual column's values (the pipeline's first stage, decoded last) decoding to text,
 * when it has a text variant; undefined otherwise.
 */
function samRegistry(host: CodecRegistry, header: ChunkHeader): CodecRegistry | undefined {
  const qual = header.streams.find((s) => s.name === 'qual');
  const id = qual?.pipeline.split('|')[0]!.split(':')[0]!;
  const text = id === undefined ? undefined : TEXT.get(id);
  if (!text || qual!.pipeline.split('|').slice(1).some((s) => s.split(':')[0] === id)) return undefined;
  return { getCodec: (c: string): Codec => (c === id ? text : host.getCodec(c)) };
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
