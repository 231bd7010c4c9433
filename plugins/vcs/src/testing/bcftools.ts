/** Test helpers: the bcftools oracle and the VCF corpus of Debian's htslib-test and pysam tests. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ByteSink } from '@genolake/core';

export const BCFTOOLS = '/usr/bin/bcftools';
export const hasBcftools = existsSync(BCFTOOLS);
const ROOTS = ['/usr/share/htslib-test', '/usr/share/doc/python-pysam', '/usr/share/python-pysam-tests'];

/** `bcftools view --no-version …` output, or undefined when bcftools refuses the input. */
export function bcftoolsView(args: string[]): string | undefined {
  const r = spawnSync(BCFTOOLS, ['view', '--no-version', ...args], { maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout.toString('latin1') : undefined;
}

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) walk(p, out);
    else if (/\.(vcf|vcf\.gz)$/.test(e) && st.size > 0) out.push(p);
  }
}

/** Every VCF of the test packages, sorted. */
export function corpus(): string[] {
  const out: string[] = [];
  for (const r of ROOTS) if (existsSync(r)) walk(r, out);
  return out.sort();
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
