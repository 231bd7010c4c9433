/**
 * Parquet through hyparquet(-writer), with zstd from core's codec registry (hyparquet-writer
 * takes custom compressors; hyparquet takes custom decompressors). Reads go through an
 * AsyncBuffer over the ObjectStore: every slice is one bounded ranged get, so reading a few
 * columns of a file fetches the footer and those column chunks only.
 */
import type { Host, ObjectStore } from '@genolake/core';
import { parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';

export type ParquetColumnType = 'INT32' | 'INT64' | 'FLOAT' | 'BOOLEAN' | 'STRING' | 'BYTE_ARRAY';

export interface ParquetColumn {
  name: string;
  type: ParquetColumnType;
  data: unknown[] | Int32Array | Float32Array | BigInt64Array;
  nullable?: boolean;
  /** Min/max statistics and column index (default true; off for matrix blobs, whose bounds prune nothing). */
  statistics?: boolean;
}

export interface WriteOptions {
  /** Rows per row group. */
  rowGroupSize: number;
  /** zstd level (default 3). */
  level?: number;
  /** Uncompressed bytes per data page (hyparquet-writer's default 1 MiB). */
  pageSize?: number;
}

export function writeParquet(host: Host, columns: ParquetColumn[], o: WriteOptions): Uint8Array {
  const zstd = host.getCodec('zstd');
  const param = String(o.level ?? 3);
  const buf = parquetWriteBuffer({
    columnData: columns.map((c) => ({ name: c.name, type: c.type, data: c.data as unknown[], nullable: c.nullable ?? true, columnIndex: c.statistics ?? true, statistics: c.statistics ?? true })),
    codec: 'ZSTD',
    compressors: { ZSTD: (b: Uint8Array) => zstd.encode(b, { type: 'bytes', param }) },
    rowGroupSize: o.rowGroupSize,
    ...(o.pageSize ? { pageSize: o.pageSize } : {}),
    statistics: true,
    createdBy: '@genolake/vcs 0.1.0',
  });
  return new Uint8Array(buf);
}

/** An AsyncBuffer of one object: each slice is one ranged get. */
export function storeBuffer(store: ObjectStore, key: string, size: number, signal?: AbortSignal): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = Math.min(end ?? size, size);
      const bytes = await store.get(key, { range: { offset: start, length: Math.max(0, stop - start) }, ...(signal ? { signal } : {}) });
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

export function decompressors(host: Host): { ZSTD: (input: Uint8Array, outputLength: number) => Uint8Array } {
  const zstd = host.getCodec('zstd');
  return { ZSTD: (input) => zstd.decode(input, { type: 'bytes' }) };
}

export interface ReadOptions {
  columns: string[];
  rowStart?: number;
  rowEnd?: number;
  metadata?: FileMetaData;
}

/** Rows as objects of the requested columns (INT64 as bigint, strings decoded as UTF-8). */
export async function readParquet(host: Host, file: AsyncBuffer, o: ReadOptions): Promise<Record<string, unknown>[]> {
  const metadata = o.metadata ?? (await parquetMetadataAsync(file));
  return parquetReadObjects({
    file, metadata, columns: o.columns, compressors: decompressors(host),
    ...(o.rowStart !== undefined ? { rowStart: o.rowStart } : {}), ...(o.rowEnd !== undefined ? { rowEnd: o.rowEnd } : {}),
  });
}

export { parquetMetadataAsync };
