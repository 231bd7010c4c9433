// Public surface of @genolake/vcs: `import * as vcs from '@genolake/vcs'`, then vcs.Reader, vcs.Header, vcs.formatRecord …
export { Header, type FieldDef, type ValueType, PASS_LINE } from './header/header.js';
export { parseMetaLine, formatMetaLine, type MetaLine } from './header/meta-line.js';
export { Reader, type OpenOptions } from './io/reader.js';
export { Writer } from './io/writer.js';
export { lineBatches, type LineBatch } from './io/lines.js';
export { RecordParser } from './record/parser.js';
export { formatRecord, formatValue } from './record/format.js';
export { formatFloat } from './record/float.js';
export type { VcfRecord, Value } from './record/record.js';
export { VcsDataset, type ScanOptions } from './dataset/reader.js';
export { convertVariants } from './dataset/writer.js';
export { runQuery, OUTPUT_FORMATS } from './dataset/output.js';
export { VariantsHandle, type MarkerValues } from './dataset/handle.js';
export { FORMAT, FORMAT_VERSION, partitionDir, type VcsMetadata } from './dataset/schema.js';
export { driver } from './driver.js';
