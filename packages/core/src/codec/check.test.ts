import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { createHost } from '../host-default.js';
import { DefaultHost } from '../plugin/host.js';
import { BUILTIN_CODECS } from './builtin/index.js';
import { checkCodec } from './check.js';
import type { Codec } from './types.js';

describe('checkCodec', () => {
  it('passes every built-in codec', () => {
    for (const c of BUILTIN_CODECS) expect(() => checkCodec(c), c.id).not.toThrow();
  });

  it('rejects a codec that loses data, naming it', () => {
    const lossy: Codec = { id: 'lossy', encode: (d) => d.subarray(0, d.length >> 1), decode: (d) => d };
    expect(() => checkCodec(lossy)).toThrow(InvalidArgumentError);
    expect(() => checkCodec(lossy)).toThrow(/codec lossy failed its registration self-check/);
  });

  it('rejects a codec that throws or returns the wrong kind of value', () => {
    const throws: Codec = { id: 'throws', encode: () => { throw new Error('boom'); }, decode: (d) => d };
    expect(() => checkCodec(throws)).toThrow(/codec throws .*boom/);
    const wrong = { id: 'wrong', encode: (d: Uint8Array) => Array.from(d), decode: (d: Uint8Array) => d } as unknown as Codec;
    expect(() => checkCodec(wrong)).toThrow(/did not return a Uint8Array/);
    // A numeric codec broken only for one width is caught because every accepted type is tried.
    const badU64: Codec = {
      id: 'bad-u64',
      encode: (d, ctx) => (ctx.type === 'u64' && d.length > 0 ? d.subarray(1) : d),
      decode: (d) => d,
    };
    expect(() => checkCodec(badU64)).toThrow(/u64/);
  });

  it('rejects a codec that accepts no type', () => {
    const picky: Codec = { id: 'picky', validate: () => { throw new InvalidArgumentError('no'); }, encode: (d) => d, decode: (d) => d };
    expect(() => checkCodec(picky)).toThrow(/accepts no element type/);
  });

  it('runs on registration in the default host', async () => {
    const host = await createHost();
    expect(host.listCodecs().map((c) => c.id).sort()).toEqual(
      ['deflate', 'delta', 'gzip', 'none', 'nuc2bit', 'transpose', 'varint', 'zigzag', 'zstd'],
    );
    const bad: Codec = { id: 'bad', encode: (d) => d.slice(1), decode: (d) => d };
    expect(() => host.registerCodec(bad)).toThrow(InvalidArgumentError);
    expect(host.hasCodec('bad')).toBe(false);
    // A bare host without the hook accepts it: the check is a host policy, not a codec rule.
    const bare = new DefaultHost();
    bare.registerCodec(bad);
    expect(bare.hasCodec('bad')).toBe(true);
  });
});
