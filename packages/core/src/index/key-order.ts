/**
 * The one order every index uses. Strings compare by Unicode code point, which equals UTF-8
 * byte order (what Parquet statistics, DuckDB and `LC_ALL=C sort` use) and differs from JS
 * `<` only for characters above U+FFFF versus U+E000..U+FFFF.
 */
import type { IndexKey } from './types.js';

/** Code-point comparison of two strings: negative, zero or positive. */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Move surrogates (D800-DFFF) above E000-FFFF so UTF-16 order becomes code-point order.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** Compares keys of one type (callers check the type); numbers numerically, bigints exactly. */
export function compareKeys(a: IndexKey, b: IndexKey): number {
  if (typeof a === 'string') return compareStrings(a, b as string);
  if (typeof a === 'bigint') return a < (b as bigint) ? -1 : a > (b as bigint) ? 1 : 0;
  return (a as number) - (b as number);
}

const INTEGER_TEXT = /^-?\d+$/;

/**
 * Compares a statistics value with a query value where that is meaningful: numbers with
 * numbers, strings with strings, and decimal-string bigints (how stats store int64) with
 * integers. Undefined when the two cannot be ordered, which keeps the chunk.
 */
export function compareScalars(stat: unknown, query: number | string): number | undefined {
  if (typeof stat === 'number' && typeof query === 'number') {
    return Number.isNaN(stat) || Number.isNaN(query) ? undefined : stat - query;
  }
  if (typeof stat === 'string' && typeof query === 'string') return compareStrings(stat, query);
  if (typeof stat === 'string' && typeof query === 'number' && INTEGER_TEXT.test(stat) && Number.isFinite(query)) {
    const s = BigInt(stat);
    const q = BigInt(Math.floor(query));
    if (s !== q) return s < q ? -1 : 1;
    return Number.isInteger(query) ? 0 : -1; // s == floor(q) < q
  }
  if (typeof stat === 'number' && typeof query === 'string' && INTEGER_TEXT.test(query)) {
    const r = compareScalars(query, stat);
    return r === undefined ? undefined : 0 - r;
  }
  return undefined;
}
