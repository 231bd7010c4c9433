// Public surface of @genolake/paf: `import * as paf from '@genolake/paf'`, then paf.open, paf.bam.Reader, paf.formatRecord …
export * as bam from './bam/index.js';
export * as sam from './sam/index.js';
export { open, type AlignmentReader, type OpenOptions } from './open.js';
export { Header, type Reference } from './header.js';
export { Record, FIXED_LENGTH, FLAG_UNMAPPED } from './record.js';
export { encodeRecord, type RecordFields } from './record-buf.js';
export { formatRecord } from './sam/writer.js';
export { formatAux, encodeAuxField } from './aux.js';
export { parseCigar, formatCigar, CIGAR_OPS } from './cigar.js';
export { reg2bin } from './bin.js';
export { pafSchema, FIELDS, FORMAT, FORMAT_VERSION } from './dataset/schema.js';
export { PafDataset, type ScanOptions, type RecordFilter } from './dataset/reader.js';
export { SamText } from './dataset/sam-text.js';
export { convertAlignments, type PafMetadata } from './dataset/writer.js';
export { runQuery, OUTPUT_FORMATS, type OutputOptions } from './dataset/output.js';
export { driver } from './driver.js';
export { PAF_CODECS, ensureCodecs } from './codecs/index.js';
