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

interface Key { tag0: number; tag1: number; type: number; count: number; bytes: number }

/** Field keys and value spans of a page, in typed arrays (no object per field). */
function split(d: Uint8Array): Uint8Array | undefined {
  const keys = new Map<number, number>();
  const list: Key[] = [];
  let cap = 1024, n = 0;
  let ids = new Uint32Array(cap), starts = new Int32Array(cap), lens = new Int32Array(cap);
  for (let at = 0; at < d.length;) {
    if (at + 3 > d.length) return undefined;
    const type = d[at + 2]!;
    const len = valueLength(d, at + 3, type);
    if (len < 0) return undefined;
    const code = (d[at]! << 16) | (d[at + 1]! << 8) | type;
    let id = keys.get(code);
    if (id === undefined) {
      keys.set(code, (id = list.length));
      list.push({ tag0: d[at]!, tag1: d[at + 1]!, type, count: 0, bytes: 0 });
    }
    const k = list[id]!;
    k.count++;
    k.bytes += len;
    if (n === cap) {
      cap *= 2;
      const grow = <T extends Uint32Array | Int32Array>(a: T, b: T): T => (b.set(a), b);
      ids = grow(ids, new Uint32Array(cap));
      starts = grow(starts, new Int32Array(cap));
      lens = grow(lens, new Int32Array(cap));
    }
    ids[n] = id;
    starts[n] = at + 3;
    lens[n++] = len;
    at += 3 + len;
  }
  const head: number[] = [1];
  putVarint(head, n);
  putVarint(head, list.length);
  for (const k of list) {
    head.push(k.tag0, k.tag1, k.type);
    putVarint(head, k.count);
    putVarint(head, k.bytes);
  }
  let idBytes = 0;
  for (let i = 0; i < n; i++) idBytes += ids[i]! < 128 ? 1 : ids[i]! < 16384 ? 2 : 3;
  const total = list.reduce((t, k) => t + k.bytes, 0);
  const out = new Uint8Array(head.length + idBytes + total);
  out.set(head);
  let w = head.length;
  for (let i = 0; i < n; i++) {
    let v = ids[i]!;
    while (v >= 0x80) {
      out[w++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[w++] = v;
  }
  // Section of each key; fixed-width values as byte planes: byte j of value i at j * count + i.
  const at = new Int32Array(list.length), seen = new Int32Array(list.length), width = new Uint8Array(list.length);
  for (let k = 0; k < list.length; k++) {
    at[k] = w;
    w += list[k]!.bytes;
    width[k] = WIDTH[list[k]!.type]!;
  }
  for (let i = 0; i < n; i++) {
    const k = ids[i]!, from = starts[i]!, wd = width[k]!;
    if (wd) {
      const count = list[k]!.count, o = at[k]! + seen[k]!++;
      for (let j = 0; j < wd; j++) out[o + j * count] = d[from + j]!;
    } else {
      out.set(d.subarray(from, from + lens[i]!), at[k]!);
      at[k]! += lens[i]!;
    }
  }
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
      for (let b = at[k]! + j; b < at[k]! + wd * n; b += n) out[w++] = data[b]!;
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
