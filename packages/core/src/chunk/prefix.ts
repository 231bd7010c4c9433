/**
 * The fixed 16-byte prefix of a chunk object (docs/formats/chunk.md): magic, format version,
 * flags, header length. A reader that fetched only these bytes knows how many more to fetch
 * to hold the whole header and stream table.
 */
import { CorruptDataError, UnsupportedError } from '../errors.js';

/** "\x89GLCHUNK": the high first byte catches 7-bit transfers and text-mode mangling. */
export const CHUNK_MAGIC: Uint8Array = new Uint8Array([0x89, 0x47, 0x4c, 0x43, 0x48, 0x55, 0x4e, 0x4b]);

/** Bytes of the fixed prefix: magic (8), version (u16), flags (u16), header length (u32). */
export const CHUNK_PREFIX_LENGTH = 16;

/** The container version this build writes and the newest it reads. */
export const CHUNK_FORMAT_VERSION = 1;

/** Flag bits this build understands (none yet); any other set bit makes the chunk unreadable here. */
export const KNOWN_CHUNK_FLAGS = 0;

/** Prefix + an empty JSON object + CRC: the smallest possible header. */
export const MIN_HEADER_LENGTH = CHUNK_PREFIX_LENGTH + 2 + 4;

/** Headers past this are refused as corrupt rather than allocated (a real one is a few KiB). */
export const MAX_HEADER_LENGTH = 16 * 1024 * 1024;

/** A generous first read that holds the whole header of any ordinary chunk. */
export const CHUNK_HEADER_READ_HINT = 64 * 1024;

export interface ChunkPrefix {
  version: number;
  flags: number;
  /** Bytes from offset 0 to the first stream byte: prefix + header JSON + header CRC. */
  headerLength: number;
}

export function writeChunkPrefix(out: Uint8Array, headerLength: number): void {
  out.set(CHUNK_MAGIC, 0);
  const dv = new DataView(out.buffer, out.byteOffset, CHUNK_PREFIX_LENGTH);
  dv.setUint16(8, CHUNK_FORMAT_VERSION, true);
  dv.setUint16(10, 0, true);
  dv.setUint32(12, headerLength, true);
}

/**
 * Parses the prefix from the first CHUNK_PREFIX_LENGTH (or more) bytes of object `name`.
 * Wrong magic or a nonsensical length -> CorruptDataError; a newer version or unknown flag
 * -> UnsupportedError; both name the object.
 */
export function readChunkPrefix(bytes: Uint8Array, name: string): ChunkPrefix {
  if (bytes.length < CHUNK_PREFIX_LENGTH) {
    throw new CorruptDataError(`${name}: ${bytes.length} bytes is too short for a chunk prefix (${CHUNK_PREFIX_LENGTH} bytes)`);
  }
  for (let i = 0; i < CHUNK_MAGIC.length; i++) {
    if (bytes[i] !== CHUNK_MAGIC[i]) throw new CorruptDataError(`${name} is not a genolake chunk: bad magic at byte ${i}`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, CHUNK_PREFIX_LENGTH);
  const version = dv.getUint16(8, true);
  const flags = dv.getUint16(10, true);
  const headerLength = dv.getUint32(12, true);
  if (version === 0) throw new CorruptDataError(`${name}: chunk format version 0 is invalid (byte offset 8)`);
  if (version > CHUNK_FORMAT_VERSION) {
    throw new UnsupportedError(`${name} uses chunk format version ${version}; this build reads versions up to ${CHUNK_FORMAT_VERSION} (upgrade genolake)`);
  }
  if ((flags & ~KNOWN_CHUNK_FLAGS) !== 0) {
    throw new UnsupportedError(`${name} sets chunk flags 0x${flags.toString(16)} this build does not understand (byte offset 10)`);
  }
  if (headerLength < MIN_HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH) {
    throw new CorruptDataError(`${name}: header length ${headerLength} at byte offset 12 is outside ${MIN_HEADER_LENGTH}..${MAX_HEADER_LENGTH}`);
  }
  return { version, flags, headerLength };
}
