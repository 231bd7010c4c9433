/** Dataset-level names and the `_schema.json` document (column -> VCF meaning and Parquet type). */
import type { Header } from '../header/header.js';

export const FORMAT = 'vcs';
export const FORMAT_VERSION = '2.0';
export const SCHEMA_KEY = '_schema.json';

export interface VcsMetadata {
  /** The source header, byte for byte. */
  headerText: string;
  samples: string[];
  /** Samples per sample-batch file. */
  sampleBatch: number;
  /** Samples per matrix column inside a batch file. */
  sampleGroup: number;
  /** FORMAT keys of the marker-major copy (empty or absent: sample-major only). */
  markerKeys?: string[];
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

/**
 * The header of a dataset after adding `input`'s: the old header's lines, then the input's
 * `##` lines the old header lacks (new INFO/FORMAT/FILTER/contig definitions; for a duplicate
 * ID the first definition wins when parsed, as in htslib), then the #CHROM line with `samples`.
 */
export function mergeHeaderText(old: string, input: string, samples: readonly string[]): string {
  const lines = (t: string): string[] => t.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter(Boolean);
  const a = lines(old), b = lines(input);
  const meta = a.filter((l) => l.startsWith('##'));
  const have = new Set(meta);
  for (const l of b) if (l.startsWith('##') && !have.has(l)) (have.add(l), meta.push(l));
  const cols = ['#CHROM', 'POS', 'ID', 'REF', 'ALT', 'QUAL', 'FILTER', 'INFO', ...(samples.length ? ['FORMAT', ...samples] : [])];
  return `${[...meta, cols.join('\t')].join('\n')}\n`;
}

/** The `_schema.json` document; the manifest's copy leaves out the sample names (`metadata.samples` has them). */
export function schemaDocument(header: Header, withSamples = true): Record<string, unknown> {
  const field = (kind: string, d: { id: string; number: string; type: string; description: string; declared: boolean }) =>
    ({ column: kind === 'INFO' ? `INFO_${d.id}` : `${d.id}.<group>`, vcf: `${kind}/${d.id}`, number: d.number, type: d.type, declared: d.declared, description: d.description });
  return {
    format: FORMAT, formatVersion: FORMAT_VERSION,
    partitioning: { hive: ['contig'], note: 'contig=<CHROM> directories; read with hive_partitioning = true (hive_types: contig VARCHAR)' },
    files: {
      sites: '*.sites.parquet: one row per record, site columns',
      samples: '*.samples-<first sample>.parquet: same rows; per FORMAT key and group of sampleGroup samples a BYTE_ARRAY matrix column "<KEY>.<group>" (docs/formats/vcs.md: GT 1+P bytes per sample, numbers fixed-width byte-plane split, 0xFE = text row)',
      markers: '*.markers-<first sample>.bin (layout=marker-major): per site a zstd block of GT/DS of all samples, index pages listed in the manifest entry',
    },
    siteColumns: {
      CHROM: 'STRING', POS: 'INT64 (1-based)', END: 'INT64 (1-based inclusive; INFO/END or POS+len(REF)-1)', ID: 'STRING (null = .)', REF: 'STRING',
      ALT: 'STRING, comma-separated (null = .)', QUAL: 'FLOAT (null = .)', FILTER: 'STRING, ;-separated (null = .)',
      _info: 'STRING: INFO keys in record order (key! = value-less non-Flag key)', _format: 'STRING: FORMAT keys',
    },
    infoFields: [...header.info.values()].map((d) => field('INFO', d)),
    formatFields: [...header.format.values()].map((d) => field('FORMAT', d)),
    ...(withSamples ? { samples: header.samples } : {}),
    typing: 'INFO: Integer/Float fields with Number=1 are INT32/FLOAT when every value of the chunk is a scalar, Flags BOOLEAN, anything else its VCF text (STRING). FORMAT: matrix columns (BYTE_ARRAY), see docs/formats/vcs.md',
  };
}
