/**
 * Evaluates an expression over a row range, column by column: each leaf reads one decoded
 * column (or one column per sample for FORMAT fields) into a byte mask, and the boolean nodes
 * combine masks. `&&` and `||` skip their right side when the left already decides every row,
 * so FORMAT columns are fetched only for row ranges where the site conditions leave candidates.
 * A FORMAT leaf is true for a record when it is true for any sample of the dataset (as
 * `bcftools view -i`, which filters before subsetting samples).
 */
import type { Expr } from './ast.js';
import { valueTest } from './predicate.js';
import type { ColumnData, RowSource } from './source.js';

function fill(n: number, v: 0 | 1): Uint8Array {
  const m = new Uint8Array(n);
  if (v) m.fill(1);
  return m;
}

const none = (m: Uint8Array): boolean => m.every((x) => x === 0);
const every = (m: Uint8Array): boolean => m.every((x) => x === 1);

function testColumn(test: (v: unknown) => boolean, col: ColumnData | undefined, out: Uint8Array): void {
  const n = out.length;
  if (col === undefined) {
    if (test(null)) out.fill(1);
    return;
  }
  for (let i = 0; i < n; i++) if (!out[i] && test(col[i])) out[i] = 1;
}

export async function evaluate(e: Expr, src: RowSource): Promise<Uint8Array> {
  const n = src.rows;
  switch (e.kind) {
    case 'and': {
      const a = await evaluate(e.left, src);
      if (none(a)) return a;
      const b = await evaluate(e.right, src);
      for (let i = 0; i < n; i++) a[i]! &= b[i]!;
      return a;
    }
    case 'or': {
      const a = await evaluate(e.left, src);
      if (every(a)) return a;
      const b = await evaluate(e.right, src);
      for (let i = 0; i < n; i++) a[i]! |= b[i]!;
      return a;
    }
    case 'not': {
      const a = await evaluate(e.arg, src);
      for (let i = 0; i < n; i++) a[i] = a[i] ? 0 : 1;
      return a;
    }
    default: {
      const test = valueTest(e);
      const out = fill(n, 0);
      if (e.field.scope === 'site') testColumn(test, await src.site(e.field.column), out);
      else for (const col of await src.format(e.field.column)) testColumn(test, col, out);
      return out;
    }
  }
}
