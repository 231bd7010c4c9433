import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CorruptDataError, InvalidArgumentError, NotFoundError } from '../errors.js';
import { createHost } from '../host-default.js';
import { builtinCodecRegistry } from './builtin/index.js';
import { ELEMENT_TYPES, elementWidth } from './element-type.js';
import { decodePipeline, encodePipeline, formatPipeline, parsePipeline, pipelineTypes } from './pipeline.js';
import type { ElementType } from './types.js';

const reg = builtinCodecRegistry();

describe('parsePipeline / formatPipeline', () => {
  it('parses stages and params, tolerating whitespace', () => {
    expect(parsePipeline('delta|zigzag|varint|zstd:3')).toEqual([
      { id: 'delta' }, { id: 'zigzag' }, { id: 'varint' }, { id: 'zstd', param: '3' },
    ]);
    expect(parsePipeline('  delta | zstd : 19 ')).toEqual([{ id: 'delta' }, { id: 'zstd', param: '19' }]);
  });

  it("treats '' and 'none' as no stages", () => {
    expect(parsePipeline('')).toEqual([]);
    expect(parsePipeline('  none ')).toEqual([]);
    expect(formatPipeline([])).toBe('none');
  });

  it('rejects bad syntax with InvalidArgumentError naming the text', () => {
    for (const bad of ['delta||zstd', 'zstd:', 'Zstd', '|delta', 'de lta', 'zstd:3:4', 'a|b|']) {
      const err = (() => {
        try {
          parsePipeline(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(err, bad).toBeInstanceOf(InvalidArgumentError);
      expect((err as Error).message).toContain(`'${bad}'`);
    }
  });

  it('format is the inverse of parse', () => {
    const stage = fc.record(
      { id: fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,8}$/), param: fc.option(fc.stringMatching(/^[A-Za-z0-9.]{1,4}$/), { nil: undefined }) },
      { requiredKeys: ['id'] },
    ).map((s) => (s.param === undefined ? { id: s.id } : s));
    fc.assert(
      fc.property(fc.array(stage, { minLength: 1, maxLength: 5 }), (stages) => {
        const text = formatPipeline(stages);
        if (text === 'none') return; // a single stage literally named none is the empty pipeline
        expect(parsePipeline(text)).toEqual(stages);
      }),
    );
  });
});

describe('pipelineTypes', () => {
  it('derives the type at each boundary', () => {
    expect(pipelineTypes(reg, 'delta|zigzag|varint|zstd:3', 'i32')).toEqual(['i32', 'i32', 'u32', 'bytes', 'bytes']);
    expect(pipelineTypes(reg, 'none', 'f64')).toEqual(['f64']);
    expect(pipelineTypes(reg, 'transpose|zstd', 'f32')).toEqual(['f32', 'bytes', 'bytes']);
  });

  it('names the codec, the type and the pipeline on a type mismatch', () => {
    expect(() => pipelineTypes(reg, 'varint|zstd', 'f32')).toThrow(InvalidArgumentError);
    expect(() => pipelineTypes(reg, 'varint|zstd', 'f32')).toThrow("codec varint cannot take f32 input (unsigned integer types only) in pipeline 'varint|zstd'");
    expect(() => pipelineTypes(reg, 'zigzag|delta|varint', 'i8')).not.toThrow();
    expect(() => pipelineTypes(reg, 'varint|delta', 'u16')).toThrow(/codec delta cannot take bytes input/);
    expect(() => pipelineTypes(reg, 'zstd:99', 'bytes')).toThrow(InvalidArgumentError);
    expect(() => pipelineTypes(reg, 'delta:2', 'u32')).toThrow(InvalidArgumentError);
  });

  it('reports unknown codecs as NotFoundError naming the pipeline', () => {
    expect(() => pipelineTypes(reg, 'delta|bogus', 'u32')).toThrow(NotFoundError);
    expect(() => pipelineTypes(reg, 'delta|bogus', 'u32')).toThrow(/"bogus" in pipeline 'delta\|bogus'/);
  });
});

/** Valid pipelines by construction: numeric prefix chosen per type, then an optional compressor. */
function pipelineFor(type: ElementType): fc.Arbitrary<string> {
  const numeric: string[] = ['none', 'transpose'];
  if (type === 'bytes' || type === 'u8') numeric.push('nuc2bit');
  if (type !== 'bytes' && type !== 'f32' && type !== 'f64') {
    numeric.push('delta', 'zigzag', 'delta|zigzag', 'delta|zigzag|varint', 'zigzag|varint', 'delta|delta|zigzag|transpose');
    if (type.startsWith('u')) numeric.push('varint', 'delta|varint');
  }
  return fc
    .tuple(fc.constantFrom(...numeric), fc.constantFrom('', 'zstd', 'zstd:1', 'deflate:1', 'gzip', 'none'))
    .map(([a, b]) => (b === '' ? a : `${a}|${b}`));
}

describe('encodePipeline / decodePipeline', () => {
  it('round-trips random data through random valid pipelines', () => {
    const input = fc.constantFrom(...ELEMENT_TYPES).chain((type) =>
      fc.tuple(fc.constant(type), pipelineFor(type), fc.uint8Array({ maxLength: 2048 }).map((b) => b.subarray(0, b.length - (b.length % elementWidth(type))))),
    );
    fc.assert(
      fc.property(input, ([type, pipeline, data]) => {
        const enc = encodePipeline(reg, pipeline, data, type);
        expect(decodePipeline(reg, pipeline, enc, type)).toEqual(new Uint8Array(data));
      }),
      { numRuns: 400 },
    );
  });

  it('round-trips empty input through every stage', () => {
    for (const [p, t] of [['delta|zigzag|varint|zstd:3', 'i64'], ['nuc2bit|deflate|gzip', 'bytes'], ['transpose|none|zstd', 'f32']] as const) {
      const enc = encodePipeline(reg, p, new Uint8Array(0), t);
      expect(decodePipeline(reg, p, enc, t)).toEqual(new Uint8Array(0));
    }
  });

  it('decodes damaged streams to bytes or CorruptDataError, never anything else', () => {
    const input = fc.constantFrom<ElementType>('bytes', 'u8', 'i32', 'u64', 'f64').chain((type) =>
      fc.tuple(fc.constant(type), pipelineFor(type), fc.uint8Array({ minLength: 8, maxLength: 512 }).map((b) => b.subarray(0, b.length - (b.length % 8)))),
    );
    fc.assert(
      fc.property(input, fc.nat(), fc.boolean(), ([type, pipeline, data], at, truncate) => {
        const enc = encodePipeline(reg, pipeline, data, type);
        if (enc.length === 0) return;
        const bad = truncate ? enc.subarray(0, at % enc.length) : enc.slice();
        if (!truncate) bad[(at >>> 3) % bad.length]! ^= 1 << (at & 7);
        try {
          expect(decodePipeline(reg, pipeline, bad, type)).toBeInstanceOf(Uint8Array);
        } catch (e) {
          expect(e).toBeInstanceOf(CorruptDataError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('works through a host built by createHost()', async () => {
    const host = await createHost();
    const data = new Uint8Array(new Int32Array([5, 9, 9, -4, 1 << 30]).buffer);
    const enc = encodePipeline(host, 'delta|zigzag|varint|zstd:3', data, 'i32');
    expect(decodePipeline(host, 'delta|zigzag|varint|zstd:3', enc, 'i32')).toEqual(data);
    expect(encodePipeline(host, 'delta|zigzag|varint', data, 'i32')).toEqual(new Uint8Array([10, 8, 0, 25, 136, 128, 128, 128, 8]));
  });

  it('compresses sorted positions well with delta|zigzag|varint|zstd', () => {
    const pos = new Int32Array(100_000);
    for (let i = 1; i < pos.length; i++) pos[i] = pos[i - 1]! + ((i * 7919) % 300);
    const enc = encodePipeline(reg, 'delta|zigzag|varint|zstd:3', new Uint8Array(pos.buffer), 'i32');
    expect(enc.length).toBeLessThan(pos.length * 2);
  });

  it('wraps decode failures in CorruptDataError naming the pipeline and stage', () => {
    const data = new Uint8Array(new Uint32Array([1, 2, 3, 1000000]).buffer);
    const enc = encodePipeline(reg, 'delta|varint|zstd', data, 'u32');
    let err: unknown;
    try {
      decodePipeline(reg, 'delta|varint|zstd', enc.subarray(0, enc.length - 3), 'u32');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toContain("stage 3 (zstd, bytes) of pipeline 'delta|varint|zstd'");
    // Truncated varint stream: stage 2 fails.
    const v = encodePipeline(reg, 'varint', data, 'u32');
    expect(() => decodePipeline(reg, 'varint', v.subarray(0, v.length - 1), 'u32')).toThrow(/stage 1 \(varint, u32\)/);
    expect(() => decodePipeline(reg, 'delta', new Uint8Array(7), 'u32')).toThrow(CorruptDataError);
  });

  it('rejects ragged numeric input on encode with InvalidArgumentError', () => {
    expect(() => encodePipeline(reg, 'delta|zstd', new Uint8Array(6), 'u32')).toThrow(InvalidArgumentError);
    expect(() => encodePipeline(reg, 'delta|zstd', new Uint8Array(6), 'u32')).toThrow(/stage 1 \(delta, u32\) of pipeline 'delta\|zstd'/);
  });

  it('round-trips a 32 MiB stream through the longest pipeline', () => {
    const n = 8 << 20;
    const pos = new Uint32Array(n);
    for (let i = 1; i < n; i++) pos[i] = pos[i - 1]! + (i & 63);
    const data = new Uint8Array(pos.buffer);
    const pipeline = 'delta|zigzag|varint|zstd:1';
    const enc = encodePipeline(reg, pipeline, data, 'u32');
    const dec = decodePipeline(reg, pipeline, enc, 'u32');
    expect(dec.length).toBe(data.length);
    expect(Buffer.from(dec.buffer, dec.byteOffset, dec.length).equals(data)).toBe(true);
  });
});
