/** The parsed `--where` expression: a tree of boolean nodes over field comparisons. */
import type { FieldRef } from './fields.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '~';

/** A literal: a number, a string, or `.` (missing). */
export type Literal = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'missing' };

export type Expr =
  | { kind: 'and'; left: Expr; right: Expr }
  | { kind: 'or'; left: Expr; right: Expr }
  | { kind: 'not'; arg: Expr }
  /** `field op literal`; `in (…)` is an `or` of `==` comparisons. */
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: Literal; at: number }
  /** `field is missing` / `field == .`: no element present (FORMAT: in some sample). */
  | { kind: 'missing'; field: FieldRef; at: number }
  /** `field is not missing` / `field != .`: some element present (FORMAT: in some sample). */
  | { kind: 'present'; field: FieldRef; at: number }
  /** A bare Flag: `INFO/DB`. */
  | { kind: 'flag'; field: FieldRef; at: number };

/** Fields an expression reads, each once. */
export function fieldsOf(e: Expr, out: FieldRef[] = []): FieldRef[] {
  switch (e.kind) {
    case 'and': case 'or': fieldsOf(e.left, out); fieldsOf(e.right, out); break;
    case 'not': fieldsOf(e.arg, out); break;
    default: if (!out.some((f) => f.column === e.field.column && f.scope === e.field.scope)) out.push(e.field);
  }
  return out;
}
