/**
 * A leaf of the expression as a test of one stored value (one record's, or one sample's).
 * Semantics follow `bcftools view -i` (checked against bcftools 1.16, see docs/vcs-query.md):
 *   ==, <, <=, >, >=   some present element satisfies it;
 *   !=                 the value is missing, or some element is missing or differs;
 *   missing / present  no element is present / some element is present;
 *   FILTER == "a;b"    the record's filter set equals {a, b} (order-free); ~ : contains them all.
 */
import type { Expr } from './ast.js';
import { elementsOf, type Element } from './values.js';

export type ValueTest = (v: unknown) => boolean;

const numericOps: Record<string, (a: number, b: number) => boolean> = {
  '==': (a, b) => a === b, '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b,
};

export function valueTest(e: Extract<Expr, { kind: 'compare' | 'missing' | 'present' | 'flag' }>): ValueTest {
  const field = e.field;
  if (e.kind === 'flag') return (v) => v === true;
  const els = elementsOf(field);
  if (e.kind === 'missing' || e.kind === 'present') {
    const missing = field.type === 'flag' ? (v: unknown) => v !== true : (v: unknown) => els(v).every((x) => x === null);
    return e.kind === 'missing' ? missing : (v) => !missing(v);
  }
  if (field.type === 'filter') {
    const want = new Set(String(e.value.kind === 'string' ? e.value.value : '').split(';'));
    const has = (v: unknown): boolean | null => {
      if (v === null || v === undefined) return null;
      const got = els(v) as string[];
      if (e.op === '~') return [...want].every((w) => got.includes(w));
      return got.length === want.size && got.every((g) => want.has(g));
    };
    if (e.op === '!=') return (v) => has(v) !== true;
    return (v) => has(v) === true;
  }
  const lit = e.value.kind === 'number' ? (field.type === 'float' ? Math.fround(e.value.value) : e.value.value) : e.value.kind === 'string' ? e.value.value : null;
  if (e.op === '!=') {
    return (v) => {
      const xs = els(v);
      if (xs.length === 0) return true;
      for (const x of xs) if (x === null || x !== lit) return true;
      return false;
    };
  }
  if (typeof lit === 'string') return (v) => els(v).some((x: Element) => x === lit);
  const cmp = numericOps[e.op]!;
  const b = lit as number;
  return (v) => {
    if (typeof v === 'number' && field.index === undefined) return cmp(field.type === 'float' ? Math.fround(v) : v, b);
    for (const x of els(v)) if (x !== null && cmp(x as number, b)) return true;
    return false;
  };
}
