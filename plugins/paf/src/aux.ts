/**
 * Optional fields (SAMv1 §1.5, §4.2.4): BAM aux bytes <-> SAM `TG:TYPE:VALUE` text, in the
 * order given, duplicates and unknown tags kept. Text follows samtools view: every integer
 * width prints as `i`, floats as C's `%g`, `B` arrays keep their subtype, `H` is hex text.
 */
import { CorruptDataError, InputError } from '@genolake/core';
import { formatFloat } from './float.js';

const SIZE: Record<string, number> = { c: 1, C: 1, s: 2, S: 2, i: 4, I: 4, f: 4, d: 8, A: 1 };
const latin1 = new TextDecoder('latin1');

function readNumber(dv: DataView, at: number, type: number): number {
  switch (type) {
    case 0x63: return dv.getInt8(at); // c
    case 0x43: return dv.getUint8(at); // C
    case 0x73: return dv.getInt16(at, true); // s
    case 0x53: return dv.getUint16(at, true); // S
    case 0x69: return dv.getInt32(at, true); // i
    case 0x49: return dv.getUint32(at, true); // I
    case 0x66: return dv.getFloat32(at, true); // f
    default: return dv.getFloat64(at, true); // d
  }
}

/** Value width by type byte (0: not fixed-width); a table, as every record's check calls it. */
const SIZE_OF = new Uint8Array(256);
for (const [c, n] of Object.entries(SIZE)) SIZE_OF[c.charCodeAt(0)] = n;

function sizeOf(type: number): number {
  return SIZE_OF[type]!;
}

function fmtNum(v: number, type: number): string {
  return type === 0x66 || type === 0x64 ? formatFloat(v) : String(v);
}

/** Byte length of the aux field starting at `at` (tag + type + value); throws when malformed. */
export function auxFieldLength(aux: Uint8Array, at: number, where: string): number {
  if (at + 3 > aux.length) throw new CorruptDataError(`${where}: truncated aux field at byte ${at}`);
  const type = aux[at + 2]!;
  if (type === 0x5a || type === 0x48) { // Z, H
    const nul = aux.indexOf(0, at + 3);
    if (nul < 0) throw new CorruptDataError(`${where}: unterminated ${String.fromCharCode(type)} aux field at byte ${at}`);
    return nul + 1 - at;
  }
  if (type === 0x42) { // B
    if (at + 8 > aux.length) throw new CorruptDataError(`${where}: truncated B aux field at byte ${at}`);
    const sub = sizeOf(aux[at + 3]!);
    const n = (aux[at + 4]! | (aux[at + 5]! << 8) | (aux[at + 6]! << 16) | (aux[at + 7]! << 24)) >>> 0;
    if (!sub || aux[at + 3] === 0x41 || at + 8 + sub * n > aux.length) throw new CorruptDataError(`${where}: bad B aux array at byte ${at}`);
    return 8 + sub * n;
  }
  const size = sizeOf(type);
  if (!size || at + 3 + size > aux.length) throw new CorruptDataError(`${where}: bad aux type '${String.fromCharCode(type)}' at byte ${at}`);
  return 3 + size;
}

/** SAM text of the aux bytes: fields joined by TAB (without a leading TAB). */
export function formatAux(aux: Uint8Array, where = 'record'): string {
  if (aux.length === 0) return '';
  const dv = new DataView(aux.buffer, aux.byteOffset, aux.byteLength);
  const parts: string[] = [];
  for (let at = 0; at < aux.length;) {
    const len = auxFieldLength(aux, at, where);
    const tag = String.fromCharCode(aux[at]!, aux[at + 1]!);
    const type = aux[at + 2]!;
    if (type === 0x5a || type === 0x48) {
      parts.push(`${tag}:${type === 0x5a ? 'Z' : 'H'}:${latin1.decode(aux.subarray(at + 3, at + len - 1))}`);
    } else if (type === 0x41) {
      parts.push(`${tag}:A:${String.fromCharCode(aux[at + 3]!)}`);
    } else if (type === 0x42) {
      const sub = aux[at + 3]!;
      const size = sizeOf(sub);
      let s = `${tag}:B:${String.fromCharCode(sub)}`;
      for (let p = at + 8; p < at + len; p += size) s += `,${fmtNum(readNumber(dv, p, sub), sub)}`;
      parts.push(s);
    } else {
      parts.push(`${tag}:${type === 0x66 ? 'f' : type === 0x64 ? 'd' : 'i'}:${fmtNum(readNumber(dv, at + 3, type), type)}`);
    }
    at += len;
  }
  return parts.join('\t');
}

/** Finds the first field with `tag`: its byte offset, or -1. */
export function findAux(aux: Uint8Array, tag: string, where = 'record'): number {
  const a = tag.charCodeAt(0), b = tag.charCodeAt(1);
  for (let at = 0; at < aux.length; at += auxFieldLength(aux, at, where)) if (aux[at] === a && aux[at + 1] === b) return at;
  return -1;
}

/** Growable little-endian byte buffer for encoders. */
export class ByteWriter {
  buf = new Uint8Array(256);
  dv = new DataView(this.buf.buffer);
  length = 0;
  ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.dv = new DataView(next.buffer);
  }
  u8(v: number): void { this.ensure(1); this.buf[this.length++] = v; }
  num(v: number, type: number): void {
    const size = sizeOf(type);
    this.ensure(size);
    const at = this.length;
    switch (type) {
      case 0x63: this.dv.setInt8(at, v); break;
      case 0x43: this.dv.setUint8(at, v); break;
      case 0x73: this.dv.setInt16(at, v, true); break;
      case 0x53: this.dv.setUint16(at, v, true); break;
      case 0x69: this.dv.setInt32(at, v, true); break;
      case 0x49: this.dv.setUint32(at, v, true); break;
      case 0x66: this.dv.setFloat32(at, v, true); break;
      default: this.dv.setFloat64(at, v, true);
    }
    this.length += size;
  }
  latin1(s: string): void {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i);
  }
  bytes(b: Uint8Array): void { this.ensure(b.length); this.buf.set(b, this.length); this.length += b.length; }
  take(): Uint8Array { return this.buf.slice(0, this.length); }
}

const INT_RANGE: Record<string, [number, number]> = {
  c: [-128, 127], C: [0, 255], s: [-32768, 32767], S: [0, 65535], i: [-(2 ** 31), 2 ** 31 - 1], I: [0, 2 ** 32 - 1],
};

/** Smallest BAM integer type holding `v`, as htslib chooses for SAM `i` values. */
function intType(v: number): number {
  if (v < 0) return v >= -128 ? 0x63 : v >= -32768 ? 0x73 : 0x69;
  return v <= 255 ? 0x43 : v <= 65535 ? 0x53 : 0x49;
}

function parseInt(text: string, where: string, lenient = false): number {
  // htslib reads `i` values with strtol and ignores what follows the digits; B items are strict.
  const m = lenient ? /^\s*([-+]?\d+)/.exec(text) : /^([-+]?\d+)$/.exec(text);
  if (!m) throw new InputError(`${where}: "${text}" is not an integer`);
  return Number(m[1]);
}

function parseFloat(text: string, where: string): number {
  const v = Number(text);
  if (text.trim() === '' || (Number.isNaN(v) && !/^[-+]?nan$/i.test(text))) {
    if (/^[-+]?inf(inity)?$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    throw new InputError(`${where}: "${text}" is not a number`);
  }
  return v;
}

/** Appends the BAM bytes of one SAM optional field `TG:T:value`. */
export function encodeAuxField(out: ByteWriter, field: string, where: string): void {
  if (field.length < 5 || field[2] !== ':' || field[4] !== ':') throw new InputError(`${where}: bad optional field "${field}"`);
  const tag = field.slice(0, 2);
  const type = field[3]!;
  const value = field.slice(5);
  if (!/^[!-~]{2}$/.test(tag)) throw new InputError(`${where}: bad tag name "${tag}"`);
  out.latin1(tag);
  switch (type) {
    case 'A':
      if (value.length !== 1) throw new InputError(`${where}: ${tag}:A needs one character, got "${value}"`);
      out.u8(0x41);
      out.latin1(value);
      return;
    case 'i': {
      const v = parseInt(value, where, true);
      if (v < -(2 ** 31) || v > 2 ** 32 - 1) throw new InputError(`${where}: ${tag}:i value ${value} is out of range`);
      const t = intType(v);
      out.u8(t);
      out.num(v, t);
      return;
    }
    case 'f':
      out.u8(0x66);
      out.num(parseFloat(value, where), 0x66);
      return;
    case 'Z':
    case 'H':
      if (type === 'H' && !/^([0-9A-Fa-f]{2})*$/.test(value)) throw new InputError(`${where}: ${tag}:H value is not hex pairs`);
      out.u8(type.charCodeAt(0));
      out.latin1(value);
      out.u8(0);
      return;
    case 'B': {
      const items = value.split(',');
      const sub = items[0]!;
      if (!(sub in SIZE) || sub === 'A' || sub === 'd' || sub.length !== 1) throw new InputError(`${where}: ${tag}:B has bad subtype "${sub}"`);
      const subCode = sub.charCodeAt(0);
      const n = items.length - 1;
      out.u8(0x42);
      out.u8(subCode);
      out.num(n, 0x49);
      for (let i = 1; i <= n; i++) {
        if (sub === 'f') out.num(parseFloat(items[i]!, where), subCode);
        else {
          const v = parseInt(items[i]!, where);
          const [lo, hi] = INT_RANGE[sub]!;
          if (v < lo || v > hi) throw new InputError(`${where}: ${tag}:B:${sub} value ${v} is out of range`);
          out.num(v, subCode);
        }
      }
      return;
    }
    default:
      throw new InputError(`${where}: unknown optional field type "${type}" in "${field}"`);
  }
}
