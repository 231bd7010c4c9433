/**
 * nuc2bit: nucleotide text packed 4 bases a byte, exact for ANY byte string.
 *
 * Layout (all numbers unsigned LEB128):
 *   version (1 byte, = 1) | length | caseRuns, then (gap, length) per run
 *   | exceptionRuns, then (gap, length, byte) per run | ceil(length / 4) packed bytes
 * Bytes are first case-folded (a-z -> A-Z); lower-case letters are recorded as runs, which
 * keeps soft-masked reference sequence (long acgt stretches) cheap. Folded bytes other
 * than A, C, G, T are exceptions, run-length coded by value (NNNN... is one run). Every
 * position gets 2 bits, exceptions included (as A), so the packed part is exactly length/4
 * and a sequence with no exceptions costs a few header bytes more than that. Gaps count from
 * the end of the previous run of the same list.
 */
import { CorruptDataError, InvalidArgumentError } from '../../errors.js';
import { noParam } from '../params.js';
import { UvarintReader, uvarintSize, writeUvarint } from '../uvarint.js';
import type { Codec } from '../types.js';

const VERSION = 1;
const EXCEPTION = 4;
const LOWER = 8;
const LETTERS = 'ACGT';

/** Per input byte: 2-bit code of the folded byte | EXCEPTION | LOWER. */
const FLAGS = new Uint8Array(256);
/** Packed byte -> its four ASCII bases as one little-endian u32 (first base lowest). */
const UNPACK = new Uint32Array(256);
for (let b = 0; b < 256; b++) {
  const lower = b >= 0x61 && b <= 0x7a;
  const folded = lower ? b - 0x20 : b;
  const code = LETTERS.indexOf(String.fromCharCode(folded));
  FLAGS[b] = (code < 0 ? EXCEPTION : code) | (lower ? LOWER : 0);
  let word = 0;
  for (let k = 0; k < 4; k++) word |= LETTERS.charCodeAt((b >>> (6 - 2 * k)) & 3) << (8 * k);
  UNPACK[b] = word >>> 0;
}

/** Growable u32 list for run triples (typed storage, doubling). */
class RunList {
  buf = new Uint32Array(48);
  len = 0;
  push3(a: number, b: number, c: number): void {
    if (this.len + 3 > this.buf.length) {
      const next = new Uint32Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = a;
    this.buf[this.len++] = b;
    this.buf[this.len++] = c;
  }
}

function encode(data: Uint8Array): Uint8Array {
  const n = data.length;
  const packed = new Uint8Array((n + 3) >>> 2);
  // Runs as (start, end, byte); the open run is extended in place while contiguous.
  const cases = new RunList();
  const excs = new RunList();
  const full = n & ~3;
  for (let i = 0; i < n; i += 4) {
    if (i < full) {
      const f0 = FLAGS[data[i]!]!;
      const f1 = FLAGS[data[i + 1]!]!;
      const f2 = FLAGS[data[i + 2]!]!;
      const f3 = FLAGS[data[i + 3]!]!;
      packed[i >>> 2] = ((f0 & 3) << 6) | ((f1 & 3) << 4) | ((f2 & 3) << 2) | (f3 & 3);
      if (((f0 | f1 | f2 | f3) & (EXCEPTION | LOWER)) === 0) continue;
    } else {
      let p = 0;
      for (let k = 0; k < 4; k++) p |= i + k < n ? (FLAGS[data[i + k]!]! & 3) << (6 - 2 * k) : 0;
      packed[i >>> 2] = p;
    }
    const end = Math.min(i + 4, n);
    for (let j = i; j < end; j++) {
      const b = data[j]!;
      const f = FLAGS[b]!;
      if (f & LOWER) {
        if (cases.len > 0 && cases.buf[cases.len - 2] === j) cases.buf[cases.len - 2] = j + 1;
        else cases.push3(j, j + 1, 0);
      }
      if (f & EXCEPTION) {
        const folded = f & LOWER ? b - 0x20 : b;
        if (excs.len > 0 && excs.buf[excs.len - 2] === j && excs.buf[excs.len - 1] === folded) excs.buf[excs.len - 2] = j + 1;
        else excs.push3(j, j + 1, folded);
      }
    }
  }
  let header = 1 + uvarintSize(n) + uvarintSize(cases.len / 3) + uvarintSize(excs.len / 3);
  for (let r = 0, last = 0; r < cases.len; r += 3) {
    header += uvarintSize(cases.buf[r]! - last) + uvarintSize(cases.buf[r + 1]! - cases.buf[r]!);
    last = cases.buf[r + 1]!;
  }
  for (let r = 0, last = 0; r < excs.len; r += 3) {
    header += uvarintSize(excs.buf[r]! - last) + uvarintSize(excs.buf[r + 1]! - excs.buf[r]!) + 1;
    last = excs.buf[r + 1]!;
  }
  const out = new Uint8Array(header + packed.length);
  out[0] = VERSION;
  let o = writeUvarint(out, 1, n);
  o = writeUvarint(out, o, cases.len / 3);
  for (let r = 0, last = 0; r < cases.len; r += 3) {
    o = writeUvarint(out, o, cases.buf[r]! - last);
    o = writeUvarint(out, o, cases.buf[r + 1]! - cases.buf[r]!);
    last = cases.buf[r + 1]!;
  }
  o = writeUvarint(out, o, excs.len / 3);
  for (let r = 0, last = 0; r < excs.len; r += 3) {
    o = writeUvarint(out, o, excs.buf[r]! - last);
    o = writeUvarint(out, o, excs.buf[r + 1]! - excs.buf[r]!);
    out[o++] = excs.buf[r + 2]!;
    last = excs.buf[r + 1]!;
  }
  out.set(packed, o);
  return out;
}

/** Reads one run list, checking that runs stay inside [0, n) and in order. */
function readRuns(rd: UvarintReader, n: number, withByte: boolean, list: RunList): void {
  const count = rd.read();
  if (count > n) throw new CorruptDataError(`${rd.what}: ${count} runs for ${n} bases`);
  let last = 0;
  for (let r = 0; r < count; r++) {
    const start = last + rd.read();
    const len = rd.read();
    const end = start + len;
    if (len === 0 || end > n) throw new CorruptDataError(`${rd.what}: run [${start}, ${end}) outside ${n} bases at byte ${rd.pos}`);
    list.push3(start, end, withByte ? rd.byte() : 0);
    last = end;
  }
}

function decode(data: Uint8Array): Uint8Array {
  const rd = new UvarintReader(data, 'codec nuc2bit');
  const version = rd.byte();
  if (version !== VERSION) throw new CorruptDataError(`codec nuc2bit: unknown format version ${version} at byte 0`);
  const n = rd.read();
  const cases = new RunList();
  const excs = new RunList();
  readRuns(rd, n, false, cases);
  readRuns(rd, n, true, excs);
  const packedLen = Math.ceil(n / 4);
  if (data.length - rd.pos !== packedLen) {
    throw new CorruptDataError(`codec nuc2bit: ${n} bases need ${packedLen} packed bytes after byte ${rd.pos}, found ${data.length - rd.pos}`);
  }
  const out = new Uint8Array(n);
  const quads = n >>> 2;
  const words = new Uint32Array(out.buffer, 0, quads);
  const base = rd.pos;
  for (let k = 0; k < quads; k++) words[k] = UNPACK[data[base + k]!]!;
  for (let i = quads * 4; i < n; i++) {
    out[i] = LETTERS.charCodeAt((data[base + (i >>> 2)]! >>> (6 - 2 * (i & 3))) & 3);
  }
  for (let r = 0; r < excs.len; r += 3) out.fill(excs.buf[r + 2]!, excs.buf[r]!, excs.buf[r + 1]!);
  for (let r = 0; r < cases.len; r += 3) {
    for (let i = cases.buf[r]!, e = cases.buf[r + 1]!; i < e; i++) out[i] = out[i]! | 0x20;
  }
  return out;
}

export const nuc2bitCodec: Codec = {
  id: 'nuc2bit',
  description: 'nucleotides 4 per byte, with case runs and exception runs so any bytes round-trip',
  validate(input, param) {
    noParam('nuc2bit', param);
    if (input !== 'bytes' && input !== 'u8') throw new InvalidArgumentError(`codec nuc2bit cannot take ${input} input (bytes of nucleotide letters only)`);
  },
  outputType: () => 'bytes',
  encode: (data) => encode(data),
  decode: (data) => decode(data),
};
