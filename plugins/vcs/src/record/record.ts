/**
 * An owned VCF record (RecordBuf in noodles' terms): typed values as htslib holds them, so
 * formatting gives what `bcftools view` prints. Values: `null` is a missing value ("."), a
 * string is a String/Character value (commas kept inside), `true` a Flag, and an array holds
 * Integer/Float elements (null elements are ".").
 */
export type Value = null | string | true | (number | null)[];

export interface VcfRecord {
  chrom: string;
  /** 1-based position as in the file. */
  pos: number;
  /** '.' when absent. */
  id: string;
  ref: string;
  /** Empty when ALT is '.'. */
  alt: string[];
  /** null when '.' (float32 otherwise). */
  qual: number | null;
  /** null when '.'. */
  filter: string[] | null;
  /** INFO entries in file order. */
  info: [string, Value][];
  /** FORMAT keys (empty without samples). */
  format: string[];
  /** `samples[k][s]`: value of FORMAT key k for sample s; GT is its normalised text. */
  samples: Value[][];
  /**
   * Convert's fast path (SampleCells): the sample values already encoded as matrix cells, per
   * FORMAT key and matrix group; `samples` is then empty. For the marker-major copy's keys the
   * list has one more entry, the row over all samples (markerBlock reads it).
   */
  cells?: Map<string, Uint8Array[]>;
}

/** 0-based half-open end of a record: POS + len(REF) - 1, as htslib's rlen (INFO/END is not consulted). */
export function recordEnd(r: VcfRecord): number {
  return r.pos - 1 + Math.max(1, r.ref.length);
}
