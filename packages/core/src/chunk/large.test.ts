/**
 * A realistic alignment-like chunk of LARGE_RECORDS records (default 1M; set GENOLAKE_LARGE_RECORDS
 * to change): builds it through the typed builders, encodes, decodes whole and projected, and
 * prints throughput and bytes per record per stream (the numbers quoted in docs/formats/chunk.md).
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../host-default.js';
import { createBatchBuilder } from '../schema/builders.js';
import { columnValue } from '../schema/rows.js';
import { defineSchema, t } from '../schema/types.js';
import { decodeChunk, verifyChunk } from './decode.js';
import { encodeChunk } from './encode.js';

const LARGE_RECORDS = Number(process.env.GENOLAKE_LARGE_RECORDS ?? 1_000_000);

export const alignmentSchema = defineSchema({
  name: t.string(),
  flag: t.uint16(),
  pos: t.int32().codec('delta|zigzag|varint|zstd:3'),
  mapq: t.uint8(),
  cigar: t.list(t.uint32()),
  seq: t.string().codec('nuc2bit|zstd:3'),
  qual: t.bytes(),
}, { name: 'alignment' });

/** Deterministic xorshift so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const FLAGS = [99, 147, 83, 163, 0, 16, 1107, 355];
const READ_LEN = 150;

function buildBatch(n: number) {
  const rand = rng(42);
  const genomeLen = n * 3 + 1000;
  const genome = new Uint8Array(genomeLen);
  for (let i = 0; i < genomeLen; i++) genome[i] = 'ACGT'.charCodeAt((rand() * 4) | 0);
  const genomeText = new TextDecoder().decode(genome);
  const b = createBatchBuilder(alignmentSchema);
  const qual = new Uint8Array(READ_LEN);
  let pos = 10_000;
  // Only the appends are timed: generating the synthetic values costs more than storing them.
  let appendMs = 0;
  for (let i = 0; i < n; i++) {
    pos += (rand() * 6) | 0;
    const start = pos % (genomeLen - READ_LEN);
    // Binned Illumina-style qualities: mostly 37 ('F'), some lower bins toward the 3' end.
    for (let k = 0; k < READ_LEN; k++) qual[k] = rand() < 0.9 - k / 1000 ? 70 : [35, 44, 58][(rand() * 3) | 0]!;
    const clipped = rand() < 0.1;
    const row = {
      name: `A00123:8:H3KJ2DSXY:1:${1101 + ((i >> 14) & 63)}:${(rand() * 32000) | 0}:${(rand() * 37000) | 0}`,
      flag: FLAGS[(rand() * FLAGS.length) | 0],
      pos,
      mapq: rand() < 0.92 ? 60 : (rand() * 60) | 0,
      cigar: clipped ? [(20 << 4) | 4, (130 << 4) | 0] : [(READ_LEN << 4) | 0],
      seq: genomeText.slice(start, start + READ_LEN),
      qual: qual.slice(),
    };
    const t0 = performance.now();
    b.append(row);
    appendMs += performance.now() - t0;
  }
  return { batch: b.finish(), buildMs: appendMs };
}

describe(`large chunk (${LARGE_RECORDS} alignment records)`, () => {
  it('encodes, verifies and decodes with measured throughput', async () => {
    const host = await createHost();
    const { batch, buildMs } = buildBatch(LARGE_RECORDS);
    expect(batch.length).toBe(LARGE_RECORDS);

    let t0 = performance.now();
    const chunk = encodeChunk({ schema: alignmentSchema, batch, registry: host, keyRange: { min: [0, 10_000], max: [0, 1] } });
    const encodeMs = performance.now() - t0;

    t0 = performance.now();
    const { header, batch: back } = decodeChunk(chunk.bytes, host, { name: 'large' });
    const decodeMs = performance.now() - t0;

    t0 = performance.now();
    const proj = decodeChunk(chunk.bytes, host, { name: 'large', fields: ['pos', 'flag'] });
    const projMs = performance.now() - t0;

    t0 = performance.now();
    verifyChunk(chunk.bytes, host, 'large');
    const verifyMs = performance.now() - t0;

    // Spot-check values across the batch.
    for (const i of [0, 1, LARGE_RECORDS >> 1, LARGE_RECORDS - 1]) {
      for (const f of Object.keys(alignmentSchema.fields)) {
        expect(columnValue(back.columns[f]!, i)).toEqual(columnValue(batch.columns[f]!, i));
      }
    }
    const [pa, pb] = [proj.batch.columns.pos!, batch.columns.pos!];
    // Buffer.compare: vitest's deep equality walks a 1M-element typed array element by element.
    expect(pa.kind === 'int32' && pb.kind === 'int32' && Buffer.compare(Buffer.from(pa.values.buffer, pa.values.byteOffset, pa.values.byteLength),
      Buffer.from(pb.values.buffer, pb.values.byteOffset, pb.values.byteLength))).toBe(0);
    expect(Object.keys(proj.batch.columns)).toEqual(['flag', 'pos']);

    const raw = header.streams.reduce((s, e) => s + e.rawLength, 0);
    const mb = raw / 1e6;
    const lines = [
      `records ${LARGE_RECORDS}, raw ${mb.toFixed(1)} MB, chunk ${(chunk.bytes.length / 1e6).toFixed(2)} MB, ` +
        `${(chunk.bytes.length / LARGE_RECORDS).toFixed(2)} B/record, header ${header.headerLength} B`,
      `builder appends ${buildMs.toFixed(0)} ms (${((LARGE_RECORDS / buildMs) * 1000 / 1e6).toFixed(2)} M rows/s)`,
      `encode ${encodeMs.toFixed(0)} ms (${(mb / (encodeMs / 1000)).toFixed(0)} MB/s raw)`,
      `decode ${decodeMs.toFixed(0)} ms (${(mb / (decodeMs / 1000)).toFixed(0)} MB/s raw)`,
      `decode pos+flag ${projMs.toFixed(0)} ms, verify ${verifyMs.toFixed(0)} ms (${(chunk.bytes.length / 1e6 / (verifyMs / 1000)).toFixed(0)} MB/s)`,
      ...header.streams.map((s) =>
        `  ${s.name.padEnd(10)} ${s.pipeline.padEnd(28)} raw ${(s.rawLength / LARGE_RECORDS).toFixed(2).padStart(7)} B/rec -> ${(s.length / LARGE_RECORDS).toFixed(3).padStart(7)} B/rec`),
    ];
    console.log(lines.join('\n'));
  }, 300_000);
});
