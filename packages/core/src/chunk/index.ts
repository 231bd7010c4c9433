// The chunk container v1 (docs/formats/chunk.md), re-exported by the core index.
export {
  CHUNK_MAGIC, CHUNK_PREFIX_LENGTH, CHUNK_FORMAT_VERSION, CHUNK_HEADER_READ_HINT, MAX_HEADER_LENGTH, readChunkPrefix,
} from './prefix.js';
export type { ChunkPrefix } from './prefix.js';
export { readChunkHeader } from './header.js';
export type { ChunkHeader, ChunkStreamEntry } from './header.js';
export { encodeChunk } from './encode.js';
export type { EncodeChunkInput, EncodedChunk, ChunkLayout } from './encode.js';
export { decodeChunk, decodeChunkPages, decodeChunkStreams, verifyChunk } from './decode.js';
export type { DecodeChunkOptions, DecodeChunkPagesOptions } from './decode.js';
export { GROUP_RECORD_ALIGNMENT, groupsOverlapping, pagePartName } from './groups.js';
export type { ChunkGroup, ChunkGroupInput, ChunkPage } from './groups.js';
