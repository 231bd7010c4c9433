import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { checkCodec, CorruptDataError, zstdCodec } from '@genolake/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nameTokCodec } from './name-tok.js';

const ctx = { type: 'bytes' as const };
const enc = (d: Uint8Array): Uint8Array => nameTokCodec.encode(d, ctx);
const dec = (d: Uint8Array): Uint8Array => nameTokCodec.decode(d, ctx);
const page = (names: readonly (string | Uint8Array)[]): Uint8Array =>
  Buffer.concat(names.map((n) => (typeof n === 'string' ? Buffer.from(n, 'latin1') : n)));
const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

function roundTrip(d: Uint8Array): Uint8Array {
  const e = enc(d);
  const back = dec(e);
  expect(back).toBeInstanceOf(Uint8Array);
  expect(same(back, d)).toBe(true);
  return e;
}

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 2 ** 32);
}

/** Illumina-style names of a coordinate-sorted pair-end run: each name twice, mates a few reads apart. */
function illumina(n: number, seed: number): string[] {
  const r = rng(seed);
  const out: string[] = [];
  const open: string[] = [];
  while (out.length < n) {
    if (open.length && r() < 0.5) out.push(open.splice(Math.floor(r() * open.length), 1)[0]!);
    else {
      const name = `A00123:8:H7KJ2DSXY:${1 + Math.floor(r() * 2)}:${1101 + Math.floor(r() * 78)}:${1000 + Math.floor(r() * 31000)}:${1000 + Math.floor(r() * 120000)}`;
      out.push(name);
      open.push(name);
    }
  }
  return out;
}

describe('nametok round trips', () => {
  it('passes core registration self-check', () => {
    expect(() => checkCodec(nameTokCodec)).not.toThrow();
  });

  it('empty pages (no names, or only --drop-names empty names) and pages of one name', () => {
    for (const names of [[], [''], ['', '', ''], ['A'], ['*'], ['0'], ['007'], ['read1'], ['A23646:199:H1K43DSXY3:1:1101:29382:18142']]) {
      roundTrip(page(names));
    }
    expect(enc(new Uint8Array(0)).length).toBeLessThanOrEqual(5);
  });

  it('zero-padded and growing numbers keep their digits', () => {
    const pads = Array.from({ length: 150 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    const grow = Array.from({ length: 1200 }, (_, i) => `read:${i}:${String(i * 7).padStart(5, '0')}/${1 + (i & 1)}`);
    const edges = ['x:0', 'x:00', 'x:000', 'x:007', 'x:7', 'x:07', 'x:99', 'x:100', 'x:0099', 'x:0100', 'x:999999999', 'x:1000000000', 'x:0999999999', 'x:9', 'x:10', 'x:009', 'x:010'];
    for (const names of [pads, grow, edges, [...edges].reverse()]) roundTrip(page(names));
  });

  it('digit runs far beyond 2^53, long names, many tokens', () => {
    const long = 'N'.repeat(100) + ':' + '9'.repeat(60) + ':' + '1'.repeat(90);
    const names = [
      '123456789012345678901234567890', '123456789012345678901234567891', '000000000000000000000000000001',
      '18446744073709551616:99999999999999999999', long, long.slice(0, 254), long.slice(0, 253) + '8',
      Array.from({ length: 60 }, (_, i) => `${i}`).join('.'), Array.from({ length: 60 }, (_, i) => `${i + 1}`).join('.'),
      Array.from({ length: 80 }, (_, i) => `a${i}`).join('_'),
    ];
    roundTrip(page(names));
    roundTrip(page([...names, ...names.map((n) => n + 'x'), ...names]));
  });

  it('non-ASCII, NUL and control bytes', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    roundTrip(bytes);
    roundTrip(page(['r\u00e9ad1', 'r\u00e9ad2', '\u00ff\u00fe:1', '\u00ff\u00fe:2', 'a\0b', 'a\0c', '\n\t\r', 'x\u0080\u0081\u0082']));
    roundTrip(page([Buffer.from('naïve:1', 'utf8'), Buffer.from('naïve:2', 'utf8'), Buffer.from('日本:3', 'utf8')]));
  });

  it('markers that overlap, repeat inside names, or never recur', () => {
    for (const names of [
      ['AAAA', 'AAAA', 'AA', 'A', 'AAAAAAA'], ['ab', 'aab', 'aaab', 'ba', 'aba'], ['x1x1x1', 'x1x', '1x1'],
      ['HAAXX:1:2', 'HAAXX:1:3', 'AHAA:1', 'HAAXX:2:2'], ['EAS56_57:6:190:289:82', 'B7_597:2:132:493:921', 'EAS51_64:3:190:727:308'],
      ['only-one-long-name-without-its-start-again-' + 'q'.repeat(300)],
    ]) {
      roundTrip(page(names));
      roundTrip(page([...names, ...names, ...names]));
    }
  });

  it('pages that exercise every path: copies near and far, many shapes, many positions', () => {
    const r = rng(7);
    // > 128 distinct shapes (one-off shapes past the table), > 32 token positions.
    const shapes = Array.from({ length: 400 }, (_, i) => Array.from({ length: 1 + (i % 40) }, (_, j) => (r() < 0.5 ? `${Math.floor(r() * 1000)}` : 'ab'.repeat(1 + j % 3))).join(i % 3 ? ':' : '_'));
    roundTrip(page(shapes));
    // Copies beyond the pending walk and beyond 255 records.
    const base = Array.from({ length: 6000 }, (_, i) => `SRR1.${i * 13}`);
    roundTrip(page([...base, ...base.slice(0, 300).reverse(), ...base.slice(5000)]));
    // Triplicates (supplementary alignments): the third copy is not pending any more.
    const tri = illumina(600, 3).flatMap((n, i) => (i % 5 === 0 ? [n, n, n] : [n]));
    roundTrip(page(tri));
  });

  it('Illumina-style pages are much smaller than zstd:5 and use the token mode', () => {
    const d = page(illumina(2048, 1));
    const e = roundTrip(d);
    expect(e[0]).toBe(1);
    const z = zstdCodec.encode(d, { type: 'bytes', param: '5' });
    expect(e.length).toBeLessThan(z.length * 0.75);
  });

  it('random ids fall back to zstd, tiny pages to raw bytes when smaller', () => {
    const r = rng(5);
    const hex = (k: number): string => Array.from({ length: k }, () => '0123456789abcdef'[Math.floor(r() * 16)]).join('');
    const uuids = Array.from({ length: 2000 }, () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`);
    const e = roundTrip(page(uuids));
    expect(e[0]).toBe(2);
    const tiny = roundTrip(page(['q']));
    expect(tiny.length).toBeLessThanOrEqual(6);
  });

  it('property: any bytes round-trip', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), (d) => same(dec(enc(d)), d)), { numRuns: 300 });
  });

  it('property: name-like pages round-trip', () => {
    const token = fc.oneof(
      fc.constantFrom(':', '_', '/', '.', '-', '#', '\0', '\u00e9'),
      fc.stringMatching(/^[A-Za-z]{1,6}$/),
      fc.stringMatching(/^[0-9]{1,14}$/),
      fc.nat({ max: 2_000_000_000 }).map(String),
    );
    const name = fc.array(token, { maxLength: 12 }).map((t) => t.join('').slice(0, 254));
    const names = fc.array(name, { maxLength: 300 }).chain((ns) => fc.shuffledSubarray([...ns, ...ns], { minLength: ns.length }));
    fc.assert(fc.property(names, (ns) => {
      const d = page(ns);
      return same(dec(enc(d)), d);
    }), { numRuns: 300 });
  });
});

describe('nametok damaged streams', () => {
  const d = page(illumina(2048, 2));
  const e = enc(d);

  it('every single-byte change and every truncation is a CorruptDataError', () => {
    for (let i = 0; i < e.length; i += Math.max(1, Math.floor(e.length / 400))) {
      for (const x of [0x01, 0x80, 0xff]) {
        const bad = e.slice();
        bad[i]! ^= x;
        expect(() => dec(bad), `byte ${i} ^ ${x}`).toThrow(CorruptDataError);
      }
    }
    for (const n of [0, 1, 4, 5, 6, 20, e.length >> 1, e.length - 1]) expect(() => dec(e.subarray(0, n)), `first ${n} bytes`).toThrow(CorruptDataError);
    expect(() => dec(Buffer.concat([e, Uint8Array.of(0)]))).toThrow(CorruptDataError);
  });

  it('property: any change to a stream is an error, never other names', () => {
    fc.assert(fc.property(fc.nat({ max: e.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
      const bad = e.slice();
      bad[i]! ^= x;
      try {
        dec(bad);
        return false;
      } catch (err) {
        return err instanceof CorruptDataError;
      }
    }), { numRuns: 500 });
  });

  it('structurally damaged bodies with a valid CRC still fail cleanly (no hang, no RangeError)', async () => {
    const { crc32c } = await import('@genolake/core');
    const reseal = (b: Uint8Array): Uint8Array => {
      new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(1, crc32c(b.subarray(5), crc32c(b.subarray(0, 1))), true);
      return b;
    };
    const r = rng(11);
    let errors = 0;
    for (let k = 0; k < 400; k++) {
      const bad = e.slice();
      const i = 5 + Math.floor(r() * (Math.min(bad.length, 120) - 5));
      bad[i]! ^= 1 + Math.floor(r() * 255);
      try {
        const out = dec(reseal(bad));
        // A change that still decodes must at least give back a page of the stated length.
        expect(out).toBeInstanceOf(Uint8Array);
      } catch (err) {
        expect(err).toBeInstanceOf(CorruptDataError);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(300);
    for (const m of [3, 9, 255]) expect(() => dec(reseal(Uint8Array.of(m, 0, 0, 0, 0, 1)))).toThrow(CorruptDataError);
    // A header claiming a huge page is refused without allocating it.
    expect(() => dec(reseal(Uint8Array.of(1, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 0)))).toThrow(CorruptDataError);
  });
});

const BAM = '/work/bench-data/small/sample.bam';
const haveBench = existsSync(BAM) && existsSync('/usr/bin/samtools');

describe.skipIf(!haveBench)('nametok on the bench data', () => {
  it('round-trips every 2,048-name page of sample.bam, 0.75x of zstd:5 or better', () => {
    const r = spawnSync('/usr/bin/samtools', ['view', BAM], { maxBuffer: 1 << 30 });
    expect(r.status).toBe(0);
    const text = r.stdout.toString('latin1');
    const names: string[] = [];
    for (let at = 0; at < text.length;) {
      const tab = text.indexOf('\t', at);
      names.push(text.slice(at, tab));
      at = text.indexOf('\n', tab) + 1;
    }
    let ours = 0, zstd5 = 0;
    for (let i = 0; i < names.length; i += 2048) {
      const d = page(names.slice(i, i + 2048));
      ours += roundTrip(d).length;
      zstd5 += zstdCodec.encode(d, { type: 'bytes', param: '5' }).length;
    }
    expect(ours).toBeLessThan(zstd5 * 0.75);
  });
});
