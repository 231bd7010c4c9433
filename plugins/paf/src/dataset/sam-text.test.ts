import { writeFileSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasSamtools, samtools, tmpDir } from '../testing/samtools.js';
import { memoryDataset } from '../testing/dataset.js';
import { formatRecord } from '../sam/writer.js';
import { RecordAssembler } from './columns.js';
import { filterRows, PafDataset } from './reader.js';
import { decodeSamPart, qualIsText } from './sam-decode.js';
import { SamText } from './sam-text.js';

const EX1 = '/usr/share/doc/python-pysam/tests/pysam_data/ex1.bam.gz';

/** Every record of the dataset through SamText and through BAM bytes + formatRecord. */
async function both(path: string): Promise<[string, string, number]> {
  const ds = await memoryDataset(path);
  const pd = await PafDataset.open(ds.store);
  const fast = new SamText(pd.header.names);
  let slow = '';
  let n = 0;
  for await (const s of pd.scan(ds.store, ds.host, {})) {
    const asm = new RecordAssembler(s.batch, s.refId);
    for (const i of s.rows) {
      fast.add(s.batch, s.refId, i);
      slow += `${formatRecord(asm.record(i), pd.header.names)}\n`;
      n++;
    }
  }
  return [Buffer.from(fast.take()).toString('latin1'), slow, n];
}

/**
 * Every record through SAM output's own decoding (qualities decoded as text) and SamText.
 * `staged`: each batch's middle rows staged first (those before and after are copied from the
 * columns), into a small buffer the text then outgrows (the staged bytes move with it).
 */
async function asQuery(path: string, staged = false): Promise<string> {
  const ds = await memoryDataset(path);
  const pd = await PafDataset.open(ds.store);
  const sam = new SamText(pd.header.names);
  if (staged) sam.writeInto(Buffer.alloc(64));
  let text = 0;
  for await (const part of pd.fetched(ds.store, ds.host, {})) {
    for (const g of part.sel?.groups ?? [undefined]) {
      const batch = decodeSamPart(part, ds.host, pd.decodeFields({}), g);
      if (qualIsText(batch)) text++;
      const rows = filterRows(batch, part.regions, {});
      if (staged && rows.length) sam.stage(batch, rows[rows.length >> 2]!, rows[(3 * rows.length) >> 2]!);
      for (const i of rows) sam.add(batch, part.refId, i);
    }
  }
  expect(text).toBeGreaterThan(0);
  return Buffer.from(sam.take()).toString('latin1');
}

describe('SamText: SAM lines from columns, as formatRecord prints them', () => {
  it('every aux type, absent fields, mates elsewhere, a CIGAR kept in CG', async () => {
    const long = `${'1M1I'.repeat(33000)}`;
    const sam = [
      '@HD\tVN:1.6\tSO:coordinate', '@SQ\tSN:c1\tLN:100000', '@SQ\tSN:c2\tLN:5000',
      'r1\t99\tc1\t10\t60\t4M\t=\t30\t24\tACGT\tIIII\tNM:i:0\tXa:i:-5\tXb:i:300\tXc:i:-40000\tXd:i:70000\tXe:i:-2147483648\tXf:i:4294967295\tRG:Z:grp\tXA:A:q',
      'r2\t0\tc1\t11\t0\t2S2M\tc2\t7\t0\tNNAC\t*\tXH:H:1AE3\tXF:f:3.5\tXB:B:s,-1,2,3\tXI:i:9',
      'r3\t4\tc1\t12\t0\t*\t*\t0\t0\t*\t*',
      `r4\t0\tc1\t100\t60\t${long}\t*\t0\t0\t${'A'.repeat(66000)}\t${'I5?'.repeat(22000)}\tNM:i:1`,
      `r4b\t0\tc1\t101\t60\t${long}\t*\t0\t0\t${'C'.repeat(66000)}\t*`,
      'r5\t16\tc2\t1\t255\t3M1D1M\t*\t0\t0\tACGT\t!!!!',
      // Floats of every %g shape, a repeat (the text cache), zeros of both signs.
      'r6\t0\tc2\t20\t0\t2M\t*\t0\t0\tAC\tII\tde:f:0.0067\tXg:f:-1.5e-07\tXj:f:1e+20\tXk:f:0\tXm:f:-0\tXn:f:123456.7\tXo:f:0.0067\tXp:f:3.4e+38',
    ].join('\n') + '\n';
    const path = join(tmpDir(), 'types.sam');
    writeFileSync(path, sam);
    const [fast, slow, n] = await both(path);
    expect(n).toBe(7);
    expect(fast).toBe(slow);
    expect(await asQuery(path)).toBe(slow);
    expect(await asQuery(path, true)).toBe(slow);
  });

  it.skipIf(!hasSamtools && !process.env.CI)('ex1.bam, record for record', async () => {
    const bam = join(tmpDir(), 'ex1-text.bam');
    writeFileSync(bam, gunzipSync(readFileSync(EX1)));
    const [fast, slow, n] = await both(bam);
    expect(n).toBe(Number(samtools(['view', '-c', bam]).toString()));
    expect(fast).toBe(slow);
    expect(await asQuery(bam)).toBe(slow);
    expect(await asQuery(bam, true)).toBe(slow);
  });
});
