/**
 * SAM text line -> BAM record bytes (SAMv1 §1.4), with htslib's encoding choices (smallest
 * integer type for `i` tags, bin from the CIGAR span). Errors name the file and line.
 */
import { InputError } from '@genolake/core';
import { ByteWriter, encodeAuxField } from '../aux.js';
import { parseCigar, queryLength } from '../cigar.js';
import type { Header } from '../header.js';
import { encodeRecord } from '../record-buf.js';

const NT16 = new Uint8Array(256).fill(15);
'=ACMGRSVTWYHKDBN'.split('').forEach((c, i) => {
  NT16[c.charCodeAt(0)] = i;
  NT16[c.toLowerCase().charCodeAt(0)] = i;
});

function int(text: string, what: string, where: string, min: number, max: number): number {
  const v = /^[-+]?\d+$/.test(text) ? Number(text) : NaN;
  if (!(v >= min && v <= max)) throw new InputError(`${where}: bad ${what} "${text}"`);
  return v;
}

export class SamLineParser {
  private readonly aux = new ByteWriter();
  private readonly out = new ByteWriter();

  constructor(private readonly header: Header) {}

  private ref(name: string, where: string): number {
    if (name === '*') return -1;
    const id = this.header.refId(name);
    if (id < 0) throw new InputError(`${where}: unknown reference "${name}" (not in the header's @SQ lines)`);
    return id;
  }

  /** `where` is "<file> line <n>". */
  parse(line: string, where: string): Uint8Array {
    const f = line.split('\t');
    if (f.length < 11) throw new InputError(`${where}: expected at least 11 TAB-separated fields, got ${f.length}`);
    const name = f[0]!;
    if (name.length < 1 || name.length > 254) throw new InputError(`${where}: QNAME must be 1 to 254 characters`);
    let flag = int(f[1]!, 'FLAG', where, 0, 0xffff);
    const refId = this.ref(f[2]!, where);
    const pos = int(f[3]!, 'POS', where, 0, 2 ** 31 - 1) - 1;
    // As htslib: a "mapped" read without a reference or position is stored as unmapped.
    if (refId < 0 || pos < 0) flag |= 0x4;
    const mapq = int(f[4]!, 'MAPQ', where, 0, 255);
    const cigar = parseCigar(f[5]!, where);
    const nextRefId = f[6] === '=' ? refId : this.ref(f[6]!, where);
    const nextPos = int(f[7]!, 'PNEXT', where, 0, 2 ** 31 - 1) - 1;
    const tlen = int(f[8]!, 'TLEN', where, -(2 ** 31) + 1, 2 ** 31 - 1);
    const seqText = f[9]!;
    const seq = new Uint8Array(seqText === '*' ? 0 : seqText.length);
    for (let i = 0; i < seq.length; i++) seq[i] = NT16[seqText.charCodeAt(i) & 0xff]!;
    if (cigar.length && seq.length && queryLength(cigar) !== seq.length) {
      throw new InputError(`${where}: CIGAR and sequence lengths differ (${queryLength(cigar)} vs ${seq.length})`);
    }
    const qualText = f[10]!;
    const qual = new Uint8Array(seq.length).fill(0xff);
    if (qualText !== '*') {
      if (qualText.length !== seq.length) throw new InputError(`${where}: SEQ and QUAL lengths differ (${seq.length} vs ${qualText.length})`);
      for (let i = 0; i < qual.length; i++) {
        const q = qualText.charCodeAt(i) - 33;
        if (q < 0 || q > 93) throw new InputError(`${where}: bad quality character at column ${i + 1}`);
        qual[i] = q;
      }
    }
    this.aux.length = 0;
    for (let i = 11; i < f.length; i++) encodeAuxField(this.aux, f[i]!, where);
    return encodeRecord({ name, flag, refId, pos, mapq, cigar, nextRefId, nextPos, tlen, seq, qual, aux: this.aux.buf.subarray(0, this.aux.length) }, this.out);
  }
}
