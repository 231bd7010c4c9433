/**
 * `qualpack`: quality values of few levels packed two bits each, for a general compressor
 * after it (pipeline `qualpack|zstd:1`); pages of more than four values go to `qualrans:4`.
 *
 * Binned qualities (NovaSeq's and most current Illumina runs' four levels) are where a region
 * query spends most: `qualrans:4` decodes one value per rANS step (~4 ns in JavaScript, ~25%
 * of the query; a WebAssembly loop measured only 1.2x faster), while unpacking four values a
 * byte after zstd runs at ~1.4 GB/s, 5.6x faster. The price is size: on the bench qualities
 * 0.78 bits a value against 0.63 (the context model sees runs and neighbours; zstd sees
 * bytes). Measured alternatives: zstd alone on the values 1.16 bits (level 3) to 0.79 (level
 * 19, 3 MB/s to write); two-bit planes 0.80; four-bit packing 0.97; zstd levels 1-8 over the
 * packed bytes 0.78-0.81, level 1 the smallest of the fast ones.
 *
 * Stream: byte mode. Mode 0: varint n, byte K (0-4), the K values by rank (most common
 * first), then ceil(n / 4) bytes when K > 1: value i's rank in bits 2(i mod 4) of byte i / 4,
 * unused bits 0. Mode 1: a `qualrans:4` stream.
 */
import { CorruptDataError, InvalidArgumentError, type Codec } from '@genolake/core';
import { decodeQualRans, encodeQualRans, MAX_VALUES } from './qual-rans.js';
import { putVarint, VarintReader } from './varint.js';

const PACKED = 0, RANS = 1;
/** Decoding writes four values as one word, so the word table is built in this machine's byte order. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

function encode(data: Uint8Array): Uint8Array {
  const count = new Uint32Array(256);
  for (let i = 0; i < data.length; i++) count[data[i]!]!++;
  const values: number[] = [];
  for (let v = 0; v < 256; v++) if (count[v]) values.push(v);
  if (values.length > 4) {
    const rans = encodeQualRans(data, 4);
    const out = new Uint8Array(rans.length + 1);
    out[0] = RANS;
    out.set(rans, 1);
    return out;
  }
  values.sort((a, b) => count[b]! - count[a]! || a - b);
  const head: number[] = [PACKED];
  putVarint(head, data.length);
  head.push(values.length, ...values);
  const bytes = values.length > 1 ? (data.length + 3) >>> 2 : 0;
  const out = new Uint8Array(head.length + bytes);
  out.set(head);
  if (bytes) {
    const rank = new Uint8Array(256);
    values.forEach((v, r) => (rank[v] = r));
    let o = head.length, i = 0;
    for (; i + 3 < data.length; i += 4) {
      out[o++] = rank[data[i]!]! | (rank[data[i + 1]!]! << 2) | (rank[data[i + 2]!]! << 4) | (rank[data[i + 3]!]! << 6);
    }
    let last = 0;
    for (let k = 0; i < data.length; i++, k += 2) last |= rank[data[i]!]! << k;
    if (data.length & 3) out[o] = last;
  }
  return out;
}

/** Per packed byte: its four values (plus `offset`) as one word in memory order, and whether it holds a rank >= K. */
const words = new Uint32Array(256);
const invalid = new Uint8Array(256);

/**
 * `size` bytes, not zeroed (every byte is written after), at a word-aligned offset; a plain
 * Uint8Array. Zeroing a record group's 300 KB of qualities took 10-30 µs of its ~150 µs.
 */
function unzeroed(size: number): Uint8Array {
  const raw = Buffer.allocUnsafe(size);
  return raw.byteOffset & 3 ? new Uint8Array(size) : new Uint8Array(raw.buffer, raw.byteOffset, size);
}

function decode(data: Uint8Array, offset: number): Uint8Array {
  if (data.length === 0) throw new CorruptDataError('codec qualpack: empty stream');
  if (data[0] === RANS) return decodeQualRans(data.subarray(1), 4, offset);
  if (data[0] !== PACKED) throw new CorruptDataError(`codec qualpack: unknown mode ${data[0]}`);
  const r = new VarintReader(data, 1, 'qualpack');
  const n = r.read();
  const k = r.byte();
  if (n > MAX_VALUES || k > 4 || (k === 0) !== (n === 0)) throw new CorruptDataError(`codec qualpack: ${k} values for ${n} qualities`);
  const values = new Uint8Array(4);
  for (let s = 0; s < k; s++) values[s] = (r.byte() + offset) & 0xff;
  const at = r.pos;
  const bytes = k > 1 ? Math.ceil(n / 4) : 0;
  if (data.length - at !== bytes) throw new CorruptDataError(`codec qualpack: ${data.length - at} packed bytes for ${n} qualities, expected ${bytes}`);
  const out = unzeroed(4 * Math.ceil(n / 4));
  if (k <= 1) return out.fill(values[0]!).subarray(0, n);
  for (let b = 0; b < 256; b++) {
    const r0 = b & 3, r1 = (b >> 2) & 3, r2 = (b >> 4) & 3, r3 = b >> 6;
    words[b] = LITTLE_ENDIAN
      ? (values[r0]! | (values[r1]! << 8) | (values[r2]! << 16) | (values[r3]! << 24)) >>> 0
      : ((values[r0]! << 24) | (values[r1]! << 16) | (values[r2]! << 8) | values[r3]!) >>> 0;
    invalid[b] = r0 >= k || r1 >= k || r2 >= k || r3 >= k ? 1 : 0;
  }
  let bad = 0;
  const w = new Uint32Array(out.buffer, out.byteOffset, bytes);
  for (let i = 0; i < bytes; i++) {
    const b = data[at + i]!;
    w[i] = words[b]!;
    bad |= invalid[b]!;
  }
  // Unused bits of the last byte are written as 0: anything else is damage.
  const spare = (4 - (n & 3)) & 3;
  if (bad || (spare && data[data.length - 1]! >>> (8 - 2 * spare))) throw new CorruptDataError(`codec qualpack: a packed value outside the page's ${k} values`);
  return out.subarray(0, n);
}

function checkInput(input: string, param: string | undefined): void {
  if (input !== 'bytes' && input !== 'u8') throw new InvalidArgumentError(`codec qualpack takes bytes, not ${input}`);
  if (param !== undefined) throw new InvalidArgumentError(`codec qualpack takes no parameter, got '${param}'`);
}

export const qualPackCodec: Codec = {
  id: 'qualpack',
  description: 'quality values of up to four levels packed 2 bits each (more levels: qualrans:4)',
  validate: checkInput,
  outputType: () => 'bytes',
  encode: (data) => encode(data),
  decode: (data) => decode(data, 0),
};

/** `qualpack` decoding straight to SAM text (value + 33), as qualRansTextCodec; decode only. */
export const qualPackTextCodec: Codec = {
  ...qualPackCodec,
  description: 'quality values as SAM text (value + 33), decoding only',
  encode: () => {
    throw new InvalidArgumentError('codec qualpack (SAM text variant) only decodes');
  },
  decode: (data) => decode(data, 33),
};
