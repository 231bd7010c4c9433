import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CorruptDataError, InvalidArgumentError } from '../../errors.js';
import { nuc2bitCodec } from './nuc2bit.js';

const ascii = (s: string) => new TextEncoder().encode(s);
const enc = (d: Uint8Array) => nuc2bitCodec.encode(d, { type: 'bytes' });
const dec = (d: Uint8Array) => nuc2bitCodec.decode(d, { type: 'bytes' });

describe('nuc2bit', () => {
  it('packs ACGT four to a byte, first base in the high bits', () => {
    const out = enc(ascii('ACGTTGCA'));
    // version 1, length 8, no case runs, no exception runs, then 0b00011011 0b11100100.
    expect(out).toEqual(new Uint8Array([1, 8, 0, 0, 0x1b, 0xe4]));
    expect(dec(out)).toEqual(ascii('ACGTTGCA'));
  });

  it('costs about length/4 bytes when there are no exceptions', () => {
    const n = 1_000_003;
    const seq = new Uint8Array(n);
    for (let i = 0; i < n; i++) seq[i] = 'ACGT'.charCodeAt((i * 2654435761) >>> 30);
    const out = enc(seq);
    expect(out.length).toBeLessThanOrEqual(Math.ceil(n / 4) + 8);
    expect(Buffer.from(dec(out)).equals(seq)).toBe(true);
  });

  it('codes N runs and soft-masked stretches as runs, not per base', () => {
    const seq = 'ACGT'.repeat(100) + 'N'.repeat(5000) + 'acgt'.repeat(1000) + 'nnnn' + 'ACGT'.repeat(10);
    const out = enc(ascii(seq));
    expect(out.length).toBeLessThan(Math.ceil(seq.length / 4) + 24);
    expect(new TextDecoder().decode(dec(out))).toBe(seq);
  });

  it('round-trips any byte string exactly', () => {
    const nucleotideish = fc.array(fc.constantFrom(...'ACGTACGTNNacgtnRY-*\n\0\xff'.split('')), { maxLength: 3000 }).map((cs) => {
      const b = new Uint8Array(cs.length);
      cs.forEach((c, i) => (b[i] = c.charCodeAt(0)));
      return b;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), nucleotideish), fc.nat(3), (data, skip) => {
        const view = data.subarray(Math.min(skip, data.length));
        expect(dec(enc(view))).toEqual(new Uint8Array(view));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips empty input and every length mod 4', () => {
    for (const s of ['', 'A', 'Ac', 'ACg', 'ACGN', 'NNNNN']) expect(new TextDecoder().decode(dec(enc(ascii(s))))).toBe(s);
  });

  it('round-trips 64 MiB of ACGT with scattered N and lower case', () => {
    const n = 64 << 20;
    const seq = new Uint8Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      seq[i] = 'ACGT'.charCodeAt(s >>> 30);
    }
    for (let i = 1000; i < n; i += 1 << 20) seq.fill(0x4e, i, i + 500);
    for (let i = 5000; i < n; i += 3 << 20) for (let j = i; j < i + 10000; j++) seq[j]! |= 0x20;
    const out = enc(seq);
    expect(out.length).toBeLessThan(n / 4 + 2000);
    const back = dec(out);
    expect(Buffer.from(back.buffer).equals(seq)).toBe(true);
  });

  it('rejects damaged headers and lengths with CorruptDataError', () => {
    const good = enc(ascii('ACGTNNNNacgt'));
    expect(() => dec(new Uint8Array(0))).toThrow(CorruptDataError);
    expect(() => dec(Uint8Array.of(2, ...good.subarray(1)))).toThrow(/version 2/);
    expect(() => dec(good.subarray(0, good.length - 1))).toThrow(CorruptDataError);
    expect(() => dec(Uint8Array.of(...good, 0))).toThrow(CorruptDataError);
    // A run reaching past the sequence end.
    expect(() => dec(new Uint8Array([1, 4, 0, 1, 2, 9, 0x4e, 0]))).toThrow(/outside 4 bases/);
    expect(() => dec(new Uint8Array([1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0, 0]))).toThrow(CorruptDataError);
  });

  it('takes only byte input', () => {
    expect(() => nuc2bitCodec.validate!('u32')).toThrow(InvalidArgumentError);
  });
});
