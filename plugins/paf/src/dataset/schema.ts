/**
 * The chunk schema of paf datasets (docs/formats/paf.md): one CARGO stream (or two, for
 * lengths) per BAM field, each with the codec pipeline that measured smallest. The reference
 * id is not a column: a chunk holds one reference (its partition), recorded in `extra.refId`.
 */
import { defineSchema, t } from '@genolake/core';

export const FORMAT = 'paf';
export const FORMAT_VERSION = '1';

export const pafSchema = defineSchema(
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
    // Phred values: up to four levels (binned) packed 2 bits each, more through the context
    // model + rANS (qual-pack.ts); a read without qualities stores l_seq bytes of 0xff.
    qual: t.bytes().codec('qualpack|zstd:1').lengthCodec('varint|zstd:3'),
    // BAM aux bytes, in order (duplicate and unknown tags kept), regrouped per tag and type.
    aux: t.bytes().codec('auxsplit|zstd:4').lengthCodec('varint|zstd:3'),
  },
  { name: 'paf-alignments' },
);

export const FIELDS = Object.keys(pafSchema.fields);
/** Streams a region filter needs besides the requested fields. */
export const REGION_FIELDS = ['pos', 'span'];
