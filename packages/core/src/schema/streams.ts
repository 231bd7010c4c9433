/**
 * How a schema maps to named streams, and projections of a schema to the fields a query
 * needs. Naming (also in docs/formats/chunk.md):
 * - a scalar field `x` is stream `x` (structs add `.child` segments: `a.b`);
 * - string/bytes `x`: `x.@len` (u32 lengths) and `x` (concatenated bytes);
 * - optional `x`: `x.@present` (bitmap) then the inner streams, for present rows only;
 * - list `x`: `x.@len` (u32 lengths) then the child streams, named `x` when the child is a
 *   struct or a one-stream scalar, else `x.@item` (so list<string> does not reuse `x.@len`).
 * Field names cannot contain '.' or '@', so names never collide.
 */
import { InvalidArgumentError } from '../errors.js';
import type { ElementType } from '../codec/types.js';
import { enumIndexType, makeList, makeOptional, makeStruct, type FieldType, type NumericKind, type RecordSchema } from './types.js';

export interface StreamSpec {
  name: string;
  /** Unencoded element type (what the codec pipeline receives). */
  type: ElementType;
  pipeline: string;
}

export const NUMERIC_ELEMENT: Record<NumericKind, ElementType> = {
  int8: 'i8', uint8: 'u8', int16: 'i16', uint16: 'u16', int32: 'i32', uint32: 'u32',
  int64: 'i64', uint64: 'u64', float32: 'f32', float64: 'f64',
};

/** Stream-name prefix of a list's child. */
export function listChildPath(path: string, inner: FieldType): string {
  switch (inner.kind) {
    case 'string': case 'bytes': case 'list': case 'optional': return `${path}.@item`;
    default: return path;
  }
}

function walk(type: FieldType, path: string, out: StreamSpec[]): void {
  switch (type.kind) {
    case 'bool': out.push({ name: path, type: 'u8', pipeline: type.pipeline }); return;
    case 'string': case 'bytes':
      out.push({ name: `${path}.@len`, type: 'u32', pipeline: type.lengthPipeline });
      out.push({ name: path, type: 'bytes', pipeline: type.pipeline });
      return;
    case 'enum': out.push({ name: path, type: enumIndexType(type.values), pipeline: type.pipeline }); return;
    case 'optional':
      out.push({ name: `${path}.@present`, type: 'u8', pipeline: type.pipeline });
      walk(type.inner, path, out);
      return;
    case 'list':
      out.push({ name: `${path}.@len`, type: 'u32', pipeline: type.pipeline });
      walk(type.inner, listChildPath(path, type.inner), out);
      return;
    case 'struct':
      for (const [name, f] of Object.entries(type.fields)) walk(f, `${path}.${name}`, out);
      return;
    default: out.push({ name: path, type: NUMERIC_ELEMENT[type.kind], pipeline: type.pipeline });
  }
}

/** Every stream of the schema in encoding order (depth first, structural streams first). */
export function streamSpecs(schema: RecordSchema): StreamSpec[] {
  const out: StreamSpec[] = [];
  for (const [name, type] of Object.entries(schema.fields)) walk(type, name, out);
  return out;
}

type Tree = Map<string, Tree | true>;

function addPath(tree: Tree, segments: string[], full: string): void {
  let node = tree;
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg === '') throw new InvalidArgumentError(`bad field path "${full}"`);
    const cur = node.get(seg);
    if (cur === true) return; // an ancestor is already selected whole
    if (i === segments.length - 1) {
      node.set(seg, true);
      return;
    }
    const next: Tree = cur ?? new Map();
    node.set(seg, next);
    node = next;
  }
}

function prune(type: FieldType, sel: Tree | true, path: string): FieldType {
  if (sel === true) return type;
  switch (type.kind) {
    case 'optional': return makeOptional(prune(type.inner, sel, path), type.pipeline);
    case 'list': return makeList(prune(type.inner, sel, path), type.pipeline);
    case 'struct': {
      for (const name of sel.keys()) {
        if (!(name in type.fields)) throw new InvalidArgumentError(`unknown field "${path}.${name}" (struct "${path}" has ${Object.keys(type.fields).join(', ')})`);
      }
      const fields: Record<string, FieldType> = {};
      for (const [name, f] of Object.entries(type.fields)) {
        const sub = sel.get(name);
        if (sub !== undefined) fields[name] = prune(f, sub, `${path}.${name}`);
      }
      return makeStruct(fields);
    }
    default:
      throw new InvalidArgumentError(`field "${path}" is a ${type.kind}, not a struct; cannot select "${path}.${[...sel.keys()][0]}"`);
  }
}

/**
 * The schema restricted to `fields`: top-level names or dotted paths into structs (also
 * through optional and list wrappers, whose structural streams come along). Field order
 * follows the schema. Undefined selects everything.
 */
export function projectSchema(schema: RecordSchema, fields?: readonly string[]): RecordSchema {
  if (fields === undefined) return schema;
  const tree: Tree = new Map();
  for (const f of fields) {
    if (typeof f !== 'string') throw new InvalidArgumentError(`field path ${String(f)} is not a string`);
    addPath(tree, f.split('.'), f);
  }
  for (const name of tree.keys()) {
    if (!(name in schema.fields)) {
      throw new InvalidArgumentError(`unknown field "${name}"${schema.name ? ` in schema ${schema.name}` : ''} (has ${Object.keys(schema.fields).join(', ')})`);
    }
  }
  const out: Record<string, FieldType> = {};
  for (const [name, type] of Object.entries(schema.fields)) {
    const sel = tree.get(name);
    if (sel !== undefined) out[name] = prune(type, sel, name);
  }
  return Object.freeze(schema.name === undefined ? { fields: Object.freeze(out) } : { name: schema.name, fields: Object.freeze(out) });
}

/** Names of the streams needed to decode `fields` (all streams when undefined), in encoding order. */
export function streamNamesFor(schema: RecordSchema, fields?: readonly string[]): string[] {
  return streamSpecs(projectSchema(schema, fields)).map((s) => s.name);
}
