// SAM text (SAMv1 §1): `paf.sam.Reader`, `paf.sam.SamLineParser`, `paf.sam.formatRecord`.
export { Reader } from './reader.js';
export { SamLineParser } from './parser.js';
export { formatRecord, formatSeq, formatQual } from './writer.js';
