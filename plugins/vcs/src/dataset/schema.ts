/** Dataset-level names and the `_schema.json` document (column -> VCF meaning and Parquet type). */
import type { Header } from '../header/header.js';

export const FORMAT = 'vcs';
export const FORMAT_VERSION = '1.0';
export const SCHEMA_KEY = '_schema.json';

export interface VcsMetadata {
  /** The source header, byte for byte. */
  headerText: string;
  samples: string[];
  /** Samples per sample-batch file. */
  sampleBatch: number;
  contigs: string[];
  records: number;
  rowGroupSize: number;
  /** Undeclared fields read as String (with a warning at convert time). */
  undeclared: string[];
}

/** Hive partition directory of a contig: `contig=<name>`, bytes outside [A-Za-z0-9._-] as %XX. */
export function partitionDir(contig: string): string {
  const esc = Array.from(Buffer.from(contig, 'latin1'), (b) => (/[A-Za-z0-9._-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return `contig=${esc}`;
}

export function schemaDocument(header: Header): Record<string, unknown> {
  const field = (kind: string, d: { id: string; number: string; type: string; description: string; declared: boolean }) =>
    ({ column: kind === 'INFO' ? `INFO_${d.id}` : `<sample>:${d.id}`, vcf: `${kind}/${d.id}`, number: d.number, type: d.type, declared: d.declared, description: d.description });
  return {
    format: FORMAT, formatVersion: FORMAT_VERSION,
    partitioning: { hive: ['contig'], note: 'contig=<CHROM> directories; read with hive_partitioning = true (hive_types: contig VARCHAR)' },
    files: { sites: '*.sites.parquet: one row per record, site columns', samples: '*.samples-<batch>.parquet: same rows, per-sample FORMAT columns "<sample>:<KEY>"' },
    siteColumns: {
      CHROM: 'STRING', POS: 'INT64 (1-based)', END: 'INT64 (1-based inclusive; INFO/END or POS+len(REF)-1)', ID: 'STRING (null = .)', REF: 'STRING',
      ALT: 'STRING, comma-separated (null = .)', QUAL: 'FLOAT (null = .)', FILTER: 'STRING, ;-separated (null = .)',
      _info: 'STRING: INFO keys in record order (key! = value-less non-Flag key)', _format: 'STRING: FORMAT keys',
    },
    infoFields: [...header.info.values()].map((d) => field('INFO', d)),
    formatFields: [...header.format.values()].map((d) => field('FORMAT', d)),
    samples: header.samples,
    typing: 'Integer/Float fields with Number=1 are INT32/FLOAT when every value of the chunk is a scalar, Flags BOOLEAN, anything else its VCF text (STRING); GT is text',
  };
}
