/**
 * The tabix configuration and sequence names as stored after the .tbi magic and n_ref, and as
 * the CSI aux data: format, col_seq, col_beg, col_end, meta, skip, l_nm, NUL-terminated names.
 */
import { CorruptDataError } from '@genolake/core';
import { type ByteReader, ByteWriter } from '../binning/bytes.js';
import { type TabixConfig, formatWord, fromFormatWord } from './config.js';

export function writeMeta(w: ByteWriter, config: TabixConfig, names: string[]): void {
  w.i32(formatWord(config));
  w.i32(config.seq);
  w.i32(config.begin);
  w.i32(config.end);
  w.i32(config.meta.charCodeAt(0) || 0);
  w.i32(config.skip);
  const nm = Buffer.from(names.map((n) => `${n}\0`).join(''), 'latin1');
  w.i32(nm.length);
  w.bytes(nm);
}

export function encodeMeta(config: TabixConfig, names: string[]): Uint8Array {
  const w = new ByteWriter();
  writeMeta(w, config, names);
  return w.finish();
}

export function readMeta(r: ByteReader, nRef: number): { config: TabixConfig; names: string[] } {
  const word = r.i32();
  const config = fromFormatWord(word, r.i32(), r.i32(), r.i32(), r.i32(), r.i32());
  const l = r.count('name bytes', 1);
  const names = Buffer.from(r.bytes(l)).toString('latin1').split('\0');
  if (names[names.length - 1] === '') names.pop();
  if (nRef >= 0 && names.length !== nRef) throw new CorruptDataError(`${r.name}: ${names.length} sequence names for ${nRef} references`);
  return { config, names };
}
