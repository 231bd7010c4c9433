/**
 * ColumnBatch -> Apache Arrow. The batch layout is Arrow's, so each column becomes an Arrow
 * Data over the same typed arrays (no copy, no per-row work): ints/floats as themselves,
 * 64-bit ints as Int64/Uint64 over BigInt64Array, bool as a bitmap, string as Utf8, bytes as
 * Binary, enum as Dictionary<Utf8, Uint8|Uint16>, optional as a null bitmap on the inner data,
 * list as List, struct as Struct.
 */
import {
  Binary, Bool, Dictionary, Field, Float32, Float64, Int16, Int32, Int64, Int8, List, makeData, makeVector,
  RecordBatch, Schema, Struct, Table, Uint16, Uint32, Uint64, Uint8, Utf8, type Data, type DataType,
} from 'apache-arrow';
import type { Column, ColumnBatch } from './column.js';

interface Converted {
  type: DataType;
  data: Data;
  nullable: boolean;
}

interface Ctx {
  /** Next dictionary id: ids must be unique within an Arrow schema. */
  dictionaryId: number;
}

const encoder = new TextEncoder();

function enumDictionary(values: readonly string[]) {
  const bytes = values.map((v) => encoder.encode(v));
  const offsets = new Int32Array(values.length + 1);
  for (let i = 0; i < bytes.length; i++) offsets[i + 1] = offsets[i]! + bytes[i]!.length;
  const data = new Uint8Array(offsets[values.length]!);
  for (let i = 0; i < bytes.length; i++) data.set(bytes[i]!, offsets[i]!);
  return makeVector(makeData({ type: new Utf8(), length: values.length, valueOffsets: offsets, data }));
}

function numericType(kind: string): DataType {
  switch (kind) {
    case 'int8': return new Int8();
    case 'uint8': return new Uint8();
    case 'int16': return new Int16();
    case 'uint16': return new Uint16();
    case 'int32': return new Int32();
    case 'uint32': return new Uint32();
    case 'int64': return new Int64();
    case 'uint64': return new Uint64();
    case 'float32': return new Float32();
    default: return new Float64();
  }
}

/** `nulls` is the validity of an enclosing optional, applied to this column's Data. */
function convert(col: Column, ctx: Ctx, nulls?: { bitmap: Uint8Array; count: number }): Converted {
  const length = col.length;
  const nb = nulls ? { nullBitmap: nulls.bitmap, nullCount: nulls.count } : { nullCount: 0 };
  const nullable = nulls !== undefined;
  switch (col.kind) {
    case 'optional': return convert(col.inner, ctx, { bitmap: col.validity, count: col.nullCount });
    case 'bool': {
      const type = new Bool();
      return { type, nullable, data: makeData({ type, length, data: col.bits, ...nb }) };
    }
    case 'string': {
      const type = new Utf8();
      return { type, nullable, data: makeData({ type, length, valueOffsets: col.offsets, data: col.data, ...nb }) };
    }
    case 'bytes': {
      const type = new Binary();
      return { type, nullable, data: makeData({ type, length, valueOffsets: col.offsets, data: col.data, ...nb }) };
    }
    case 'enum': {
      const type = new Dictionary(new Utf8(), col.indices instanceof Uint8Array ? new Uint8() : new Uint16(), ctx.dictionaryId++);
      const dictionary = enumDictionary(col.values);
      return { type, nullable, data: makeData({ type, length, data: col.indices, dictionary, ...nb }) };
    }
    case 'list': {
      const child = convert(col.child, ctx);
      const type = new List(new Field('item', child.type, child.nullable));
      return { type, nullable, data: makeData({ type, length, valueOffsets: col.offsets, child: child.data, ...nb }) };
    }
    case 'struct': {
      const fields: Field[] = [];
      const children: Data[] = [];
      for (const name in col.children) {
        const c = convert(col.children[name]!, ctx);
        fields.push(new Field(name, c.type, c.nullable));
        children.push(c.data);
      }
      const type = new Struct(fields);
      return { type, nullable, data: makeData({ type, length, children, ...nb }) };
    }
    default: {
      const type = numericType(col.kind);
      // makeData's overloads are per type class; the runtime accepts any typed array of the right kind.
      return { type, nullable, data: makeData({ type, length, data: col.values, ...nb } as never) as Data };
    }
  }
}

/** An Arrow RecordBatch sharing the batch's buffers; the record schema's name goes in the metadata. */
export function toArrow(batch: ColumnBatch): RecordBatch {
  const ctx: Ctx = { dictionaryId: 0 };
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const [name, col] of Object.entries(batch.columns)) {
    const c = convert(col, ctx);
    fields.push(new Field(name, c.type, c.nullable));
    children.push(c.data);
  }
  const metadata = new Map<string, string>();
  if (batch.schema.name !== undefined) metadata.set('genolake.schema', batch.schema.name);
  const schema = new Schema(fields, metadata);
  const data = makeData({ type: new Struct(fields), length: batch.length, children, nullCount: 0 });
  return new RecordBatch(schema, data);
}

/** A one-batch Arrow Table. */
export function toArrowTable(batch: ColumnBatch): Table {
  return new Table([toArrow(batch)]);
}
