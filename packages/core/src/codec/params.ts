/** Parameter parsing shared by codecs: integer levels in a range, or no parameter at all. */
import { InvalidArgumentError } from '../errors.js';

/** Parses an integer parameter such as the '3' of 'zstd:3'; absent means `fallback`. */
export function intParam(codecId: string, param: string | undefined, min: number, max: number, fallback: number): number {
  if (param === undefined) return fallback;
  const v = /^-?\d+$/.test(param) ? Number(param) : NaN;
  if (!Number.isSafeInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`codec ${codecId} takes an integer parameter ${min}..${max}, got '${param}'`);
  }
  return v;
}

/** Rejects a parameter on a codec that has none. */
export function noParam(codecId: string, param: string | undefined): void {
  if (param !== undefined) throw new InvalidArgumentError(`codec ${codecId} takes no parameter, got '${param}'`);
}

/** A plain Uint8Array view of a Node Buffer (so results compare equal to plain arrays). */
export function plainBytes(b: Uint8Array): Uint8Array {
  return b.constructor === Uint8Array ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
