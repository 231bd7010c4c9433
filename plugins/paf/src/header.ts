/**
 * The SAM header (SAMv1 §1.3): its text, kept verbatim (every @HD @SQ @RG @PG @CO and unknown
 * line, in order), plus the reference sequences that records refer to by index. In BAM both
 * are stored (§4.2); SAM text gets its references from the @SQ lines.
 */
import { InputError } from '@genolake/core';

export interface Reference {
  name: string;
  /** Length in bases. */
  length: number;
}

export class Header {
  private readonly ids: Map<string, number>;

  constructor(
    /** Header text, each line ending in '\n' ('' when there is none). */
    readonly text: string,
    readonly refs: readonly Reference[],
  ) {
    this.ids = new Map(refs.map((r, i) => [r.name, i]));
  }

  /** Index of a reference name, or -1. */
  refId(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  get names(): string[] {
    return this.refs.map((r) => r.name);
  }

  /**
   * The text as samtools prints it: the stored bytes as they are (a stray NUL included), then
   * @SQ lines made from the references when the text has none (htslib 1.16 appends them).
   */
  samText(): string {
    if (this.refs.length === 0 || /(^|\n)@SQ\t/.test(this.text)) return this.text;
    return this.text + this.refs.map((r) => `@SQ\tSN:${r.name}\tLN:${r.length}\n`).join('');
  }

  /** Header from SAM text lines (each without its newline); references from @SQ SN/LN. */
  static fromSamLines(lines: readonly string[], where: string): Header {
    const refs: Reference[] = [];
    const seen = new Set<string>();
    lines.forEach((line, i) => {
      if (!line.startsWith('@SQ\t')) return;
      let name: string | undefined;
      let length: number | undefined;
      for (const f of line.split('\t').slice(1)) {
        if (f.startsWith('SN:')) name = f.slice(3);
        else if (f.startsWith('LN:')) length = Number(f.slice(3));
      }
      if (!name) throw new InputError(`${where} line ${i + 1}: @SQ line without SN`);
      if (length === undefined || !Number.isSafeInteger(length) || length < 0 || length > 2 ** 31 - 1) {
        throw new InputError(`${where} line ${i + 1}: @SQ ${name} has LN ${length ?? 'missing'}; BAM-based datasets hold lengths 0..2^31-1`);
      }
      if (seen.has(name)) throw new InputError(`${where} line ${i + 1}: @SQ ${name} appears twice`);
      seen.add(name);
      refs.push({ name, length });
    });
    return new Header(lines.map((l) => `${l}\n`).join(''), refs);
  }
}
