/**
 * The BCF header block (VCFv4.3 §6.2): magic `BCF\2\2`, l_text (uint32 little-endian), then
 * l_text bytes of VCF header text ending in NUL. The text goes through the VCF header model, so
 * the header is kept and printed exactly as for VCF input; only the `IDX=` attributes, which
 * belong to the binary encoding and which htslib drops when it writes VCF, are taken out after
 * the dictionaries have been read from them.
 */
import { CorruptDataError } from '@genolake/core';
import { Header } from '../header/header.js';
import { formatMetaLine, parseMetaLine } from '../header/meta-line.js';
import { dictionaries, type Dictionaries } from './dictionary.js';

/** True when `head` starts with `BCF\2` (any minor version; BcfRecords.open accepts 2.1 and 2.2). */
export function isBcf(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x42 && head[1] === 0x43 && head[2] === 0x46 && head[3] === 2;
}

function withoutIdx(line: string): string {
  if (!line.includes('IDX=')) return line;
  const m = parseMetaLine(line);
  if (!m?.pairs?.some(([k]) => k === 'IDX')) return line;
  return formatMetaLine({ ...m, pairs: m.pairs.filter(([k]) => k !== 'IDX') });
}

/** Parses the header text (NUL and anything after it already cut off). */
export function parseHeaderText(text: string, name: string): { header: Header; dict: Dictionaries } {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l !== '');
  const chrom = lines.findIndex((l) => l.startsWith('#CHROM'));
  if (chrom < 0) throw new CorruptDataError(`${name}: the BCF header text has no #CHROM line`);
  const head = lines.slice(0, chrom + 1);
  const dict = dictionaries(head);
  return { header: Header.parse(head.map(withoutIdx), name), dict };
}
