/**
 * The two BCF dictionaries (VCFv4.3 §6.2.1), built from the header text: strings (the IDs of
 * FILTER, INFO and FORMAT lines, one shared entry per ID, PASS first) and contigs (contig lines
 * in order). Records refer to both by index. An `IDX=` attribute, which htslib writes into BCF
 * headers, fixes a line's index; other lines take the next free one.
 */
import { pairValue, parseMetaLine } from '../header/meta-line.js';

export interface Dictionaries {
  /** Index -> FILTER/INFO/FORMAT ID (holes are undefined). */
  strings: (string | undefined)[];
  /** Index -> contig name. */
  contigs: (string | undefined)[];
}

class Dictionary {
  readonly names: (string | undefined)[] = [];
  private readonly seen = new Set<string>();

  add(id: string, idx: string | undefined): void {
    if (this.seen.has(id)) return;
    this.seen.add(id);
    const at = idx !== undefined && /^\d+$/.test(idx) ? Number(idx) : this.names.length;
    this.names[at] = id;
  }
}

/** Dictionaries of the header lines `lines` (each without its line end). */
export function dictionaries(lines: readonly string[]): Dictionaries {
  const strings = new Dictionary(), contigs = new Dictionary();
  const pass = lines.find((l) => l.startsWith('##FILTER=') && pairValue(parseMetaLine(l) ?? { key: '', value: '' }, 'ID') === 'PASS');
  // htslib defines PASS before reading any line, so it is 0 unless the file's PASS line says otherwise
  if (pass === undefined || pairValue(parseMetaLine(pass)!, 'IDX') === undefined) strings.add('PASS', '0');
  for (const line of lines) {
    if (!line.startsWith('##')) continue;
    const m = parseMetaLine(line);
    if (!m?.pairs) continue;
    const id = pairValue(m, 'ID');
    if (id === undefined) continue;
    if (m.key === 'FILTER' || m.key === 'INFO' || m.key === 'FORMAT') strings.add(id, pairValue(m, 'IDX'));
    else if (m.key === 'contig') contigs.add(id, pairValue(m, 'IDX'));
  }
  return { strings: strings.names, contigs: contigs.names };
}
