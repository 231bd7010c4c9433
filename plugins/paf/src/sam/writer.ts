/**
 * SAM text of records, byte-identical to `samtools view` (htslib 1.16 sam_format1): RNEXT is
 * '=' when the mate is on the same reference, SEQ/QUAL '*' when absent, a CIGAR stored in the
 * CG tag (more than 65535 ops, SAMv1 §4.2.2) is printed in place and the CG tag dropped.
 */
import { formatAux, findAux, auxFieldLength } from '../aux.js';
import { formatCigar } from '../cigar.js';
import { FIXED_LENGTH, type Record } from '../record.js';

const SEQ_CODES = '=ACMGRSVTWYHKDBN';
/** One packed byte -> its two bases as a u16 (first base low). */
const PAIRS = new Uint16Array(256);
for (let b = 0; b < 256; b++) PAIRS[b] = SEQ_CODES.charCodeAt(b >> 4) | (SEQ_CODES.charCodeAt(b & 15) << 8);

let scratch = new Uint8Array(1 << 16);

function grow(n: number): Uint8Array {
  if (scratch.length < n) scratch = new Uint8Array(Math.max(n, scratch.length * 2));
  return scratch;
}

/** Base letters of a record's 4-bit sequence. */
export function formatSeq(bytes: Uint8Array, off: number, n: number): string {
  if (n === 0) return '*';
  const out = grow(n + 1);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const p = PAIRS[bytes[off + (i >> 1)]!]!;
    out[i] = p & 0xff;
    out[i + 1] = p >> 8;
  }
  if (i < n) out[i] = PAIRS[bytes[off + (i >> 1)]!]! & 0xff;
  return Buffer.from(out.buffer, 0, n).toString('latin1');
}

/** Phred+33 text, '*' when absent (first byte 0xff) or the sequence is empty. */
export function formatQual(bytes: Uint8Array, off: number, n: number): string {
  if (n === 0 || bytes[off] === 0xff) return '*';
  const out = grow(n);
  for (let i = 0; i < n; i++) out[i] = bytes[off + i]! + 33;
  return Buffer.from(out.buffer, 0, n).toString('latin1');
}

/** Offset of a CG:B:I field holding the real CIGAR when the stored one is the kS+mN placeholder, else -1. */
export function longCigarTag(rec: Record): number {
  const n = rec.cigarCount;
  if (n === 0 || rec.refId < 0 || rec.pos < 0) return -1;
  const b = rec.bytes, o = rec.cigarOffset;
  const first = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
  if ((first & 15) !== 4 || first >>> 4 !== rec.seqLength) return -1;
  const aux = rec.aux;
  const at = findAux(aux, 'CG');
  if (at < 0 || aux[at + 2] !== 0x42 || aux[at + 3] !== 0x49) return -1;
  return at;
}

/** One SAM line (without its newline); `names` are the reference names of the header. */
export function formatRecord(rec: Record, names: readonly string[]): string {
  const b = rec.bytes;
  const refId = rec.refId, nextRefId = rec.nextRefId, lSeq = rec.seqLength;
  let cigar: string;
  let aux = rec.aux;
  const cg = longCigarTag(rec);
  if (cg >= 0) {
    const n = (aux[cg + 4]! | (aux[cg + 5]! << 8) | (aux[cg + 6]! << 16) | (aux[cg + 7]! << 24)) >>> 0;
    cigar = formatCigar(aux, cg + 8, n);
    const len = auxFieldLength(aux, cg, 'record');
    const rest = new Uint8Array(aux.length - len);
    rest.set(aux.subarray(0, cg));
    rest.set(aux.subarray(cg + len), cg);
    aux = rest;
  } else cigar = formatCigar(b, rec.cigarOffset, rec.cigarCount);
  const rname = refId < 0 ? '*' : names[refId]!;
  const rnext = nextRefId < 0 ? '*' : nextRefId === refId ? '=' : names[nextRefId]!;
  const qname = Buffer.from(b.buffer, b.byteOffset + FIXED_LENGTH, rec.nameLength - 1).toString('latin1');
  let line = `${qname}\t${rec.flag}\t${rname}\t${rec.pos + 1}\t${rec.mapq}\t${cigar}\t${rnext}\t${rec.nextPos + 1}\t${rec.tlen}\t`;
  line += formatSeq(b, rec.seqOffset, lSeq);
  line += '\t';
  line += formatQual(b, rec.qualOffset, lSeq);
  if (aux.length) line += `\t${formatAux(aux, `record ${qname}`)}`;
  return line;
}
