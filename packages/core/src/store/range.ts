import { InvalidArgumentError } from '../errors.js';
import type { ByteRange } from './types.js';

/** Checks a range for NaN, negatives and non-integers; returns it. */
export function checkRange(range: ByteRange, what: string): ByteRange {
  const { offset, length } = range;
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidArgumentError(`bad range offset ${offset} for ${what} (a corrupt index?)`);
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new InvalidArgumentError(`bad range length ${length} for ${what} (a corrupt index?)`);
  }
  return range;
}

/** Clips a checked range to an object of `size` bytes: [start, end). */
export function clipRange(range: ByteRange, size: number): [number, number] {
  const start = Math.min(range.offset, size);
  const end = Math.min(range.offset + range.length, size);
  return [start, end];
}
