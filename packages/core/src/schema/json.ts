/**
 * Schema <-> JSON, as stored in chunk headers and manifests. Fields are arrays (not objects)
 * so their order, which is the stream order, survives any JSON tool. Every type records its
 * codec pipelines, so a chunk decodes with its own header alone. Form:
 *   { "name"?: string, "fields": [{ "name": "pos", "type": { "kind": "int32", "codec": "zstd:3" } }, ...] }
 * kinds: int8..uint64, float32, float64, bool ({kind, codec}); string, bytes ({kind, codec,
 * lengthCodec}); enum ({kind, codec, values}); optional ({kind, codec, inner}); list ({kind,
 * codec, item}); struct ({kind, fields}).
 */
import { InvalidArgumentError } from '../errors.js';
import { parsePipeline } from '../codec/pipeline.js';
import {
  checkFieldName, defineSchema, makeBinary, makeEnum, makeLeaf, makeList, makeOptional, makeStruct,
  type FieldType, type RecordSchema,
} from './types.js';

export type FieldTypeJSON =
  | { kind: string; codec: string; lengthCodec?: string; values?: string[]; inner?: FieldTypeJSON; item?: FieldTypeJSON }
  | { kind: 'struct'; fields: FieldJSON[] };

export interface FieldJSON {
  name: string;
  type: FieldTypeJSON;
}

export interface RecordSchemaJSON {
  name?: string;
  fields: FieldJSON[];
}

function typeToJSON(type: FieldType): FieldTypeJSON {
  switch (type.kind) {
    case 'string': case 'bytes': return { kind: type.kind, codec: type.pipeline, lengthCodec: type.lengthPipeline };
    case 'enum': return { kind: 'enum', codec: type.pipeline, values: [...type.values] };
    case 'optional': return { kind: 'optional', codec: type.pipeline, inner: typeToJSON(type.inner) };
    case 'list': return { kind: 'list', codec: type.pipeline, item: typeToJSON(type.inner) };
    case 'struct': return { kind: 'struct', fields: fieldsToJSON(type.fields) };
    default: return { kind: type.kind, codec: type.pipeline };
  }
}

function fieldsToJSON(fields: Readonly<Record<string, FieldType>>): FieldJSON[] {
  return Object.entries(fields).map(([name, type]) => ({ name, type: typeToJSON(type) }));
}

export function schemaToJSON(schema: RecordSchema): RecordSchemaJSON {
  const out: RecordSchemaJSON = { fields: fieldsToJSON(schema.fields) };
  return schema.name === undefined ? out : { name: schema.name, ...out };
}

const LEAF_KINDS = new Set(['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64', 'bool']);

function bad(path: string, why: string): never {
  throw new InvalidArgumentError(`schema JSON: ${path}: ${why}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function pipelineAt(o: Record<string, unknown>, key: string, path: string): string {
  const p = o[key];
  if (typeof p !== 'string') bad(path, `"${key}" must be a pipeline string`);
  try {
    parsePipeline(p);
  } catch (e) {
    throw new InvalidArgumentError(`schema JSON: ${path}: ${(e as Error).message}`, { cause: e });
  }
  return p;
}

function typeFromJSON(v: unknown, path: string): FieldType {
  if (!isObject(v) || typeof v.kind !== 'string') bad(path, 'expected a type object with a "kind"');
  const kind = v.kind;
  if (LEAF_KINDS.has(kind)) return makeLeaf(kind as Parameters<typeof makeLeaf>[0], pipelineAt(v, 'codec', path));
  switch (kind) {
    case 'string': case 'bytes':
      return makeBinary(kind, pipelineAt(v, 'codec', path), pipelineAt(v, 'lengthCodec', path));
    case 'enum': {
      if (!Array.isArray(v.values)) bad(path, 'enum needs "values"');
      return makeEnum(v.values as string[], pipelineAt(v, 'codec', path));
    }
    case 'optional': return makeOptional(typeFromJSON(v.inner, `${path}?`), pipelineAt(v, 'codec', path));
    case 'list': return makeList(typeFromJSON(v.item, `${path}[]`), pipelineAt(v, 'codec', path));
    case 'struct': return makeStruct(fieldsFromJSON(v.fields, path));
    default: return bad(path, `unknown kind "${kind}"`);
  }
}

function fieldsFromJSON(v: unknown, path: string): Record<string, FieldType> {
  if (!Array.isArray(v)) bad(path, '"fields" must be an array');
  const out: Record<string, FieldType> = {};
  for (const f of v) {
    if (!isObject(f) || typeof f.name !== 'string') bad(path, 'each field needs a "name"');
    checkFieldName(f.name, `schema JSON ${path}`);
    if (f.name in out) bad(path, `field "${f.name}" appears twice`);
    out[f.name] = typeFromJSON(f.type, path === '' ? f.name : `${path}.${f.name}`);
  }
  return out;
}

/** Parses schemaToJSON's output (or the same shape from a file); throws InvalidArgumentError naming the bad path. */
export function schemaFromJSON(json: unknown): RecordSchema {
  if (!isObject(json)) bad('(root)', 'expected an object');
  if (json.name !== undefined && typeof json.name !== 'string') bad('(root)', '"name" must be a string');
  const fields = fieldsFromJSON(json.fields, '');
  return json.name === undefined ? defineSchema(fields) : defineSchema(fields, { name: json.name as string });
}
