/**
 * The chunk schema of paf datasets (docs/formats/paf.md): one CARGO stream (or two, for
 * lengths) per BAM field, each with the codec pipeline that measured smallest. The reference
 * id is not a column: a chunk holds one reference (its partition), recorded in `extra.refId`.
 */
import { defineSchema, InvalidArgumentError, t, type RecordSchema } from '@genolake/core';

export const FORMAT = 'paf';
export const FORMAT_VERSION = '1';

/**
 * Quality stream pipelines a writer may choose (`qualities` option, bam-to-paf --qualities):
 * `fast` decodes binned qualities 5.6x faster, `small` stores them ~20% smaller (measured in
 * codecs/qual-pack.ts and docs/formats/paf.md); data of more than four levels is coded the
 * same way by both.
 */
export const QUALITY_PIPELINES = { fast: 'qualpack|zstd:1', small: 'qualrans:4' } as const;
export type Qualities = keyof typeof QUALITY_PIPELINES;

function schemaWith(qual: string): RecordSchema {
  return defineSchema(
    {
      // Read names as tokens against the previous name (name-tok.ts); chunks before it: zstd:5.
      name: t.string().codec('nametok'),
      flag: t.uint16().codec('zstd:3'),
      // Sorted positions: deltas are small non-negative numbers, a byte each before zstd.
      pos: t.int32().codec('delta|zigzag|varint|zstd:3'),
      // Reference bases covered (0 for no M/D/N/=/X): lets a region filter skip the CIGAR stream.
      span: t.uint32().codec('varint|zstd:3'),
      mapq: t.uint8().codec('zstd:3'),
      // Packed BAM ops (length << 4 | op); > 65535 ops stay as the kS+mN placeholder plus CG tag.
      cigar: t.list(t.uint32().codec('varint|zstd:3')).codec('varint|zstd:3'),
      nextRefId: t.int32().codec('zigzag|varint|zstd:3'),
      // Mate position and TLEN, relative to pos when the mate is on the same reference (mates.ts).
      nextPos: t.int32().codec('zigzag|varint|zstd:3'),
      tlen: t.int32().codec('zigzag|varint|zstd:3'),
      // Base letters (=ACMGRSVTWYHKDBN). Letters, not 2-bit codes: zstd finds the overlaps of
      // sorted reads as byte matches (measured in docs/formats/paf.md).
      seq: t.bytes().codec('zstd:5').lengthCodec('varint|zstd:3'),
      // Phred values (QUALITY_PIPELINES); a read without qualities stores l_seq bytes of 0xff.
      qual: t.bytes().codec(qual).lengthCodec('varint|zstd:3'),
      // BAM aux bytes, in order (duplicate and unknown tags kept), regrouped per tag and type.
      aux: t.bytes().codec('auxsplit|zstd:4').lengthCodec('varint|zstd:3'),
    },
    { name: 'paf-alignments' },
  );
}

/** The schema new chunks are written with by default (qualities `fast`). */
export const pafSchema = schemaWith(QUALITY_PIPELINES.fast);
const smallSchema = schemaWith(QUALITY_PIPELINES.small);

/** The chunk schema for a `qualities` choice. */
export function schemaFor(qualities: Qualities): RecordSchema {
  return qualities === 'small' ? smallSchema : pafSchema;
}

/** The `qualities` option: 'fast' (default) or 'small'. */
export function parseQualities(v: unknown): Qualities {
  if (v === undefined || v === 'fast' || v === 'small') return v ?? 'fast';
  throw new InvalidArgumentError(`qualities must be 'fast' or 'small', got '${String(v)}'`);
}

export const FIELDS = Object.keys(pafSchema.fields);
/** Streams a region filter needs besides the requested fields. */
export const REGION_FIELDS = ['pos', 'span'];
