/**
 * describeCodec: the conformance suite every codec (built-in or third-party) runs on itself.
 * It checks, per accepted element type and parameter: round trips of random and structured
 * data (small integers, sorted runs, nucleotide text), empty input, deterministic output,
 * and that decoding damaged bytes finishes quickly with either bytes or a CorruptDataError.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CorruptDataError, ELEMENT_TYPES, elementWidth } from '@genolake/core';
import type { Codec, ElementType } from '@genolake/core';

export interface DescribeCodecOptions {
  /** Element types to test; default: every type `validate` accepts with each param. */
  types?: ElementType[];
  /** Parameters to test (undefined = no parameter); default [undefined]. */
  params?: (string | undefined)[];
  /** Largest random input in bytes; default 4096. */
  maxSize?: number;
  /** fast-check runs per property; default 60. */
  runs?: number;
}

function accepts(codec: Codec, type: ElementType, param: string | undefined): boolean {
  try {
    codec.validate?.(type, param);
    return true;
  } catch {
    return false;
  }
}

/** Random bytes trimmed to a whole number of elements. */
function rawBytes(width: number, maxSize: number): fc.Arbitrary<Uint8Array> {
  return fc.uint8Array({ maxLength: maxSize }).map((b) => b.subarray(0, b.length - (b.length % width)));
}

/** Little-endian elements of small magnitude or sorted, the shapes numeric codecs are built for. */
function structured(type: ElementType, maxSize: number): fc.Arbitrary<Uint8Array> {
  const width = elementWidth(type);
  const maxCount = Math.max(1, Math.floor(maxSize / width));
  if (type === 'bytes' || type === 'u8') {
    return fc
      .array(fc.constantFrom(...'ACGTACGTACGTNnacgtRY-*\n'.split('')), { maxLength: maxSize })
      .map((cs) => new TextEncoder().encode(cs.join('')));
  }
  const values = fc.oneof(
    fc.array(fc.integer({ min: -300, max: 300 }), { maxLength: maxCount }),
    fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: maxCount }).map((xs) => {
      let acc = 0;
      return xs.map((x) => (acc += x));
    }),
  );
  return values.map((xs) => {
    const out = new Uint8Array(xs.length * width);
    const view = new DataView(out.buffer);
    xs.forEach((x, i) => {
      const at = i * width;
      if (type === 'f32') view.setFloat32(at, x / 8, true);
      else if (type === 'f64') view.setFloat64(at, x / 8, true);
      else if (width === 8) view.setBigInt64(at, BigInt(x), true);
      else if (width === 4) view.setInt32(at, x, true);
      else if (width === 2) view.setInt16(at, x, true);
      else view.setInt8(at, x);
    });
    return out;
  });
}

/** Damaged encodings: truncated, bit-flipped, or plain random bytes. */
function damage(encoded: Uint8Array, cut: number, flip: number, junk: Uint8Array, mode: number): Uint8Array {
  if (mode === 0) return encoded.slice(0, encoded.length === 0 ? 0 : cut % encoded.length);
  if (mode === 1 && encoded.length > 0) {
    const copy = encoded.slice();
    const at = flip % (copy.length * 8);
    copy[at >>> 3]! ^= 1 << (at & 7);
    return copy;
  }
  return junk;
}

export function describeCodec(codec: Codec, options: DescribeCodecOptions = {}): void {
  const params = options.params ?? [undefined];
  const maxSize = options.maxSize ?? 4096;
  const runs = options.runs ?? 60;

  describe(`codec ${codec.id} (conformance)`, () => {
    it('has a well-formed id', () => {
      expect(codec.id).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    });

    for (const param of params) {
      const types = (options.types ?? ELEMENT_TYPES.filter((t) => accepts(codec, t, param))).filter((t) => accepts(codec, t, param));
      it(`accepts at least one element type${param === undefined ? '' : ` with param ${param}`}`, () => {
        expect(types.length).toBeGreaterThan(0);
      });

      for (const type of types) {
        const label = `${type}${param === undefined ? '' : `, param ${param}`}`;
        const ctx = { type, param };
        const roundTrip = (data: Uint8Array) => {
          const encoded = codec.encode(data.slice(), ctx);
          expect(encoded).toBeInstanceOf(Uint8Array);
          const decoded = codec.decode(encoded.slice(), ctx);
          expect(decoded).toBeInstanceOf(Uint8Array);
          expect(Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength).equals(data)).toBe(true);
        };

        it(`round-trips random data (${label})`, () => {
          fc.assert(fc.property(rawBytes(elementWidth(type), maxSize), roundTrip), { numRuns: runs });
        });

        it(`round-trips structured data (${label})`, () => {
          fc.assert(fc.property(structured(type, maxSize), roundTrip), { numRuns: runs });
        });

        it(`round-trips empty input and unaligned views (${label})`, () => {
          roundTrip(new Uint8Array(0));
          const w = elementWidth(type);
          const backing = new Uint8Array(1 + 64 * w);
          for (let i = 0; i < backing.length; i++) backing[i] = (i * 37) & 0xff;
          roundTrip(backing.subarray(1));
        });

        it(`is deterministic (${label})`, () => {
          fc.assert(
            fc.property(structured(type, maxSize), (data) => {
              expect(codec.encode(data.slice(), ctx)).toEqual(codec.encode(data.slice(), ctx));
            }),
            { numRuns: Math.ceil(runs / 3) },
          );
        });

        it(`decodes damaged input quickly to bytes or CorruptDataError (${label})`, () => {
          const started = performance.now();
          fc.assert(
            fc.property(
              structured(type, maxSize),
              fc.nat(),
              fc.nat(),
              fc.uint8Array({ maxLength: 256 }),
              fc.integer({ min: 0, max: 2 }),
              (data, cut, flip, junk, mode) => {
                const bad = damage(codec.encode(data, ctx), cut, flip, junk, mode);
                try {
                  expect(codec.decode(bad, ctx)).toBeInstanceOf(Uint8Array);
                } catch (e) {
                  expect(e).toBeInstanceOf(CorruptDataError);
                }
              },
            ),
            { numRuns: runs },
          );
          expect(performance.now() - started).toBeLessThan(20_000);
        });
      }
    }
  });
}
