/**
 * Tokens of the `--where` language. Every token keeps `at`, its 0-based offset in the
 * expression text, so a parse error can point at the column where it failed.
 */
import { InvalidArgumentError } from '@genolake/core';

export type TokenKind = 'name' | 'number' | 'string' | 'missing' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The token text; for a string, its value without quotes or escapes. */
  text: string;
  at: number;
}

/** `--where: <why> at <1-based column>: <expression>`. */
export function syntaxError(source: string, at: number, why: string): InvalidArgumentError {
  return new InvalidArgumentError(`--where: ${why} at ${at + 1}: ${source}`);
}

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '=', '!', '~', '(', ')', '[', ']', ','];
const NAME_START = /[A-Za-z_]/;
// INFO/AF, FORMAT/GT, FMT/DP: the slash belongs to the name
const NAME_PART = /[A-Za-z0-9_./]/;

export function tokenize(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') { i++; continue; }
    const at = i;
    if (c === '"' || c === "'") {
      let text = '';
      i++;
      while (i < source.length && source[i] !== c) {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        text += source[i++];
      }
      if (i >= source.length) throw syntaxError(source, at, 'unterminated string');
      i++;
      out.push({ kind: 'string', text, at });
      continue;
    }
    if (/[0-9]/.test(c) || ((c === '-' || c === '.') && /[0-9]/.test(source[i + 1] ?? ''))) {
      const m = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i))!;
      i += m[0].length;
      out.push({ kind: 'number', text: m[0], at });
      continue;
    }
    if (c === '.') { i++; out.push({ kind: 'missing', text: '.', at }); continue; }
    if (NAME_START.test(c)) {
      while (i < source.length && NAME_PART.test(source[i]!)) i++;
      out.push({ kind: 'name', text: source.slice(at, i), at });
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, i));
    if (!op) throw syntaxError(source, at, `unexpected '${c}'`);
    i += op.length;
    out.push({ kind: 'op', text: op, at });
  }
  out.push({ kind: 'end', text: '', at: source.length });
  return out;
}
