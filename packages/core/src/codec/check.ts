/**
 * The registration self-check (style rule 18): before a codec joins a registry it must
 * round-trip sample data for every element type it accepts, including empty input, and
 * return Uint8Arrays. A broken codec then fails when it is registered, not mid-conversion.
 */
import { InvalidArgumentError } from '../errors.js';
import { ELEMENT_TYPES, elementWidth } from './element-type.js';
import type { Codec, ElementType } from './types.js';

/** Deterministic sample bytes: nucleotide-like text for 'bytes', mixed magnitudes otherwise. */
export function sampleData(type: ElementType, length = 512): Uint8Array {
  const out = new Uint8Array(length - (length % elementWidth(type)));
  let s = 0x9e3779b9;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  if (type === 'bytes' || type === 'u8') {
    const text = 'ACGTACGTNNacgtRYACGT\n\0\xff';
    for (let i = 0; i < out.length; i++) out[i] = text.charCodeAt(next() % text.length);
    return out;
  }
  // Half small values, half full-width noise, so varint sees 1..max byte encodings.
  for (let i = 0; i < out.length; i++) out[i] = i % 16 < 8 ? next() & 0xff : (i % elementWidth(type) === 0 ? next() & 0x0f : 0);
  if (type === 'f32' || type === 'f64') {
    const view = new DataView(out.buffer);
    const w = elementWidth(type);
    for (let i = 0; i + w <= out.length; i += w) {
      if (w === 4) view.setFloat32(i, (next() % 10000) / 7, true);
      else view.setFloat64(i, (next() % 10000) / 7, true);
    }
  }
  return out;
}

function acceptedTypes(codec: Codec): ElementType[] {
  return ELEMENT_TYPES.filter((t) => {
    try {
      codec.validate?.(t, undefined);
      return true;
    } catch {
      return false;
    }
  });
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws InvalidArgumentError naming the codec unless it round-trips sample data. */
export function checkCodec(codec: Codec): void {
  const id = (codec as { id?: unknown }).id;
  if (typeof id !== 'string' || typeof codec.encode !== 'function' || typeof codec.decode !== 'function') {
    throw new InvalidArgumentError(`codec ${String(id)} is not a codec: expected { id, encode(), decode() }`);
  }
  const types = acceptedTypes(codec);
  if (types.length === 0) throw new InvalidArgumentError(`codec ${id} accepts no element type without a parameter`);
  for (const type of types) {
    for (const sample of [sampleData(type), new Uint8Array(0)]) {
      let why: string | undefined;
      let cause: unknown;
      try {
        const encoded = codec.encode(sample.slice(), { type });
        if (!(encoded instanceof Uint8Array)) why = 'encode did not return a Uint8Array';
        else {
          const decoded = codec.decode(encoded.slice(), { type });
          if (!(decoded instanceof Uint8Array)) why = 'decode did not return a Uint8Array';
          else if (!sameBytes(decoded, sample)) why = `round trip changed the data (${sample.length} bytes in, ${decoded.length} out)`;
        }
      } catch (e) {
        why = `threw ${e instanceof Error ? e.message : String(e)}`;
        cause = e;
      }
      if (why !== undefined) {
        throw new InvalidArgumentError(
          `codec ${id} failed its registration self-check on ${sample.length} bytes of ${type}: ${why}`,
          { cause },
        );
      }
    }
  }
}
