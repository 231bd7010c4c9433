/**
 * `auxsplit`: BAM aux bytes regrouped by tag and type before a general compressor (pipeline
 * `auxsplit|zstd:N`). The aux fields of a page are self-delimiting, so no record boundaries
 * are needed: the stream becomes the sequence of field keys (tag + type, one small id each;
 * records mostly repeat the same list, which zstd folds away) followed by one value section
 * per key. Fixed-width values (A c C s S i I f d) are stored as byte planes (all low bytes,
 * then the next), so small integers become runs of zeros; Z/H text keeps its NUL and B arrays
 * keep their subtype and count. Decoding interleaves the bytes back: the round trip is exact,
 * duplicate and unknown tags included. Bytes that do not parse as aux fields are kept as-is.
 *
 * Stream: byte mode (0: raw bytes follow; 1: split), then for split: varint fields, varint
 * keys, per key (tag0, tag1, type, varint count, varint bytes), the key ids as varints, and
 * the value sections in key order.
 */
import { CorruptDataError, InvalidArgumentError, type Codec } from '@genolake/core';
import { concat, putVarint, VarintReader } from './varint.js';

const WIDTH = new Uint8Array(256);
for (const [c, w] of [['A', 1], ['c', 1], ['C', 1], ['s', 2], ['S', 2], ['i', 4], ['I', 4], ['f', 4], ['d', 8]] as const) WIDTH[c.charCodeAt(0)] = w;
const Z = 0x5a, H = 0x48, B = 0x42;

/** Length of the value at `v` of a field of `type`, or -1 when it does not parse. */
function valueLength(d: Uint8Array, v: number, type: number): number {
  const w = WIDTH[type]!;
  if (w) return v + w <= d.length ? w : -1;
  if (type === Z || type === H) {
    const nul = d.indexOf(0, v);
    return nul < 0 ? -1 : nul + 1 - v;
  }
  if (type === B) {
    if (v + 5 > d.length) return -1;
    const iw = WIDTH[d[v]!]!;
    const n = (d[v + 1]! | (d[v + 2]! << 8) | (d[v + 3]! << 16) | (d[v + 4]! << 24)) >>> 0;
    if (!iw || d[v] === 0x41 || d[v] === 0x64) return -1;
    return v + 5 + n * iw <= d.length ? 5 + n * iw : -1;
  }
  return -1;
}

/** Per field: key id, value start and length; scratch reused between pages (codecs run synchronously per thread). */
let fieldIds = new Uint32Array(0), fieldStarts = new Int32Array(0), fieldLens = new Int32Array(0);

/**
 * Parses the page's fields into the scratch arrays and the per-key lists (code = tag0 << 16 |
 * tag1 << 8 | type, fields, value bytes); the number of fields, or -1 when the bytes do not
 * parse. One loop per function: V8 compiles a long loop on the fly, and code after it that
 * had not run yet then ran in the interpreter on every later call.
 */
function parseFields(d: Uint8Array, codes: number[], count: number[], bytes: number[]): number {
  const n = d.length;
  const ids = fieldIds, starts = fieldStarts, lens = fieldLens;
  const keyOf = new Map<number, number>();
  // The key that followed each key last: records repeat their tag list, so this guess spares
  // most map lookups.
  const follow: number[] = [];
  let nf = 0, prev = -1, first = -1;
  for (let at = 0; at < n;) {
    if (at + 3 > n) return -1;
    const type = d[at + 2]!, v = at + 3;
    let len = WIDTH[type]!;
    if (len) {
      if (v + len > n) return -1;
    } else if (type === Z || type === H) {
      let e = v;
      while (e < n && d[e] !== 0) e++;
      if (e === n) return -1;
      len = e + 1 - v;
    } else if ((len = valueLength(d, v, type)) < 0) return -1;
    const code = (d[at]! << 16) | (d[at + 1]! << 8) | type;
    let id = prev < 0 ? first : follow[prev]!;
    if (id < 0 || codes[id] !== code) {
      id = keyOf.get(code) ?? -1;
      if (id < 0) {
        keyOf.set(code, (id = codes.length));
        codes.push(code);
        count.push(0);
        bytes.push(0);
        follow.push(-1);
      }
      if (prev < 0) first = id;
      else follow[prev] = id;
    }
    count[id]!++;
    bytes[id]! += len;
    ids[nf] = id;
    starts[nf] = v;
    lens[nf++] = len;
    prev = id;
    at = v + len;
  }
  return nf;
}

function idsLength(nf: number): number {
  let n = 0;
  for (let i = 0; i < nf; i++) n += fieldIds[i]! < 128 ? 1 : fieldIds[i]! < 16384 ? 2 : 3;
  return n;
}

/** The key id of each field as a varint, from byte `w` of `out`; returns the end. */
function writeIds(out: Uint8Array, w: number, nf: number): number {
  const ids = fieldIds;
  for (let i = 0; i < nf; i++) {
    let v = ids[i]!;
    while (v >= 0x80) {
      out[w++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[w++] = v;
  }
  return w;
}

/** Each field's value into its key's section (`at`: where each section's next value goes). */
function writeValues(d: Uint8Array, out: Uint8Array, nf: number, at: Int32Array, width: Uint8Array, planes: Int32Array): void {
  const ids = fieldIds, starts = fieldStarts, lens = fieldLens;
  for (let i = 0; i < nf; i++) {
    const k = ids[i]!, from = starts[i]!, wd = width[k]!;
    if (wd) {
      // Fixed width: byte planes, byte j of value i at j * count + i.
      const stride = planes[k]!;
      let o = at[k]!++;
      for (let j = 0; j < wd; j++, o += stride) out[o] = d[from + j]!;
    } else {
      const len = lens[i]!;
      let o = at[k]!;
      // Short values byte by byte: a subarray view per value costs more than the loop.
      if (len < 64) for (let j = from; j < from + len; j++) out[o++] = d[j]!;
      else out.set(d.subarray(from, from + len), o);
      at[k] = at[k]! + len;
    }
  }
}

/** The split stream of a page, or undefined when its bytes do not parse as aux fields. */
function split(d: Uint8Array): Uint8Array | undefined {
  // A field takes at least 4 bytes.
  if (fieldIds.length < (d.length >>> 2) + 1) {
    const n = Math.max((d.length >>> 2) + 1, fieldIds.length * 2);
    fieldIds = new Uint32Array(n);
    fieldStarts = new Int32Array(n);
    fieldLens = new Int32Array(n);
  }
  const codes: number[] = [], count: number[] = [], bytes: number[] = [];
  const nf = parseFields(d, codes, count, bytes);
  if (nf < 0) return undefined;
  const nKeys = codes.length;
  const head: number[] = [1];
  putVarint(head, nf);
  putVarint(head, nKeys);
  let total = 0;
  for (let k = 0; k < nKeys; k++) {
    const c = codes[k]!;
    head.push(c >>> 16, (c >>> 8) & 0xff, c & 0xff);
    putVarint(head, count[k]!);
    putVarint(head, bytes[k]!);
    total += bytes[k]!;
  }
  const out = new Uint8Array(head.length + idsLength(nf) + total);
  out.set(head);
  let w = writeIds(out, head.length, nf);
  const at = new Int32Array(nKeys), width = new Uint8Array(nKeys), planes = new Int32Array(nKeys);
  for (let k = 0; k < nKeys; k++) {
    at[k] = w;
    w += bytes[k]!;
    width[k] = WIDTH[codes[k]! & 0xff]!;
    planes[k] = count[k]!;
  }
  writeValues(d, out, nf, at, width, planes);
  return out;
}

function join(data: Uint8Array): Uint8Array {
  const r = new VarintReader(data, 1, 'auxsplit');
  const fields = r.read(), nKeys = r.read();
  // Per key, in typed arrays: the hot loop below touches no objects.
  const tag0 = new Uint8Array(nKeys), tag1 = new Uint8Array(nKeys), type = new Uint8Array(nKeys), width = new Uint8Array(nKeys);
  const count = new Int32Array(nKeys), at = new Int32Array(nKeys), end = new Int32Array(nKeys), seen = new Int32Array(nKeys);
  let total = 0;
  for (let i = 0; i < nKeys; i++) {
    tag0[i] = r.byte();
    tag1[i] = r.byte();
    type[i] = r.byte();
    width[i] = WIDTH[type[i]!]!;
    count[i] = r.read();
    const bytes = r.read();
    end[i] = bytes; // a length until the sections are placed below
    total += bytes;
  }
  if (fields > data.length) throw new CorruptDataError(`codec auxsplit: ${fields} fields in ${data.length} bytes`);
  const ids = new Uint32Array(fields);
  for (let i = 0; i < fields; i++) {
    const id = r.read();
    if (id >= nKeys) throw new CorruptDataError(`codec auxsplit: key ${id} of ${nKeys}`);
    ids[i] = id;
  }
  let o = r.pos;
  for (let k = 0; k < nKeys; k++) (at[k] = o), (o += end[k]!), (end[k] = o);
  if (o !== data.length) throw new CorruptDataError(`codec auxsplit: sections end at ${o}, stream has ${data.length} bytes`);
  const out = new Uint8Array(3 * fields + total);
  let w = 0;
  for (let i = 0; i < fields; i++) {
    const k = ids[i]!;
    const t = type[k]!;
    out[w++] = tag0[k]!;
    out[w++] = tag1[k]!;
    out[w++] = t;
    const wd = width[k]!;
    if (wd) {
      const n = count[k]!, j = seen[k]!++;
      if (j >= n) throw new CorruptDataError('codec auxsplit: more values than counted');
      // Byte planes: byte i of value j at at + i n + j. Unrolled by width: a loop of 1, 2 or
      // 4 turns mispredicted its exit on most fields.
      const b = at[k]! + j;
      if (wd === 1) out[w++] = data[b]!;
      else if (wd === 2) (out[w] = data[b]!), (out[w + 1] = data[b + n]!), (w += 2);
      else if (wd === 4) (out[w] = data[b]!), (out[w + 1] = data[b + n]!), (out[w + 2] = data[b + 2 * n]!), (out[w + 3] = data[b + 3 * n]!), (w += 4);
      else for (let q = b; q < at[k]! + wd * n; q += n) out[w++] = data[q]!;
    } else if (t === Z || t === H) {
      let v = at[k]!;
      const e = end[k]!;
      while (v < e && data[v] !== 0) out[w++] = data[v++]!;
      if (v === e) throw new CorruptDataError('codec auxsplit: unterminated text value');
      out[w++] = 0;
      at[k] = v + 1;
    } else {
      const len = valueLength(data, at[k]!, t);
      if (len < 0 || at[k]! + len > end[k]!) throw new CorruptDataError('codec auxsplit: bad value');
      out.set(data.subarray(at[k]!, at[k]! + len), w);
      w += len;
      at[k] = at[k]! + len;
    }
  }
  if (w !== out.length) throw new CorruptDataError(`codec auxsplit: rebuilt ${w} of ${out.length} bytes`);
  return out;
}

export const auxSplitCodec: Codec = {
  id: 'auxsplit',
  description: 'BAM aux fields regrouped by tag and type (key ids, then per-key values as byte planes)',
  validate(input, param) {
    if (input !== 'bytes' && input !== 'u8') throw new InvalidArgumentError(`codec auxsplit takes bytes, not ${input}`);
    if (param !== undefined) throw new InvalidArgumentError(`codec auxsplit takes no parameter, got '${param}'`);
  },
  outputType: () => 'bytes',
  encode(data) {
    return split(data) ?? concat([0], data);
  },
  decode(data) {
    if (data.length === 0) throw new CorruptDataError('codec auxsplit: empty stream');
    if (data[0] === 0) return data.slice(1);
    if (data[0] !== 1) throw new CorruptDataError(`codec auxsplit: unknown mode ${data[0]}`);
    return join(data);
  },
};
