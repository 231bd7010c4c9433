// BCF input equals `bcftools view` of the same BCF: for the shipped BCFs and `bcftools view -Ob`
// conversions of the VCF corpus, for a hand-encoded BCF exercising every typed-value case, and
// broken BCF fails with the record number and byte offset.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CorruptDataError } from '@genolake/core';
import { testFiles } from '@genolake/testkit';
import { bgzf, fileSource, fromBytes } from '@genolake/bgzf-tabix';
import { Reader } from '../io/reader.js';
import { Writer } from '../io/writer.js';
import { BCFTOOLS, bcftoolsView, bufferSink, corpus, hasBcftools } from '../testing/bcftools.js';
import { synthVcf } from '../testing/synth.js';
import { dictionaries } from './dictionary.js';

const tmp = mkdtempSync(join(tmpdir(), 'vcs-bcf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function viaReader(source: Parameters<typeof Reader.open>[0]): Promise<string> {
  const reader = await Reader.open(source);
  const sink = bufferSink();
  const w = new Writer(sink, reader.header);
  await w.writeHeader();
  for await (const batch of reader.batches(100)) for (const r of batch) await w.write(r);
  await w.end();
  return sink.text();
}

async function readAll(bytes: Uint8Array): Promise<number> {
  const reader = await Reader.open(fromBytes(bytes, 'broken.bcf'));
  let n = 0;
  for await (const b of reader.batches(7)) n += b.length;
  return n;
}

// ---- the corpus ------------------------------------------------------------------------------

function shippedBcfs(): string[] {
  return testFiles(/\.bcf$/).filter((f) => bcftoolsView([f]) !== undefined);
}

/** `bcftools view` text with header lines added for undeclared contigs, INFO and FORMAT keys (BCF needs them). */
function declareAll(vcf: string): string {
  const lines = vcf.split('\n');
  const declared = new Set<string>();
  const added: string[] = [];
  const dummy = ',Number=.,Type=String,Description="Declared for the BCF conversion"';
  const need = (kind: string, id: string, extra: string): void => {
    if (declared.has(`${kind}/${id}`)) return;
    declared.add(`${kind}/${id}`);
    added.push(`##${kind}=<ID=${id}${extra}>`);
  };
  let chromAt = -1;
  lines.forEach((l, i) => {
    const m = /^##(contig|INFO|FORMAT)=<ID=([^,>]*)/.exec(l);
    if (m) declared.add(`${m[1]}/${m[2]}`);
    else if (l.startsWith('#CHROM')) chromAt = i;
    else if (l && !l.startsWith('#')) {
      const cols = l.split('\t');
      need('contig', cols[0]!, '');
      if (cols[7] && cols[7] !== '.') for (const kv of cols[7].split(';')) need('INFO', kv.split('=')[0]!, kv.includes('=') ? dummy : ',Number=0,Type=Flag,Description="Declared for the BCF conversion"');
      if (cols[8] && cols[8] !== '.') for (const k of cols[8].split(':')) need('FORMAT', k, dummy);
    }
  });
  lines.splice(chromAt, 0, ...added);
  return lines.join('\n');
}

/** `bcftools view -Ob` of `vcf`, retried with undeclared keys declared; false when bcftools refuses. */
function toBcf(vcf: string, out: string): boolean {
  if (spawnSync(BCFTOOLS, ['view', '--no-version', '-Ob', '-o', out, vcf]).status === 0) return true;
  const text = bcftoolsView([vcf]);
  if (text === undefined) return false;
  return spawnSync(BCFTOOLS, ['view', '--no-version', '-Ob', '-o', out, '-'], { input: Buffer.from(declareAll(text), 'latin1') }).status === 0;
}

describe.skipIf(!hasBcftools)('BCF reader + VCF writer equal bcftools view of the BCF', () => {
  const files: [string, string][] = shippedBcfs().map((f) => [f, f]);
  corpus().forEach((f, i) => {
    const bcf = join(tmp, `${i}-${f.replace(/^.*\//, '').replace(/\.vcf(\.gz)?$/, '')}.bcf`);
    if (toBcf(f, bcf) && bcftoolsView([bcf]) !== undefined) files.push([f, bcf]);
  });
  it('has a corpus', () => expect(files.length).toBeGreaterThan(40));
  for (const [source, bcf] of files) {
    it(source === bcf ? source : `${source} as BCF`, async () => {
      expect(await viaReader(fileSource(bcf))).toBe(bcftoolsView([bcf]));
    });
  }
});

// ---- a hand-encoded BCF ----------------------------------------------------------------------

type El = number | 'M' | 'E';
const T = { null: 0, i8: 1, i16: 2, i32: 3, f32: 5, chr: 7 } as const;

class Bytes {
  readonly b: number[] = [];
  u8(x: number): this { this.b.push(x & 0xff); return this; }
  i16(x: number): this { return this.u8(x).u8(x >> 8); }
  i32(x: number): this { return this.i16(x).i16(x >> 16); }
  f32(x: number): this { const d = new DataView(new ArrayBuffer(4)); d.setFloat32(0, x, true); return this.i32(d.getInt32(0, true)); }
  desc(type: number, n: number): this {
    if (n < 15) return this.u8((n << 4) | type);
    return this.u8(0xf0 | type).u8(0x11).u8(n);
  }
  el(type: number, v: El): this {
    if (type === T.i8) return this.u8(v === 'M' ? -128 : v === 'E' ? -127 : v);
    if (type === T.i16) return this.i16(v === 'M' ? -32768 : v === 'E' ? -32767 : v);
    if (type === T.i32) return this.i32(v === 'M' ? -2147483648 : v === 'E' ? -2147483647 : v);
    if (v === 'M') return this.i32(0x7f800001);
    if (v === 'E') return this.i32(0x7f800002);
    return this.f32(v);
  }
  typed(type: number, vs: El[]): this { this.desc(type, vs.length); for (const v of vs) this.el(type, v); return this; }
  str(s: string, width = s.length): this { this.desc(T.chr, width); for (let i = 0; i < width; i++) this.u8(i < s.length ? s.charCodeAt(i) : 0); return this; }
  key(k: number): this { return this.desc(T.i8, 1).u8(k); }
}

interface Rec {
  chrom: number; pos0: number; qual: number | 'M'; id: string; alleles: string[]; filters: number[];
  info: [number, (b: Bytes) => void][];
  fmt: [number, number, number, El[][] | string[]][];
}

function record(r: Rec, nSample: number): number[] {
  const s = new Bytes();
  s.i32(r.chrom).i32(r.pos0).i32(r.alleles[0]!.length);
  if (r.qual === 'M') s.i32(0x7f800001); else s.f32(r.qual);
  s.i32((r.alleles.length << 16) | r.info.length).i32((r.fmt.length << 24) | nSample);
  s.str(r.id);
  for (const a of r.alleles) s.str(a);
  s.typed(T.i8, r.filters);
  for (const [k, put] of r.info) { s.key(k); put(s); }
  const d = new Bytes();
  for (const [k, type, n, perSample] of r.fmt) {
    d.key(k).desc(type, n);
    for (const v of perSample) {
      if (typeof v === 'string') for (let i = 0; i < n; i++) d.u8(i < v.length ? v.charCodeAt(i) : 0);
      else for (const x of v) d.el(type, x);
    }
  }
  return [...new Bytes().i32(s.b.length).i32(d.b.length).b, ...s.b, ...d.b];
}

const HEADER = [
  '##fileformat=VCFv4.3',
  '##FILTER=<ID=PASS,Description="All filters passed",IDX=0>',
  '##FILTER=<ID=q10,Description="Quality below 10",IDX=3>',
  '##INFO=<ID=I16,Number=.,Type=Integer,Description="int16 vector",IDX=1>',
  '##INFO=<ID=F,Number=.,Type=Float,Description="float vector",IDX=2>',
  '##INFO=<ID=FL,Number=0,Type=Flag,Description="a flag",IDX=4>',
  '##INFO=<ID=S,Number=1,Type=String,Description="a string",IDX=5>',
  '##INFO=<ID=BIG,Number=.,Type=Integer,Description="more than 14 values",IDX=6>',
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype",IDX=7>',
  '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="int16 per sample",IDX=8>',
  '##FORMAT=<ID=FS,Number=.,Type=Float,Description="floats per sample",IDX=9>',
  '##FORMAT=<ID=CS,Number=1,Type=String,Description="chars per sample",IDX=10>',
  '##contig=<ID=chrB,length=100000,IDX=1>',
  '##contig=<ID=chrA,length=100000,IDX=0>',
  '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\ts2\ts3',
];
const G = (allele: number, phased = 0): number => ((allele + 1) << 1) | phased;

function handEncoded(): Uint8Array {
  const text = Buffer.from(`${HEADER.join('\n')}\n\0`, 'latin1');
  const recs: Rec[] = [
    {
      chrom: 0, pos0: 9, qual: 12.5, id: 'rs1', alleles: ['A', 'C', 'GT'], filters: [0],
      info: [
        [1, (b) => b.typed(T.i16, [300, 'M', -5])],
        [2, (b) => b.typed(T.f32, [1.5, 'M', 'E'])],
        [5, (b) => b.str('hello')],
        [4, (b) => b.desc(T.null, 0)],
        [6, (b) => b.typed(T.i32, Array.from({ length: 16 }, (_, i) => i * 100000))],
      ],
      fmt: [
        [7, T.i8, 2, [[G(0), G(1, 1)], [0, 0], [G(2), 'E']]],
        [8, T.i16, 3, [[1000, 2, 3], ['M', 'E', 'E'], ['E', 'E', 'E']]],
        [9, T.f32, 2, [[0.1, 'E'], ['M', 'M'], ['E', 'E']]],
        [10, T.chr, 3, ['ab', '\x07', 'xyz']],
      ],
    },
    { chrom: 1, pos0: 99, qual: 'M', id: '', alleles: ['T'], filters: [], info: [], fmt: [] },
    {
      chrom: 1, pos0: 199, qual: 3e-7, id: 'x;y', alleles: ['G', 'A'], filters: [3, 0],
      info: [[1, (b) => b.typed(T.i8, ['M'])], [2, (b) => b.typed(T.f32, [123456789])]],
      fmt: [[7, T.i16, 3, [[G(0, 1), G(1, 1), G(0, 1)], [G(1), G(0), 'E'], [0, 'E', 'E']]]],
    },
  ];
  const body = recs.flatMap((r) => record(r, 3));
  const head = new Bytes();
  for (const c of [0x42, 0x43, 0x46, 2, 2]) head.u8(c);
  head.i32(text.length);
  return Uint8Array.from([...head.b, ...text, ...body]);
}

describe.skipIf(!hasBcftools)('hand-encoded BCF (every typed-value case)', () => {
  const raw = handEncoded();
  const rawPath = join(tmp, 'hand.ubcf'), bgzfPath = join(tmp, 'hand.bcf');
  writeFileSync(rawPath, raw);
  writeFileSync(bgzfPath, bgzf.compressSync(raw));

  it('uncompressed BCF equals bcftools view', async () => {
    const want = bcftoolsView([rawPath]);
    expect(want).toContain('chrA\t10\trs1\tA\tC,GT\t12.5\tPASS\tI16=300,.,-5;F=1.5,.;S=hello;FL;BIG=0,100000,');
    expect(await viaReader(fileSource(rawPath))).toBe(want);
  });

  it('BGZF BCF equals bcftools view', async () => {
    expect(await viaReader(fileSource(bgzfPath))).toBe(bcftoolsView([bgzfPath]));
  });

  it('drops IDX from the header and honours it in the dictionaries', async () => {
    const reader = await Reader.open(fileSource(bgzfPath));
    expect(reader.format).toBe('bcf');
    expect(reader.header.source).not.toContain('IDX=');
    const d = dictionaries(HEADER);
    expect(d.contigs).toEqual(['chrA', 'chrB']);
    expect(d.strings).toEqual(['PASS', 'I16', 'F', 'q10', 'FL', 'S', 'BIG', 'GT', 'AD', 'FS', 'CS']);
  });
});

describe('dictionaries without IDX', () => {
  it('put PASS first and share one entry per ID', () => {
    const d = dictionaries(['##INFO=<ID=DP,Number=1,Type=Integer,Description="d">', '##FILTER=<ID=LowQual,Description="l">', '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">', '##FORMAT=<ID=GT,Number=1,Type=String,Description="g">', '##contig=<ID=1>', '##contig=<ID=2,length=5>']);
    expect(d.strings).toEqual(['PASS', 'DP', 'LowQual', 'GT']);
    expect(d.contigs).toEqual(['1', '2']);
  });
});

// ---- broken input ----------------------------------------------------------------------------

describe.skipIf(!hasBcftools)('broken BCF', () => {
  const vcf = join(tmp, 'synth.vcf');
  writeFileSync(vcf, synthVcf({ records: 15000, samples: 3, seed: 9 }));
  const ubcf = spawnSync(BCFTOOLS, ['view', '--no-version', '-Ou', vcf], { maxBuffer: 1 << 28 }).stdout as Buffer;
  const bytes = new Uint8Array(ubcf);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  /** Stream offsets of the records. */
  const offsets: number[] = [];
  for (let p = 9 + dv.getUint32(5, true); p < bytes.length; p += 8 + dv.getUint32(p, true) + dv.getUint32(p + 4, true)) offsets.push(p);

  it('reads the intact file', async () => {
    expect(offsets.length).toBeGreaterThanOrEqual(15000);
    expect(await readAll(bytes)).toBe(offsets.length);
  });

  it('a record cut short names the record and its offset', async () => {
    const err = await readAll(bytes.subarray(0, offsets[12]! + 30)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toMatch(new RegExp(`^broken\\.bcf: BCF record 13 at byte offset ${offsets[12]} of the decompressed data is truncated: it takes \\d+ bytes .*the input ends after 30$`));
  });

  it('a length prefix cut short', async () => {
    const err = await readAll(bytes.subarray(0, offsets[3]! + 5)).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`broken.bcf: BCF record 4 at byte offset ${offsets[3]} of the decompressed data is truncated: the input ends 5 bytes into its 8-byte length prefix`);
  });

  it('a header cut short', async () => {
    await expect(readAll(bytes.subarray(0, 200))).rejects.toThrow(/^broken\.bcf: the BCF header text is truncated \(l_text \d+, 191 bytes present\)$/);
    await expect(readAll(bytes.subarray(0, 7))).rejects.toThrow('broken.bcf: the BCF header is truncated (7 bytes, the magic and l_text take 9)');
  });

  it('a contig index outside the dictionary', async () => {
    const bad = bytes.slice();
    new DataView(bad.buffer).setInt32(offsets[2]! + 8, 999, true);
    await expect(readAll(bad)).rejects.toThrow(`broken.bcf: BCF record 3 (at byte offset ${offsets[2]} of the decompressed data): CHROM index 999 is not in the header's contig dictionary (3 contigs) (byte offset ${offsets[2]! + 8})`);
  });

  it('a bad type code and a length running past the record', async () => {
    const bad = bytes.slice();
    bad[offsets[5]! + 8 + 24] = 0x14;  // the ID descriptor: one element of type 4 (int64, not in BCF 2.2)
    await expect(readAll(bad)).rejects.toThrow(/BCF record 6 \(at byte offset \d+ of the decompressed data\): ID has type code 4, not a BCF 2\.2 type/);
    const long = bytes.slice();
    long[offsets[7]! + 8 + 24] = 0xf7;  // ID: a char vector whose count follows
    long[offsets[7]! + 8 + 25] = 0x13;  // ...as an int32
    new DataView(long.buffer).setInt32(offsets[7]! + 8 + 26, 1 << 20, true);
    await expect(readAll(long)).rejects.toThrow(/BCF record 8 .*: ID runs past the end of its record part \(1048576 bytes needed, \d+ left\)/);
  });

  it('a BGZF file cut short names the record being read', async () => {
    const gz = bgzf.compressSync(bytes);
    expect(bytes.length).toBeGreaterThan(1 << 20);  // some 20 blocks, so the cut is met after the header
    const err = await readAll(gz.subarray(0, gz.length - 60)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toMatch(/BCF record \d+ at byte offset \d+/);
  });

  it('a sample count that disagrees with the header', async () => {
    const bad = bytes.slice();
    const v = new DataView(bad.buffer);
    v.setUint32(offsets[0]! + 8 + 20, (v.getUint32(offsets[0]! + 8 + 20, true) & 0xff000000) | 4, true);
    await expect(readAll(bad)).rejects.toThrow(/BCF record 1 .*: the record has 4 samples, the header 3/);
  });

  it('not BCF 2', async () => {
    const bad = bytes.slice();
    bad[4] = 3;
    await expect(readAll(bad)).rejects.toThrow('broken.bcf: BCF version 2.3 is not supported (2.1 and 2.2 are)');
  });
});

