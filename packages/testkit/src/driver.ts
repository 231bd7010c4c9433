/**
 * `describeDriver(driver, fixtures)`: the conformance suite every FormatDriver runs on itself,
 * ours or a third party's. It converts the fixture into a fresh mem:// dataset and checks
 * the manifest, full and region queries (against a full scan filtered here), that projection
 * reads fewer bytes, that export re-imports to the same records, and that bad input
 * publishes nothing.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createHost,
  Dataset,
  overlaps,
  parseRegion,
  withMetrics,
  type ByteSink,
  type ByteSource,
  type ConvertResult,
  type DefaultHost,
  type FormatDriver,
  type QueryRequest,
} from '@genolake/core';

export interface DriverFixtures {
  /** Path of an input file the driver converts. */
  input: string;
  /** samtools-style regions (1-based, inclusive) to query; at least one should hit records. */
  regions: string[];
  /** Records the input holds, when known. */
  expectedRecords?: number;
  /** Driver options for convert (`--option k=v`). */
  convertOptions?: Record<string, unknown>;
  /** Output format whose lines are JSON records (default 'jsonl'). */
  recordFormat?: string;
  /** Format used for the export round trip (default: the driver's first output format). */
  exportFormat?: string;
  /** A field to project in the projection test (default: the first field of a record). */
  projectField?: string;
  /** Bytes the driver must reject (default: a few lines of binary garbage). */
  badInput?: Uint8Array;
  /** Where a record sits, for the region check (default: contig|chrom, start, end fields, 0-based half-open). */
  locate?(record: Record<string, unknown>): { contig: string; start: number; end: number };
}

export interface DescribeDriverOptions {
  /** Title of the describe block (default: `driver <name>`). */
  name?: string;
  /** Registers extra codecs or stores the driver needs on the fresh host. */
  setup?(host: DefaultHost): void | Promise<void>;
}

/** A ByteSource over bytes in memory, with random access. */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    async size() {
      return bytes.byteLength;
    },
    async *stream(options) {
      const from = options?.offset ?? 0;
      // Several pieces, so drivers meet records split across reads.
      for (let o = from; o < bytes.byteLength; o += 4096) yield bytes.subarray(o, Math.min(o + 4096, bytes.byteLength));
    },
    async read(offset, length) {
      return bytes.slice(offset, Math.min(offset + length, bytes.byteLength));
    },
  };
}

/** A ByteSink collecting output in memory. */
export function memorySink(name = 'memory'): ByteSink & { bytes(): Uint8Array; text(): string } {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  const bytes = (): Uint8Array => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.byteLength;
    }
    return out;
  };
  return {
    name,
    async write(chunk) {
      parts.push(typeof chunk === 'string' ? enc.encode(chunk) : chunk.slice());
    },
    async end() {},
    bytes,
    text: () => new TextDecoder().decode(bytes()),
  };
}

function defaultLocate(r: Record<string, unknown>): { contig: string; start: number; end: number } {
  const contig = r.contig ?? r.chrom ?? r.chr;
  const start = Number(r.start ?? r.pos);
  const end = Number(r.end ?? start + 1);
  if (typeof contig !== 'string' || !Number.isFinite(start)) {
    throw new Error(`describeDriver: cannot locate record ${JSON.stringify(r)}; pass fixtures.locate`);
  }
  return { contig, start, end };
}

let counter = 0;

export function describeDriver(driver: FormatDriver, fixtures: DriverFixtures, options: DescribeDriverOptions = {}): void {
  const recordFormat = fixtures.recordFormat ?? 'jsonl';
  const exportFormat = fixtures.exportFormat ?? driver.outputFormats[0]!;
  const locate = fixtures.locate ?? defaultLocate;
  let host: DefaultHost;
  let input: Uint8Array;
  let converted: ConvertResult;
  let datasetUrl: string;
  let all: Record<string, unknown>[];

  const freshHost = async (): Promise<DefaultHost> => {
    const h = await createHost();
    h.registerDriver(driver);
    await options.setup?.(h);
    return h;
  };
  const convertInto = async (url: string, name: string, bytes: Uint8Array): Promise<ConvertResult> => {
    const store = await host.openStore(url);
    return driver.convert({ host, input: bytesSource(name, bytes), store, options: { mode: 'create', ...fixtures.convertOptions }, log() {} });
  };
  const queryRecords = async (url: string, request: QueryRequest = {}) => {
    const store = withMetrics(await host.openStore(url));
    const out = memorySink();
    const result = await driver.query({ host, store, request: { outputFormat: recordFormat, ...request }, output: out, log() {} });
    const records = out
      .text()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { records, result, metrics: store.metrics };
  };

  describe(options.name ?? `driver ${driver.name}`, () => {
    beforeAll(async () => {
      host = await freshHost();
      input = new Uint8Array(await readFile(fixtures.input));
      datasetUrl = `mem://describe-driver-${++counter}/ds`;
      converted = await convertInto(datasetUrl, basename(fixtures.input), input);
      all = (await queryRecords(datasetUrl)).records;
    });

    it('declares what it reads and writes', () => {
      expect(driver.name).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(driver.outputFormats).toContain(recordFormat);
      expect(driver.outputFormats.length).toBeGreaterThan(0);
      for (const s of driver.suffixes) expect(s.startsWith('.')).toBe(true);
      if (driver.sniff) {
        const score = driver.sniff(input.subarray(0, 65536), basename(fixtures.input));
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
      }
    });

    it('converts into version 1 with a well-formed manifest', async () => {
      expect(converted.version).toBe(1);
      expect(converted.records).toBeGreaterThan(0);
      if (fixtures.expectedRecords !== undefined) expect(converted.records).toBe(fixtures.expectedRecords);
      const ds = await Dataset.open(await host.openStore(datasetUrl));
      const m = ds.manifest;
      expect(m.version).toBe(1);
      expect(m.format).toBe(driver.name);
      expect(m.chunks.length).toBe(converted.chunks);
      expect(m.chunks.length).toBeGreaterThan(0);
      for (const c of m.chunks) {
        expect(c.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
        expect(c.records).toBeGreaterThan(0);
        expect(c.size).toBeGreaterThan(0);
        expect(typeof c.partition).toBe('string');
      }
      expect(m.chunks.reduce((n, c) => n + c.records, 0)).toBe(converted.records);
    });

    it('returns every record when queried without a region', () => {
      expect(all.length).toBe(converted.records);
    });

    it('returns exactly the records overlapping each region', async () => {
      let hits = 0;
      for (const text of fixtures.regions) {
        const region = parseRegion(text);
        const expected = all.filter((r) => {
          const at = locate(r);
          return at.contig === region.contig && overlaps(at.start, at.end, region.start, region.end);
        });
        const { records } = await queryRecords(datasetUrl, { regions: [region] });
        expect(records, `region ${text}`).toEqual(expected);
        hits += records.length;
      }
      expect(hits, 'at least one fixture region must hit records').toBeGreaterThan(0);
    });

    it('honours limit', async () => {
      const { records } = await queryRecords(datasetUrl, { limit: 3 });
      expect(records).toEqual(all.slice(0, 3));
    });

    it('reads fewer bytes for a projection', async () => {
      const field = fixtures.projectField ?? Object.keys(all[0]!)[0]!;
      const full = await queryRecords(datasetUrl);
      const projected = await queryRecords(datasetUrl, { fields: [field] });
      expect(projected.records.length).toBe(all.length);
      expect(projected.records.map((r) => r[field])).toEqual(all.map((r) => r[field]));
      expect(projected.metrics.bytesRead).toBeLessThan(full.metrics.bytesRead);
    });

    it.skipIf(!driver.export)(`exports to ${exportFormat} and re-imports the same records`, async () => {
      const sink = memorySink(`export.${exportFormat}`);
      const store = await host.openStore(datasetUrl);
      await driver.export!({ host, store, output: sink, format: exportFormat, request: { outputFormat: exportFormat }, log() {} });
      const again = `mem://describe-driver-${++counter}/reimport`;
      const result = await convertInto(again, `export.${exportFormat}`, sink.bytes());
      expect(result.records).toBe(converted.records);
      expect((await queryRecords(again)).records).toEqual(all);
    });

    it('rejects bad input without publishing a version', async () => {
      const url = `mem://describe-driver-${++counter}/bad`;
      const bad = fixtures.badInput ?? new Uint8Array([0x6e, 0x6f, 0x74, 0x09, 0x61, 0x0a, 0xff, 0x00, 0x01, 0x09, 0x0a]);
      await expect(convertInto(url, `bad${driver.suffixes[0] ?? ''}`, bad)).rejects.toThrow();
      expect(await Dataset.latestVersion(await host.openStore(url))).toBe(0);
    });
  });
}
