/**
 * `--where` text -> Expr, by recursive descent over the tokens:
 *
 *   expr    := and ('||' and)*
 *   and     := unary ('&&' unary)*
 *   unary   := '!' unary | '(' expr ')' | test
 *   test    := field [op literal | 'in' '(' literal (',' literal)* ')' | 'is' ['not'] 'missing']
 *   field   := NAME ['[' INTEGER ']']          op := == = != < <= > >= ~
 *   literal := NUMBER | STRING | '.'
 *
 * Fields are resolved and type-checked here, so evaluation never meets a bad comparison.
 * Every error names the 1-based column where parsing failed.
 */
import type { Header } from '../header/header.js';
import type { CompareOp, Expr, Literal } from './ast.js';
import { resolveField, type FieldRef } from './fields.js';
import { syntaxError, tokenize, type Token } from './lexer.js';

const COMPARE = new Set(['==', '=', '!=', '<', '<=', '>', '>=', '~']);

export function parseWhere(source: string, header: Header, undeclared: readonly string[] = []): Expr {
  return new Parser(source, header, undeclared).parse();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly source: string, private readonly header: Header, private readonly undeclared: readonly string[]) {
    this.tokens = tokenize(source);
  }

  parse(): Expr {
    if (this.peek().kind === 'end') throw this.error(this.peek(), 'empty expression');
    const e = this.or();
    if (this.peek().kind !== 'end') throw this.unexpected(this.peek());
    return e;
  }

  private peek(): Token { return this.tokens[this.i]!; }
  private next(): Token { return this.tokens[this.i++]!; }
  private isOp(text: string): boolean { const t = this.peek(); return t.kind === 'op' && t.text === text; }
  private isWord(text: string): boolean { const t = this.peek(); return t.kind === 'name' && t.text.toLowerCase() === text; }
  private error(t: Token, why: string) { return syntaxError(this.source, t.at, why); }
  private unexpected(t: Token) { return this.error(t, t.kind === 'end' ? 'unexpected end of expression' : `unexpected '${this.source.slice(t.at, t.kind === 'string' ? t.at + t.text.length + 2 : t.at + Math.max(1, t.text.length))}'`); }

  private expect(text: string): void {
    if (!this.isOp(text)) throw this.unexpected(this.peek());
    this.i++;
  }

  private or(): Expr {
    let left = this.and();
    while (this.isOp('||')) { this.i++; left = { kind: 'or', left, right: this.and() }; }
    return left;
  }

  private and(): Expr {
    let left = this.unary();
    while (this.isOp('&&')) { this.i++; left = { kind: 'and', left, right: this.unary() }; }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('!')) { this.i++; return { kind: 'not', arg: this.unary() }; }
    if (this.isOp('(')) {
      this.i++;
      const e = this.or();
      this.expect(')');
      return e;
    }
    return this.test();
  }

  private field(): FieldRef {
    const t = this.next();
    if (t.kind !== 'name') throw this.unexpected(t);
    const f = resolveField(t.text, this.header, this.undeclared);
    if (typeof f === 'string') throw this.error(t, f);
    if (!this.isOp('[')) return f;
    this.i++;
    const n = this.next();
    if (n.kind !== 'number' || !/^\d+$/.test(n.text)) throw this.error(n, 'expected an element index (0, 1, …)');
    this.expect(']');
    if (f.type === 'flag' || f.type === 'filter') throw this.error(t, `${f.name} has no elements to index`);
    return { ...f, index: Number(n.text) };
  }

  private literal(): Literal & { at: number } {
    const t = this.next();
    if (t.kind === 'number') return { kind: 'number', value: Number(t.text), at: t.at };
    if (t.kind === 'string') return { kind: 'string', value: t.text, at: t.at };
    if (t.kind === 'missing') return { kind: 'missing', at: t.at };
    throw this.unexpected(t);
  }

  private test(): Expr {
    const start = this.peek();
    const field = this.field();
    if (this.isWord('is')) {
      this.i++;
      const negate = this.isWord('not');
      if (negate) this.i++;
      if (!this.isWord('missing')) throw this.unexpected(this.peek());
      this.i++;
      return { kind: negate ? 'present' : 'missing', field, at: start.at };
    }
    if (this.isWord('in')) {
      this.i++;
      this.expect('(');
      let e: Expr | undefined;
      for (;;) {
        const lit = this.literal();
        const one = this.compare(field, '==', lit, start);
        e = e ? { kind: 'or', left: e, right: one } : one;
        if (this.isOp(')')) break;
        this.expect(',');
      }
      this.i++;
      return e;
    }
    const t = this.peek();
    if (t.kind === 'op' && COMPARE.has(t.text)) {
      this.i++;
      const op = (t.text === '=' ? '==' : t.text) as CompareOp;
      return this.compare(field, op, this.literal(), t);
    }
    if (field.type === 'flag') return { kind: 'flag', field, at: start.at };
    throw this.error(t, t.kind === 'end' ? `${field.name} needs a comparison (or is a Flag)` : `expected a comparison after ${field.name}, got '${t.text}'`);
  }

  private compare(field: FieldRef, op: CompareOp, lit: Literal & { at: number }, opToken: Token): Expr {
    const at = lit.at;
    if (field.type === 'flag') throw syntaxError(this.source, opToken.at, `${field.name} is a Flag: test it bare (${field.name}) or negated (!${field.name})`);
    if (lit.kind === 'missing') {
      if (op !== '==' && op !== '!=') throw syntaxError(this.source, opToken.at, `only == and != compare with . (missing)`);
      return { kind: op === '==' ? 'missing' : 'present', field, at };
    }
    const numeric = field.type === 'int' || field.type === 'float';
    if (numeric && lit.kind !== 'number') throw syntaxError(this.source, at, `${field.name} is numeric; compare it with a number`);
    if (!numeric && lit.kind !== 'string') throw syntaxError(this.source, at, `${field.name} holds text; compare it with a quoted string`);
    if (!numeric && op !== '==' && op !== '!=' && !(op === '~' && field.type === 'filter')) {
      throw syntaxError(this.source, opToken.at, `${op} does not apply to ${field.name} (use == != in${field.type === 'filter' ? ' ~' : ''})`);
    }
    if (op === '~' && field.type !== 'filter') throw syntaxError(this.source, opToken.at, `~ applies to FILTER only`);
    return { kind: 'compare', field, op, value: lit.kind === 'number' ? { kind: 'number', value: lit.value } : { kind: 'string', value: lit.value }, at };
  }
}
