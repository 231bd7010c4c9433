/**
 * How tabix finds coordinates in a line (tabix.pdf; the same fields sit in the .tbi header and
 * in the CSI aux data). Columns are 1-based; `end` 0 means "no end column".
 */
import { InvalidArgumentError } from '@genolake/core';

export type TabixPreset = 'generic' | 'sam' | 'vcf';

export interface TabixConfig {
  /** generic, or a preset that computes the end from SAM CIGAR / VCF REF and INFO/END. */
  preset: TabixPreset;
  /** Begin column is 0-based (BED, UCSC) rather than 1-based. */
  zeroBased: boolean;
  seq: number;
  begin: number;
  end: number;
  /** Lines starting with this character are headers. */
  meta: string;
  /** Leading lines to skip (headers without a meta character). */
  skip: number;
}

export const PRESETS: Record<string, TabixConfig> = {
  gff: { preset: 'generic', zeroBased: false, seq: 1, begin: 4, end: 5, meta: '#', skip: 0 },
  bed: { preset: 'generic', zeroBased: true, seq: 1, begin: 2, end: 3, meta: '#', skip: 0 },
  sam: { preset: 'sam', zeroBased: false, seq: 3, begin: 4, end: 0, meta: '@', skip: 0 },
  vcf: { preset: 'vcf', zeroBased: false, seq: 1, begin: 2, end: 0, meta: '#', skip: 0 },
};

/** The format word of the on-disk header: 0 generic, 1 SAM, 2 VCF, plus 0x10000 for 0-based. */
export function formatWord(c: TabixConfig): number {
  return (c.preset === 'sam' ? 1 : c.preset === 'vcf' ? 2 : 0) | (c.zeroBased ? 0x10000 : 0);
}

export function fromFormatWord(word: number, seq: number, begin: number, end: number, meta: number, skip: number): TabixConfig {
  const kind = word & 0xffff;
  if (kind > 2) throw new InvalidArgumentError(`unknown tabix format ${kind}`);
  return {
    preset: kind === 1 ? 'sam' : kind === 2 ? 'vcf' : 'generic',
    zeroBased: (word & 0x10000) !== 0,
    seq,
    begin,
    end,
    meta: String.fromCharCode(meta),
    skip,
  };
}

/** Guesses the preset from a file name, as tabix does without -p. */
export function presetForName(name: string): string | undefined {
  const n = name.replace(/\.(b?gz|bgzf)$/, '');
  if (/\.gff3?$|\.gtf$/.test(n)) return 'gff';
  if (/\.bed$/.test(n)) return 'bed';
  if (/\.sam$/.test(n)) return 'sam';
  if (/\.vcf$/.test(n)) return 'vcf';
  return undefined;
}
