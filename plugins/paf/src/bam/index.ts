// BAM (SAMv1 §4): `paf.bam.Reader`, `paf.bam.Writer`.
export { Reader, type ReaderOptions } from './reader.js';
export { Writer } from './writer.js';
