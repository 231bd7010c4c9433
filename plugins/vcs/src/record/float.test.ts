import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatFloat, toF32 } from './float.js';
import { hasBcftools } from '../testing/bcftools.js';

describe('formatFloat', () => {
  it('prints like htslib', () => {
    expect(formatFloat(0)).toBe('0');
    expect(formatFloat(-0)).toBe('-0');
    expect(formatFloat(toF32(442156.34))).toBe('442156');
    expect(formatFloat(toF32(4.29487e-1))).toBe('0.429487');
    expect(formatFloat(toF32(1e10))).toBe('1e+10');
    expect(formatFloat(toF32(0.00001234567))).toBe('1.23457e-05');
    expect(formatFloat(toF32(-0.0001))).toBe('-0.0001');
    expect(formatFloat(toF32(999999.5))).toBe('1e+06');
    expect(formatFloat(1234565)).toBe('1.23456e+06');
  });

  it.skipIf(!hasBcftools)('agrees with bcftools on 3000 seeded random floats', () => {
    let seed = 12345;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const vals: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const mag = 10 ** Math.floor(rnd() * 20 - 9);
      const digits = Math.floor(rnd() * 9) + 1;
      const v = Number((rnd() * mag * (rnd() < 0.3 ? -1 : 1)).toPrecision(digits));
      vals.push(v);
    }
    vals.push(0.5, 12345.25, 1234565, 2.5e-5, 100, 0.1, 1e-4, 999999, 1000000);
    const head = '##fileformat=VCFv4.2\n##INFO=<ID=F,Number=1,Type=Float,Description="f">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n';
    const body = vals.map((v, i) => `1\t${i + 1}\t.\tA\tC\t.\t.\tF=${v}\n`).join('');
    const r = spawnSync('/usr/bin/bcftools', ['view', '--no-version', '-H'], { input: head + body });
    const got = r.stdout.toString().trim().split('\n').map((l) => l.split('\t')[7]!.slice(2));
    expect(got.length).toBe(vals.length);
    const mismatches = vals.map((v, i) => [v, formatFloat(toF32(v)), got[i]]).filter(([, a, b]) => a !== b);
    expect(mismatches).toEqual([]);
  });
});
