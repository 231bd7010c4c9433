import { describe, expect, it } from 'vitest';
import { InvalidKeyError } from '../errors.js';
import { validateKey } from './keys.js';

describe('validateKey', () => {
  it.each(['a', 'a/b', 'chr1/chunk_0-100.bin', '_manifest/00000001.json', 'a..b', '.hidden'])('accepts %s', (k) => {
    expect(validateKey(k)).toBe(k);
  });
  it.each(['', '/abs', '../x', 'a/../b', 'a/..', './a', 'a//b', 'a/', 'a\\b', 'a\0b'])('rejects %j', (k) => {
    expect(() => validateKey(k)).toThrow(InvalidKeyError);
  });
});
