/**
 * Record schemas: a declared record type (CARGO's record meta-language, as TypeScript values).
 * A schema names its fields; each field type is an immutable descriptor carrying the codec
 * pipeline of the stream(s) it becomes. `t.int32().codec('delta|zigzag|varint|zstd:3')`
 * returns a copy; the original is never changed, so descriptors can be shared.
 */
import { InvalidArgumentError } from '../errors.js';
import { parsePipeline } from '../codec/pipeline.js';
import { DEFAULT_PIPELINES } from './defaults.js';

export type IntKind = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32';
export type BigIntKind = 'int64' | 'uint64';
export type FloatKind = 'float32' | 'float64';
export type NumericKind = IntKind | BigIntKind | FloatKind;

interface Described<K extends string> {
  readonly kind: K;
  /** Returns a copy whose main stream uses `pipeline` (validated for syntax here, for types at encode). */
  codec(pipeline: string): this;
}

/** A fixed-width number: one stream of little-endian elements. */
export interface NumericType extends Described<NumericKind> {
  readonly pipeline: string;
}

/** Booleans: one bit-packed stream (LSB first). */
export interface BoolType extends Described<'bool'> {
  readonly pipeline: string;
}

/** UTF-8 text or raw bytes: a lengths stream (`x.@len`, u32) plus the concatenated bytes (`x`). */
export interface BinaryType extends Described<'string' | 'bytes'> {
  /** Pipeline of the concatenated bytes. */
  readonly pipeline: string;
  /** Pipeline of the u32 lengths stream. */
  readonly lengthPipeline: string;
  lengthCodec(pipeline: string): BinaryType;
}

/** One of a declared list of strings, stored as u8 indices (u16 past 256 values). */
export interface EnumType extends Described<'enum'> {
  readonly pipeline: string;
  readonly values: readonly string[];
}

/** A value or null: a bit-packed presence stream (`x.@present`) plus the inner streams for present rows. */
export interface OptionalType extends Described<'optional'> {
  /** Pipeline of the presence bitmap. */
  readonly pipeline: string;
  readonly inner: FieldType;
}

/** A variable-length list: a u32 lengths stream (`x.@len`) plus the child's streams. */
export interface ListType extends Described<'list'> {
  /** Pipeline of the lengths stream. */
  readonly pipeline: string;
  readonly inner: FieldType;
}

/** Named children; has no stream of its own (`.codec()` throws). */
export interface StructType extends Described<'struct'> {
  readonly fields: Readonly<Record<string, FieldType>>;
}

export type FieldType = NumericType | BoolType | BinaryType | EnumType | OptionalType | ListType | StructType;

export interface RecordSchema {
  readonly name?: string;
  readonly fields: Readonly<Record<string, FieldType>>;
}

const FIELD_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Field names become stream-name segments, so they exclude '.', '@' and anything odd. */
export function checkFieldName(name: string, where: string): void {
  if (!FIELD_NAME_RE.test(name)) {
    throw new InvalidArgumentError(`bad field name "${name}" in ${where}: use letters, digits and '_' (not starting with a digit)`);
  }
}

function checkPipeline(pipeline: string, what: string): string {
  if (typeof pipeline !== 'string') throw new InvalidArgumentError(`codec pipeline of ${what} must be a string`);
  parsePipeline(pipeline);
  return pipeline.trim() === '' ? 'none' : pipeline.trim();
}

// Descriptors are frozen plain objects; `codec` rebuilds one with a changed property.
function freeze<T extends object>(props: T): T {
  return Object.freeze(props);
}

function numeric(kind: NumericKind, pipeline: string = DEFAULT_PIPELINES[kind]): NumericType {
  return freeze({ kind, pipeline, codec: (p: string) => numeric(kind, checkPipeline(p, kind)) }) as NumericType;
}

function bool(pipeline: string = DEFAULT_PIPELINES.bool): BoolType {
  return freeze({ kind: 'bool' as const, pipeline, codec: (p: string) => bool(checkPipeline(p, 'bool')) }) as BoolType;
}

function binary(
  kind: 'string' | 'bytes',
  pipeline: string = DEFAULT_PIPELINES[kind],
  lengthPipeline: string = DEFAULT_PIPELINES.length,
): BinaryType {
  return freeze({
    kind,
    pipeline,
    lengthPipeline,
    codec: (p: string) => binary(kind, checkPipeline(p, kind), lengthPipeline),
    lengthCodec: (p: string) => binary(kind, pipeline, checkPipeline(p, `${kind} lengths`)),
  }) as BinaryType;
}

function enumType(values: readonly string[], pipeline: string = DEFAULT_PIPELINES.enum): EnumType {
  return freeze({ kind: 'enum' as const, pipeline, values, codec: (p: string) => enumType(values, checkPipeline(p, 'enum')) }) as EnumType;
}

function checkEnumValues(values: readonly string[]): readonly string[] {
  if (!Array.isArray(values) || values.length === 0) throw new InvalidArgumentError('t.enum needs a non-empty array of strings');
  if (values.length > 65536) throw new InvalidArgumentError(`t.enum takes at most 65536 values, got ${values.length}`);
  const seen = new Set<string>();
  for (const v of values) {
    if (typeof v !== 'string') throw new InvalidArgumentError(`t.enum value ${String(v)} is not a string`);
    if (seen.has(v)) throw new InvalidArgumentError(`t.enum value "${v}" is declared twice`);
    seen.add(v);
  }
  return Object.freeze([...values]);
}

function checkInner(inner: FieldType, what: string): FieldType {
  if (!inner || typeof inner !== 'object' || typeof inner.kind !== 'string') {
    throw new InvalidArgumentError(`${what} needs a field type`);
  }
  return inner;
}

/** Internal constructors that keep pipelines; used by projection and JSON parsing. */
export function makeOptional(inner: FieldType, pipeline: string = DEFAULT_PIPELINES.present): OptionalType {
  checkInner(inner, 't.optional');
  // optional(optional(x)) has no meaning distinct from optional(x) and would need two presence streams.
  if (inner.kind === 'optional') throw new InvalidArgumentError('t.optional(t.optional(...)) is not allowed; use one t.optional');
  return freeze({
    kind: 'optional' as const,
    pipeline,
    inner,
    codec: (p: string) => makeOptional(inner, checkPipeline(p, 'optional presence')),
  }) as OptionalType;
}

export function makeList(inner: FieldType, pipeline: string = DEFAULT_PIPELINES.length): ListType {
  checkInner(inner, 't.list');
  return freeze({ kind: 'list' as const, pipeline, inner, codec: (p: string) => makeList(inner, checkPipeline(p, 'list lengths')) }) as ListType;
}

export function makeStruct(fields: Record<string, FieldType>): StructType {
  const copy: Record<string, FieldType> = {};
  for (const [name, type] of Object.entries(fields)) {
    checkFieldName(name, 't.struct');
    copy[name] = checkInner(type, `struct field "${name}"`);
  }
  if (Object.keys(copy).length === 0) throw new InvalidArgumentError('t.struct needs at least one field');
  return freeze({
    kind: 'struct' as const,
    fields: Object.freeze(copy),
    codec: (): never => {
      throw new InvalidArgumentError('a struct has no stream of its own; set codecs on its fields');
    },
  }) as StructType;
}

/** Internal: rebuilds a leaf descriptor with explicit pipelines (JSON parsing). */
export function makeLeaf(kind: NumericKind | 'bool', pipeline: string): NumericType | BoolType {
  return kind === 'bool' ? bool(pipeline) : numeric(kind, pipeline);
}
export function makeBinary(kind: 'string' | 'bytes', pipeline: string, lengthPipeline: string): BinaryType {
  return binary(kind, pipeline, lengthPipeline);
}
export function makeEnum(values: readonly string[], pipeline: string): EnumType {
  return enumType(checkEnumValues(values), pipeline);
}

/** The field type builders. */
export const t = Object.freeze({
  int8: () => numeric('int8'),
  uint8: () => numeric('uint8'),
  int16: () => numeric('int16'),
  uint16: () => numeric('uint16'),
  int32: () => numeric('int32'),
  uint32: () => numeric('uint32'),
  int64: () => numeric('int64'),
  uint64: () => numeric('uint64'),
  float32: () => numeric('float32'),
  float64: () => numeric('float64'),
  bool: () => bool(),
  string: () => binary('string'),
  bytes: () => binary('bytes'),
  enum: (values: readonly string[]) => enumType(checkEnumValues(values)),
  optional: (inner: FieldType) => makeOptional(inner),
  list: (inner: FieldType) => makeList(inner),
  struct: (fields: Record<string, FieldType>) => makeStruct(fields),
});

/** Declares a record type. Field order is kept: it is the stream order and the Arrow column order. */
export function defineSchema(fields: Record<string, FieldType>, options?: { name?: string }): RecordSchema {
  const copy: Record<string, FieldType> = {};
  for (const [name, type] of Object.entries(fields)) {
    checkFieldName(name, options?.name ? `schema ${options.name}` : 'schema');
    copy[name] = checkInner(type, `field "${name}"`);
  }
  const schema: RecordSchema = options?.name === undefined
    ? { fields: Object.freeze(copy) }
    : { name: options.name, fields: Object.freeze(copy) };
  return Object.freeze(schema);
}

/** Element type of an enum's index stream. */
export function enumIndexType(values: readonly string[]): 'u8' | 'u16' {
  return values.length <= 256 ? 'u8' : 'u16';
}
