/**
 * The VCF header: meta lines, field definitions (INFO, FORMAT, FILTER), contigs and samples.
 * `source` keeps the header exactly as read; `text()` is the header as `bcftools view --no-version`
 * prints it (htslib's normalisations: the PASS filter line second, structured lines re-serialised,
 * duplicate INFO/FORMAT/FILTER/contig IDs and unparsable structured lines dropped).
 */
import { InputError } from '@genolake/core';
import { formatMetaLine, pairValue, parseMetaLine, type MetaLine } from './meta-line.js';

export type ValueType = 'Integer' | 'Float' | 'Flag' | 'Character' | 'String';
const TYPES = new Set<ValueType>(['Integer', 'Float', 'Flag', 'Character', 'String']);

export interface FieldDef {
  id: string;
  /** Number as declared: an integer, 'A', 'R', 'G' or '.'. */
  number: string;
  type: ValueType;
  description: string;
  /** False for a field the records use but the header does not declare (typed String). */
  declared: boolean;
}

export const PASS_LINE = '##FILTER=<ID=PASS,Description="All filters passed">';
export const FIXED_COLUMNS = ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO'];

export class Header {
  readonly info = new Map<string, FieldDef>();
  readonly format = new Map<string, FieldDef>();
  readonly filters: string[] = ['PASS'];
  readonly contigs: { name: string; length?: number }[] = [];
  /** Meta lines as bcftools prints them, without the #CHROM line. */
  readonly lines: string[] = [];
  private warned = new Set<string>();

  private constructor(readonly source: string, readonly samples: string[]) {}

  /** Parses header lines (each without its line end), the last being the #CHROM line. */
  static parse(lines: string[], name: string): Header {
    const last = lines[lines.length - 1];
    if (last === undefined || !last.startsWith('#CHROM')) throw new InputError(`${name} line ${lines.length + 1}: expected the #CHROM header line`);
    const cols = last.split('\t');
    for (let i = 0; i < FIXED_COLUMNS.length; i++) {
      if (cols[i] !== FIXED_COLUMNS[i]) throw new InputError(`${name} line ${lines.length}: header column ${i + 1} is "${cols[i] ?? ''}", expected ${FIXED_COLUMNS[i]}`);
    }
    if (cols.length > 8 && cols[8] !== 'FORMAT') throw new InputError(`${name} line ${lines.length}: header column 9 is "${cols[8]}", expected FORMAT`);
    const h = new Header(lines.map((l) => `${l}\n`).join(''), cols.slice(9));
    const seenSamples = new Set<string>();
    for (const s of h.samples) {
      if (seenSamples.has(s)) throw new InputError(`${name} line ${lines.length}: duplicate sample name "${s}"`);
      seenSamples.add(s);
    }
    h.lines.push(...(lines.length > 1 && lines[0]!.startsWith('##fileformat=') ? [lines[0]!] : []), PASS_LINE);
    const start = h.lines.length - 1;
    for (let i = start; i < lines.length - 1; i++) {
      const raw = lines[i]!;
      if (!raw.startsWith('##')) throw new InputError(`${name} line ${i + 1}: header line does not start with ##`);
      const m = parseMetaLine(raw);
      if (!m) continue;
      if (h.add(m, name, i + 1)) h.lines.push(formatMetaLine(m));
    }
    return h;
  }

  private add(m: MetaLine, name: string, lineNo: number): boolean {
    if (!m.pairs) return true;
    const id = pairValue(m, 'ID');
    if (m.key === 'FILTER') {
      if (id === undefined || this.filters.includes(id)) return false;
      this.filters.push(id);
      return true;
    }
    if (m.key === 'contig') {
      if (id === undefined || this.contigs.some((c) => c.name === id)) return false;
      const len = pairValue(m, 'length');
      this.contigs.push(len !== undefined && /^\d+$/.test(len) ? { name: id, length: Number(len) } : { name: id });
      return true;
    }
    if (m.key !== 'INFO' && m.key !== 'FORMAT') return true;
    const map = m.key === 'INFO' ? this.info : this.format;
    const type = pairValue(m, 'Type') as ValueType | undefined;
    const number = pairValue(m, 'Number');
    if (id === undefined || type === undefined || number === undefined) return false;
    if (!TYPES.has(type) || !/^(\d+|[ARG.])$/.test(number)) throw new InputError(`${name} line ${lineNo}: ${m.key} ${id} has Type=${type} Number=${number}; expected Type Integer/Float/Flag/Character/String and Number n/A/R/G/.`);
    if (map.has(id)) return false;
    map.set(id, { id, number, type, description: pairValue(m, 'Description') ?? '', declared: true });
    return true;
  }

  /** The definition of INFO/`id`; an undeclared field becomes Number=., Type=String with one warning. */
  infoDef(id: string, warn?: (message: string) => void): FieldDef {
    return this.def(this.info, 'INFO', id, warn);
  }

  formatDef(id: string, warn?: (message: string) => void): FieldDef {
    return this.def(this.format, 'FORMAT', id, warn);
  }

  private def(map: Map<string, FieldDef>, kind: string, id: string, warn?: (message: string) => void): FieldDef {
    const d = map.get(id);
    if (d) return d;
    const made: FieldDef = { id, number: '.', type: 'String', description: 'Undeclared in the source header', declared: false };
    map.set(id, made);
    if (!this.warned.has(`${kind}/${id}`)) {
      this.warned.add(`${kind}/${id}`);
      warn?.(`${kind} field ${id} is not declared in the header; reading it as Type=String`);
    }
    return made;
  }

  /** Fields used by records but not declared (kept out of `text()`, as bcftools does). */
  undeclared(): { kind: 'INFO' | 'FORMAT'; def: FieldDef }[] {
    const out: { kind: 'INFO' | 'FORMAT'; def: FieldDef }[] = [];
    for (const d of this.info.values()) if (!d.declared) out.push({ kind: 'INFO', def: d });
    for (const d of this.format.values()) if (!d.declared) out.push({ kind: 'FORMAT', def: d });
    return out;
  }

  /** The #CHROM line for `samples` (all when absent). */
  columnLine(samples: readonly string[] = this.samples): string {
    const cols = [...FIXED_COLUMNS];
    if (samples.length) cols.push('FORMAT', ...samples);
    return cols.join('\t');
  }

  /** The header as `bcftools view --no-version` prints it, for `samples` (all when absent). */
  text(samples?: readonly string[]): string {
    return `${this.lines.join('\n')}\n${this.columnLine(samples)}\n`;
  }
}
