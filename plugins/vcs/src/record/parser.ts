/**
 * One VCF data line (bytes) -> VcfRecord, typed by the header. Columns are found by scanning the
 * bytes for tabs; POS is parsed from the bytes; values are typed per their INFO/FORMAT
 * definition (undeclared fields: String, with one warning). Errors are InputError naming the
 * file, line and column.
 */
import { InputError } from '@genolake/core';
import type { FieldDef, Header } from '../header/header.js';
import { toF32 } from './float.js';
import type { Value, VcfRecord } from './record.js';

const TAB = 9;
const INT_RE = /^[+-]?\d+$/;
const FLOAT_RE = /^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|nan|NaN|inf|Inf|infinity|Infinity)$/;
const GT_RE = /^(\.|\d+)([/|](\.|\d+))*$/;

function latin1(b: Uint8Array, from: number, to: number): string {
  return Buffer.from(b.buffer, b.byteOffset + from, to - from).toString('latin1');
}

/**
 * Encodes a line's sample columns (sample s is `b[t[9 + s] + 1, t[10 + s])`) straight into
 * matrix cells, or gives undefined to have them parsed into values.
 */
export type SampleCells = (keys: readonly string[], defs: readonly FieldDef[], b: Uint8Array, t: Int32Array, samples: number) => Map<string, Uint8Array[]> | undefined;

export class RecordParser {
  private tabs = new Int32Array(16);
  private lastChrom = '';
  private lastChromBytes = new Uint8Array(0);

  constructor(readonly header: Header, readonly name: string, readonly warn?: (message: string) => void, readonly cells?: SampleCells) {}

  private fail(line: number, msg: string): never {
    throw new InputError(`${this.name} line ${line}: ${msg}`);
  }

  /** Parses `b[start, end)`; `line` is the 1-based line number for messages. */
  parse(b: Uint8Array, start: number, end: number, line: number): VcfRecord {
    const want = 8 + (this.header.samples.length ? 1 + this.header.samples.length : 0);
    if (this.tabs.length < want + 1) this.tabs = new Int32Array(want + 1);
    const t = this.tabs;
    let n = 0;
    t[0] = start - 1;
    for (let i = start; i < end; i++) {
      if (b[i] === TAB) {
        if (++n >= want) this.fail(line, `more than ${want} tab-separated columns (the header declares ${this.header.samples.length} samples)`);
        t[n] = i;
      }
    }
    if (n + 1 !== want) this.fail(line, `${n + 1} tab-separated columns; the header declares ${want} (8 fixed${this.header.samples.length ? `, FORMAT and ${this.header.samples.length} samples` : ''})`);
    t[n + 1] = end;
    const col = (k: number): string => latin1(b, t[k]! + 1, t[k + 1]!);
    const chrom = this.chrom(b, t[0]! + 1, t[1]!, line);
    let pos = 0;
    for (let i = t[1]! + 1; i < t[2]!; i++) {
      const d = b[i]! - 48;
      if (d < 0 || d > 9 || pos > 1e13) this.fail(line, `POS "${col(1)}" is not a positive integer`);
      pos = pos * 10 + d;
    }
    if (t[2]! - t[1]! < 2) this.fail(line, 'POS is empty');
    const id = col(2);
    const ref = col(3);
    if (!ref) this.fail(line, 'REF is empty');
    const altText = col(4);
    const qualText = col(5);
    let qual: number | null = null;
    if (qualText !== '.') {
      if (!FLOAT_RE.test(qualText)) this.fail(line, `QUAL "${qualText}" is not a number`);
      qual = toF32(parseNumber(qualText));
    }
    const filterText = col(6);
    const rec: VcfRecord = {
      chrom, pos, id, ref, alt: altText === '.' ? [] : altText.split(','), qual,
      filter: filterText === '.' ? null : filterText.split(';'),
      info: this.info(col(7), line), format: [], samples: [],
    };
    if (this.header.samples.length) this.samples(rec, col(8), b, t, line);
    return rec;
  }

  private chrom(b: Uint8Array, from: number, to: number, line: number): string {
    const last = this.lastChromBytes;
    if (to - from === last.length) {
      let same = true;
      for (let i = 0; i < last.length; i++) if (b[from + i] !== last[i]) (same = false);
      if (same) return this.lastChrom;
    }
    if (to === from) this.fail(line, 'CHROM is empty');
    this.lastChromBytes = b.slice(from, to);
    return (this.lastChrom = latin1(b, from, to));
  }

  private info(text: string, line: number): [string, Value][] {
    if (text === '.') return [];
    const out: [string, Value][] = [];
    for (const item of text.split(';')) {
      if (!item) continue;
      const eq = item.indexOf('=');
      const key = eq < 0 ? item : item.slice(0, eq);
      const def = this.header.infoDef(key, this.warn);
      if (eq < 0) {
        out.push([key, true]);
        continue;
      }
      out.push([key, this.value(item.slice(eq + 1), def, line, 'INFO')]);
    }
    return out;
  }

  private value(text: string, def: FieldDef, line: number, kind: string): Value {
    if (text === '.' || text === '') return null;
    switch (def.type) {
      case 'Integer':
      case 'Float': {
        const parts = text.split(',');
        const out: (number | null)[] = new Array(parts.length);
        const int = def.type === 'Integer';
        for (let i = 0; i < parts.length; i++) {
          const p = parts[i]!;
          if (p === '.') out[i] = null;
          else if (int ? INT_RE.test(p) : FLOAT_RE.test(p)) out[i] = int ? this.int32(p, def, line, kind) : toF32(parseNumber(p));
          else this.fail(line, `${kind}/${def.id} value "${p}" is not ${int ? 'an Integer' : 'a Float'}`);
        }
        return out;
      }
      case 'Flag':
        return true;
      default:
        return text;
    }
  }

  /** htslib keeps Integer values in int32 (its lowest 8 values are reserved): others read as missing. */
  private int32(p: string, def: FieldDef, line: number, kind: string): number | null {
    const v = Number(p);
    if (v >= -2147483640 && v <= 2147483647) return v;
    this.warn?.(`${this.name} line ${line}: ${kind}/${def.id} value ${p} is outside the int32 range; reading it as missing`);
    return null;
  }

  private samples(rec: VcfRecord, formatText: string, b: Uint8Array, t: Int32Array, line: number): void {
    if (formatText === '.' || formatText === '') return;
    const keys = formatText.split(':');
    const defs = keys.map((k) => this.header.formatDef(k, this.warn));
    const ns = this.header.samples.length;
    rec.format = keys;
    const cells = this.cells?.(keys, defs, b, t, ns);
    if (cells) {
      rec.cells = cells;
      return;
    }
    rec.samples = keys.map(() => new Array<Value>(ns).fill(null));
    for (let s = 0; s < ns; s++) {
      const text = latin1(b, t[9 + s]! + 1, t[10 + s]!);
      const parts = text.split(':');
      if (parts.length > keys.length) this.fail(line, `sample ${this.header.samples[s]} has ${parts.length} values for ${keys.length} FORMAT keys (${formatText})`);
      for (let k = 0; k < parts.length; k++) {
        const p = parts[k]!;
        if (keys[k] === 'GT') {
          if (!GT_RE.test(p)) this.fail(line, `sample ${this.header.samples[s]}: bad GT "${p}"`);
          rec.samples[k]![s] = p;
        } else rec.samples[k]![s] = this.value(p, defs[k]!, line, 'FORMAT');
      }
    }
  }
}

function parseNumber(s: string): number {
  const l = s.toLowerCase().replace(/^\+/, '');
  if (l === 'nan' || l === '-nan') return NaN;
  if (l === 'inf' || l === 'infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  return Number(s);
}
