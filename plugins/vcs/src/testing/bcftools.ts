/** Test helpers: the bcftools oracle and the VCF corpus of Debian's htslib-test and pysam tests. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { ByteSink } from '@genolake/core';
import { testFiles } from '@genolake/testkit';

export const BCFTOOLS = '/usr/bin/bcftools';
export const hasBcftools = existsSync(BCFTOOLS);

/** `bcftools view --no-version …` output, or undefined when bcftools refuses the input. */
export function bcftoolsView(args: string[]): string | undefined {
  const r = spawnSync(BCFTOOLS, ['view', '--no-version', ...args], { maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout.toString('latin1') : undefined;
}

/** Every (non-empty) VCF of the test packages, sorted. */
export function corpus(): string[] {
  return testFiles(/\.(vcf|vcf\.gz)$/, { nonEmpty: true });
}

export function bufferSink(): ByteSink & { text(): string } {
  const parts: Buffer[] = [];
  return {
    name: 'buffer',
    async write(c) { parts.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : Buffer.from(c)); },
    async end() {},
    text: () => Buffer.concat(parts).toString('latin1'),
  };
}
