/**
 * Explicit lossy options, recorded in the manifest: quality binning (Illumina's 8-level
 * scheme), dropping read names, dropping aux tags.
 */
import { InvalidArgumentError } from '@genolake/core';
import { auxFieldLength } from '../aux.js';

export interface LossyOptions {
  qualityBins?: 'illumina8';
  dropNames?: boolean;
  dropTags?: string[];
}

/** Illumina 8-level binning: each Phred value -> its bin's representative. */
export function illumina8(): Uint8Array {
  const map = new Uint8Array(256);
  for (let q = 0; q < 256; q++) {
    map[q] = q < 2 ? q : q <= 9 ? 6 : q <= 19 ? 15 : q <= 24 ? 22 : q <= 29 ? 27 : q <= 34 ? 33 : q <= 39 ? 37 : 40;
  }
  map[0xff] = 0xff;
  return map;
}

export function parseLossy(options: Record<string, unknown>): LossyOptions {
  const out: LossyOptions = {};
  const qb = options.qualityBins ?? options['quality-bins'];
  if (qb !== undefined) {
    if (qb !== 'illumina8') throw new InvalidArgumentError(`quality bins "${String(qb)}": only illumina8 is supported`);
    out.qualityBins = 'illumina8';
  }
  const dn = options.dropNames ?? options['drop-names'];
  if (dn === true || dn === 'true') out.dropNames = true;
  const dt = options.dropTags ?? options['drop-tags'];
  if (dt !== undefined && dt !== '') {
    const tags = String(dt).split(',').map((t) => t.trim()).filter(Boolean);
    for (const t of tags) if (t.length !== 2) throw new InvalidArgumentError(`--drop-tags: "${t}" is not a two-character tag`);
    out.dropTags = tags;
  }
  return out;
}

/** The aux bytes without the listed tags (order of the rest kept). */
export function dropTags(aux: Uint8Array, tags: ReadonlySet<number>, where: string): Uint8Array {
  if (tags.size === 0 || aux.length === 0) return aux;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let at = 0; at < aux.length;) {
    const len = auxFieldLength(aux, at, where);
    if (!tags.has((aux[at]! << 8) | aux[at + 1]!)) {
      parts.push(aux.subarray(at, at + len));
      total += len;
    }
    at += len;
  }
  if (total === aux.length) return aux;
  const out = new Uint8Array(total);
  let p = 0;
  for (const x of parts) {
    out.set(x, p);
    p += x.length;
  }
  return out;
}

export function tagCodes(tags: readonly string[] | undefined): Set<number> {
  return new Set((tags ?? []).map((t) => (t.charCodeAt(0) << 8) | t.charCodeAt(1)));
}
