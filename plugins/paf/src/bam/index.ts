// BAM (SAMv1 §4) and its index (§5): `paf.bam.Reader`, `paf.bam.Writer`, `paf.bam.BaiBuilder`.
export { Reader, type ReaderOptions } from './reader.js';
export { Writer } from './writer.js';
export { BaiBuilder, META_BIN } from './bai.js';
export { BlockMap } from './block-map.js';
