import { describe, expect, it } from 'vitest';
import { InputError } from '@genolake/core';
import { formatBed, parseBedLine } from './record.js';

describe('BED records', () => {
  it('parses BED3 to BED6 and formats them back unchanged', () => {
    for (const line of ['chr1\t10\t20', 'chr1\t10\t20\tg1', 'chr1\t10\t20\tg1\t-5', 'chr1\t0\t0\tg1\t0\t.', 'chrX\t5\t9\tx\t1000\t+']) {
      expect(formatBed(parseBedLine(line, 't'))).toBe(line);
    }
    expect(parseBedLine('chr2\t1\t2\tn\t7\t-', 't')).toEqual({ chrom: 'chr2', start: 1, end: 2, name: 'n', score: 7, strand: '-' });
  });

  it('names the line of bad input', () => {
    const bad = ['chr1\t10', 'chr1\tx\t20', 'chr1\t30\t20', 'chr1\t1\t2\tn\t1.5', 'chr1\t1\t2\tn\t1\t*', '\t1\t2', 'a\t1\t2\t3\t4\t5\t6'];
    for (const line of bad) {
      expect(() => parseBedLine(line, 'in.bed line 7')).toThrow(InputError);
      expect(() => parseBedLine(line, 'in.bed line 7')).toThrow(/^in\.bed line 7: /);
    }
  });
});
