/** One BED interval (0-based half-open, as BED itself), its RecordSchema, and BED text both ways. */
import { defineSchema, InputError, t } from '@genolake/core';

// A type alias (not an interface) so records are plain Record<string, unknown> rows for the batch builder.
export type BedRecord = {
  chrom: string;
  start: number;
  end: number;
  name?: string | null;
  score?: number | null;
  strand?: string | null;
};

// Positions ascend within a chunk, so delta|varint shrinks them to a byte or two each.
export const bedSchema = defineSchema(
  {
    chrom: t.string().codec('zstd:3'),
    start: t.uint32().codec('delta|zigzag|varint|zstd:3'),
    end: t.uint32().codec('delta|zigzag|varint|zstd:3'),
    name: t.optional(t.string().codec('zstd:3')),
    score: t.optional(t.int32().codec('zigzag|varint|zstd:3')),
    strand: t.optional(t.enum(['+', '-', '.'])),
  },
  { name: 'bed-intervals' },
);

export const FIELDS = Object.keys(bedSchema.fields) as (keyof BedRecord)[];

/** Parses a BED3..BED6 line; `where` is "<source> line <n>" for errors. */
export function parseBedLine(line: string, where: string): BedRecord {
  const cols = line.split('\t');
  if (cols.length < 3 || cols.length > 6) throw new InputError(`${where}: expected 3 to 6 tab-separated columns, got ${cols.length}`);
  const [chrom, s, e, name, score, strand] = cols;
  const int = (v: string, what: string): number => {
    if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) throw new InputError(`${where}: ${what} "${v}" is not a non-negative integer`);
    return Number(v);
  };
  const rec: BedRecord = { chrom: chrom!, start: int(s!, 'start'), end: int(e!, 'end') };
  if (!chrom) throw new InputError(`${where}: empty chrom`);
  if (rec.end < rec.start) throw new InputError(`${where}: end ${rec.end} is before start ${rec.start}`);
  if (name !== undefined) rec.name = name;
  if (score !== undefined) {
    if (!/^-?\d+$/.test(score)) throw new InputError(`${where}: score "${score}" is not an integer`);
    rec.score = Number(score);
  }
  if (strand !== undefined) {
    if (strand !== '+' && strand !== '-' && strand !== '.') throw new InputError(`${where}: strand "${strand}" is not +, - or .`);
    rec.strand = strand;
  }
  return rec;
}

/** BED text: the columns present, in schema order, up to the last non-null one. */
export function formatBed(r: Partial<BedRecord>, fields: readonly string[] = FIELDS): string {
  const cols = fields.map((f) => r[f as keyof BedRecord]);
  while (cols.length > 3 && (cols[cols.length - 1] === null || cols[cols.length - 1] === undefined)) cols.pop();
  return cols.map((c) => (c === null || c === undefined ? '.' : String(c))).join('\t');
}
