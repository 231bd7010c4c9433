import { describe, expect, it } from 'vitest';
import { Header } from '../../header/header.js';
import { RecordParser } from '../../record/parser.js';
import { sampleGroups } from '../columns.js';
import { DirectEncoder } from './direct.js';
import { codingOf, encodeRow } from './matrix.js';
import { encodeNumbers, encodeScalars } from './numbers.js';

const SAMPLES = ['a', 'b', 'c', 'd', 'e'];
const header = Header.parse([
  '##fileformat=VCFv4.2',
  '##FORMAT=<ID=GT,Number=1,Type=String,Description="g">',
  '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">',
  '##FORMAT=<ID=DS,Number=1,Type=Float,Description="s">',
  '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="a">',
  '##FORMAT=<ID=TX,Number=1,Type=String,Description="t">',
  `#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t${SAMPLES.join('\t')}`,
], 'test');
const groups = sampleGroups(SAMPLES.length, 4, 2);

/** Direct cells of a line, or undefined; when defined they must equal the general path's. */
function direct(format: string, samples: string[]): Map<string, Uint8Array[]> | undefined {
  const line = Buffer.from(`1\t10\t.\tA\tC\t.\t.\t.\t${format}\t${samples.join('\t')}`, 'latin1');
  const enc = new DirectEncoder(groups);
  const fast = new RecordParser(header, 'test', undefined, (k, d, b, t, n) => enc.encode(k, d, b, t, n)).parse(line, 0, line.length, 1);
  // with marker-major keys, those keys' lists end with the row over all samples
  const whole = new DirectEncoder(groups, ['GT', 'DS']);
  const fastWhole = new RecordParser(header, 'test', undefined, (k, d, b, t, n) => whole.encode(k, d, b, t, n)).parse(line, 0, line.length, 1);
  const slow = new RecordParser(header, 'test').parse(line, 0, line.length, 1);
  expect(slow.cells).toBeUndefined();
  if (!fast.cells) return undefined;
  expect(fast.samples).toEqual([]);
  slow.format.forEach((key, k) => {
    const coding = codingOf(key, header.formatDef(key));
    const cells = groups.map(([, , a, b]) => encodeRow(slow.samples[k]!.slice(a, b), coding));
    expect(fast.cells!.get(key), `${key} of ${samples.join(' ')}`).toEqual(cells);
    expect(fastWhole.cells!.get(key), `${key} of ${samples.join(' ')} (marker keys)`).toEqual(key === 'GT' || key === 'DS' ? [...cells, encodeRow(slow.samples[k]!, coding)] : cells);
  });
  return fast.cells;
}

describe('direct sample encoding (convert fast path)', () => {
  it('equals the parsed values encoded: GT, Integer, Float, missing and short samples', () => {
    expect(direct('GT:DP:DS', ['0|1:5:0.5', '1/1:.:1', '.', './.:-7:-0.0', '0|.:2147483647:.1'])).toBeDefined();
    expect(direct('GT:DP:DS', ['0/0/1:0:0.123456789', '2:12:5.', '.|1:-2147483640:1e0', '3/125:007:-3.25', '.:.:.'])).toBeUndefined(); // exponent
    expect(direct('GT:DP:DS', ['0/0/1:0:0.123456789', '2:12:5.', '.|1:-2147483640:1.000001', '3/125:007:-3.25', '.::'])).toBeDefined();
    expect(direct('DP:GT', ['1:0', '2', '', '.', '3:1|1'])).toBeDefined(); // an empty column: DP missing, no GT
    expect(direct('DP:GT', ['1:0', '2', '.', '.', '3:1|1'])).toBeDefined();
    expect(direct('DS', ['.', '.', '.', '.', '.'])).toBeDefined();
    expect(direct('DS', ['1e3', '0.1', '.', 'nan', 'inf'])).toBeUndefined();
  });
  it('leaves the rest to the general parser', () => {
    for (const [format, s] of [
      ['GT', '0/126'], ['GT', '0/0/0/0/0/0/0/0/1'], ['GT:AD', '0/1:1,2'], ['GT:TX', '0/1:x'],
      ['DP', '+3'], ['DP', '2147483648'], ['DP', '-2147483641'], ['GT:GT', '0:0'], ['DS', '1,2'],
    ] as const) expect(direct(format, [s, s, s, s, s])).toBeUndefined();
  });
  it('errors stay the general parser\'s', () => {
    const line = Buffer.from('1\t10\t.\tA\tC\t.\t.\t.\tGT:DP\t0/1:1:2\t0\t0\t0\t0', 'latin1');
    const enc = new DirectEncoder(groups);
    expect(() => new RecordParser(header, 'test', undefined, (k, d, b, t, n) => enc.encode(k, d, b, t, n)).parse(line, 0, line.length, 1)).toThrow(/has 3 values for 2 FORMAT keys/);
  });
  it('encodeScalars equals encodeNumbers on scalars', () => {
    let seed = 11;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
    const odd = [0, -0, 0.1, 1e-7, 123456.7, 3.4e38, -1.5, 2147483647, -2147483640];
    for (let t = 0; t < 300; t++) {
      const float = rnd(2) === 0;
      const n = 1 + rnd(12);
      const x = new Float64Array(n);
      for (let s = 0; s < n; s++) {
        const r = rnd(10);
        x[s] = r === 0 ? NaN : r === 1 ? odd[rnd(odd.length)]! : float ? Math.fround((rnd(2e6) - 1e6) / 10 ** rnd(8)) : rnd(2 ** 31) - 2 ** 30;
      }
      const values = [...x].map((v) => (Number.isNaN(v) ? null : [v]));
      expect(encodeScalars(x, 0, n, float)).toEqual(encodeNumbers(values, float));
    }
  });
});
