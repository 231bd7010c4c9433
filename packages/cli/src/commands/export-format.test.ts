import { describe, expect, it } from 'vitest';
import { chooseOutputFormat } from './export.js';

describe('chooseOutputFormat', () => {
  const vcs = ['vcf', 'vcf.gz', 'tsv', 'jsonl', 'arrow', 'parquet'];
  it('takes a compressed format by its whole suffix (out.vcf.gz is BGZF VCF, not text named .gz)', () => {
    expect(chooseOutputFormat('out.vcf.gz', vcs)).toBe('vcf.gz');
    expect(chooseOutputFormat('s3://b/OUT.VCF.GZ', vcs)).toBe('vcf.gz');
    expect(chooseOutputFormat('out.vcf', vcs)).toBe('vcf');
  });
  it('falls back to the suffix without .gz/.bgz, then the first format; --output-format wins', () => {
    expect(chooseOutputFormat('x.sam.gz', ['sam', 'bam'])).toBe('sam');
    expect(chooseOutputFormat('x.tsv.bgz', vcs)).toBe('tsv');
    expect(chooseOutputFormat('x.unknown', vcs)).toBe('vcf');
    expect(chooseOutputFormat('out.vcf.gz', vcs, 'tsv')).toBe('tsv');
    expect(chooseOutputFormat('x', [])).toBe('text');
  });
});
