/**
 * Codecs turn bytes into bytes. Numeric codecs (delta, zigzag, varint, transpose) read their
 * input as little-endian elements of an ElementType, which flows through a pipeline: the
 * field type starts it, and each stage may change it (zigzag i32 -> u32, varint u32 -> bytes).
 * Because the types are derived from the pipeline text and the starting type, a stream table
 * that records both can be decoded with nothing else.
 */
export type ElementType =
  | 'bytes'
  | 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'u64' | 'i64'
  | 'f32' | 'f64';

export interface CodecStage {
  /** Registered codec id, e.g. 'zstd'. */
  id: string;
  /** Text after ':' in the pipeline ('3' in 'zstd:3'); undefined when absent. */
  param?: string;
}

export interface CodecCallContext {
  /** Element type of the *unencoded* side of this stage. */
  type: ElementType;
  param?: string;
}

export interface Codec {
  /** Unique id used in pipeline text: lower-case letters, digits, '-' and '_'. */
  readonly id: string;
  readonly description?: string;
  /** Element type this stage produces when encoding input of `input` type. Default: unchanged. */
  outputType?(input: ElementType, param?: string): ElementType;
  /** Throws InvalidArgumentError if the stage cannot take this input type or param. */
  validate?(input: ElementType, param?: string): void;
  encode(data: Uint8Array, ctx: CodecCallContext): Uint8Array;
  decode(data: Uint8Array, ctx: CodecCallContext): Uint8Array;
}
