import { describe, expect, it } from 'vitest';
import { formatFloat } from './float.js';

describe('formatFloat (%g)', () => {
  it('matches C printf', () => {
    const cases: [number, string][] = [
      [0, '0'], [1, '1'], [-2.5, '-2.5'], [0.1, '0.1'], [100000, '100000'], [1000000, '1e+06'], [1234567, '1.23457e+06'],
      [0.0001, '0.0001'], [0.00001, '1e-05'], [3.14159265, '3.14159'], [Math.fround(0.3), '0.3'], [1e100, '1e+100'],
      [NaN, 'nan'], [Infinity, 'inf'], [-Infinity, '-inf'], [999999.5, '1e+06'], [123456.4, '123456'],
    ];
    for (const [v, s] of cases) expect(formatFloat(v), String(v)).toBe(s);
  });
});
