/**
 * One BCF record (VCFv4.3 §6.3) -> VcfRecord, the model the VCF reader produces, so everything
 * downstream works unchanged. The shared part holds CHROM (contig index), POS (0-based), rlen,
 * QUAL, the allele/INFO and FORMAT/sample counts, ID, the alleles, FILTER (string-dictionary
 * indexes) and INFO (key index + typed vector); the individual part holds, per FORMAT key, one
 * typed descriptor and then that many elements for every sample.
 */
import type { FieldDef, Header } from '../header/header.js';
import type { Value, VcfRecord } from '../record/record.js';
import type { Dictionaries } from './dictionary.js';
import { GenotypeText } from './genotype.js';
import { CHAR, type Cursor, FLOAT, FLOAT_MISSING, INT16, INT32, INT8, MISSING_TYPE, WIDTH } from './typed.js';
import { fit, scalar, vector } from './values.js';

/** Bytes of the fixed fields at the start of the shared part. */
const FIXED = 24;

export class RecordDecoder {
  private readonly genotypes = new GenotypeText();
  private readonly infoDefs: (FieldDef | undefined)[] = [];
  private readonly formatDefs: (FieldDef | undefined)[] = [];
  private readonly gtKey: number;

  constructor(readonly header: Header, readonly dict: Dictionaries, readonly warn?: (message: string) => void) {
    this.gtKey = dict.strings.indexOf('GT');
  }

  private key(c: Cursor, what: string): number {
    const at = c.p;
    const k = c.typedInt(`${what} key`);
    if (k < 0 || this.dict.strings[k] === undefined) c.fail(`${what} key ${k} is not in the header's string dictionary`, at);
    return k;
  }

  /** Decodes the record at `c.p`: `lShared` bytes of shared part, then `lIndiv` of individual part. */
  decode(c: Cursor, lShared: number, lIndiv: number): VcfRecord {
    const start = c.p;
    const sharedEnd = start + lShared;
    c.end = sharedEnd;
    c.need(FIXED, 'the fixed fields (CHROM, POS, rlen, QUAL, counts)');
    const v = c.view;
    const chromId = v.getInt32(start, true);
    const pos0 = v.getInt32(start + 4, true);
    const qualBits = v.getUint32(start + 12, true);
    const nAlleleInfo = v.getUint32(start + 16, true);
    const nFmtSample = v.getUint32(start + 20, true);
    const chrom = this.dict.contigs[chromId];
    if (chromId < 0 || chrom === undefined) c.fail(`CHROM index ${chromId} is not in the header's contig dictionary (${this.dict.contigs.length} contigs)`, start);
    if (pos0 < -1) c.fail(`POS ${pos0} is negative`, start + 4);
    c.p = start + FIXED;

    const idText = c.typedString('ID');
    const nAllele = nAlleleInfo >>> 16;
    const alleles: string[] = new Array(nAllele);
    for (let i = 0; i < nAllele; i++) alleles[i] = c.typedString(i ? `ALT allele ${i}` : 'REF');
    const filter = this.filter(c);
    const nInfo = nAlleleInfo & 0xffff;
    const info: [string, Value][] = new Array(nInfo);
    for (let i = 0; i < nInfo; i++) info[i] = this.info(c);

    const rec: VcfRecord = {
      chrom, pos: pos0 + 1, id: idText === '' ? '.' : idText,
      ref: nAllele ? alleles[0]! : '.', alt: nAllele > 1 ? alleles.slice(1) : [],
      qual: qualBits === FLOAT_MISSING ? null : v.getFloat32(start + 12, true),
      filter, info, format: [], samples: [],
    };
    const nFmt = nFmtSample >>> 24;
    if (nFmt) {
      c.p = sharedEnd;
      c.end = sharedEnd + lIndiv;
      this.individual(c, rec, nFmt, nFmtSample & 0xffffff);
    }
    return rec;
  }

  private filter(c: Cursor): string[] | null {
    const at = c.p;
    const n = c.descriptor('FILTER');
    if (n === 0) return null;
    const t = c.type;
    if (t !== INT8 && t !== INT16 && t !== INT32) c.fail(`FILTER should be an integer vector, found type code ${t}`, at);
    const out: string[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const k = c.int(t);
      const id = this.dict.strings[k];
      if (k < 0 || id === undefined) c.fail(`FILTER index ${k} is not in the header's string dictionary`, at);
      out[i] = id;
    }
    return out;
  }

  private info(c: Cursor): [string, Value] {
    const k = this.key(c, 'INFO');
    const id = this.dict.strings[k]!;
    const n = c.descriptor(`INFO/${id}`);
    const t = c.type;
    const at = c.p;
    c.p += n * WIDTH[t]!;
    if (n === 0 || t === MISSING_TYPE) return [id, true];
    const def = this.infoDefs[k] ?? (this.infoDefs[k] = this.header.infoDef(id, this.warn));
    return [id, fit(n === 1 ? scalar(c, at, t) : vector(c, at, t, n), t, def)];
  }

  private individual(c: Cursor, rec: VcfRecord, nFmt: number, nSample: number): void {
    const ns = this.header.samples.length;
    if (nSample !== ns) c.fail(`the record has ${nSample} samples, the header ${ns}`);
    const keys: number[] = new Array(nFmt), types: number[] = new Array(nFmt), counts: number[] = new Array(nFmt), starts: number[] = new Array(nFmt);
    let gt = -1;
    for (let f = 0; f < nFmt; f++) {
      const k = this.key(c, 'FORMAT');
      const n = c.descriptor(`FORMAT/${this.dict.strings[k]!}`);
      const size = n * WIDTH[c.type]!;
      c.need(size * ns, `FORMAT/${this.dict.strings[k]!}`);
      keys[f] = k;
      types[f] = c.type;
      counts[f] = n;
      starts[f] = c.p;
      c.p += size * ns;
      if (k === this.gtKey) gt = f;  // htslib prints only the last GT key as a genotype
    }
    rec.format = new Array(nFmt);
    rec.samples = new Array(nFmt);
    for (let f = 0; f < nFmt; f++) {
      const k = keys[f]!, t = types[f]!, n = counts[f]!, at = starts[f]!;
      const size = n * WIDTH[t]!;
      const values: Value[] = new Array(ns);
      if (f === gt && t !== CHAR && t !== FLOAT && t !== MISSING_TYPE && n > 0) {
        for (let s = 0; s < ns; s++) values[s] = this.genotypes.text(c, at + s * size, t, n);
      } else {
        const def = this.formatDefs[k] ?? (this.formatDefs[k] = this.header.formatDef(this.dict.strings[k]!, this.warn));
        for (let s = 0; s < ns; s++) values[s] = fit(vector(c, at + s * size, t, n), t, def);
      }
      rec.format[f] = this.dict.strings[k]!;
      rec.samples[f] = values;
    }
  }
}
