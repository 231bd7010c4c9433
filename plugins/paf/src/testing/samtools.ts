/** Test helpers: the samtools oracle and the SAM/BAM corpus of Debian's htslib-test and pysam tests. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSource } from '@genolake/bgzf-tabix';
import { HTSLIB_TEST_ROOTS, testFiles } from '@genolake/testkit';

export const SAMTOOLS = '/usr/bin/samtools';
export const hasSamtools = existsSync(SAMTOOLS);

export function samtools(args: string[], input?: Uint8Array): Buffer {
  const r = spawnSync(SAMTOOLS, args, { maxBuffer: 1 << 30, ...(input ? { input } : {}) });
  if (r.status !== 0) throw new Error(`samtools ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** `samtools view --no-PG -h` text, or undefined when samtools refuses the file. */
export function viewText(path: string, extra: string[] = []): string | undefined {
  const r = spawnSync(SAMTOOLS, ['view', '--no-PG', '-h', ...extra, path], { maxBuffer: 1 << 30 });
  return r.status === 0 ? r.stdout.toString('latin1') : undefined;
}

/** Every SAM/BAM file of the test packages (and samtools' docs), sorted. */
export function corpus(): string[] {
  return testFiles(/\.(bam|sam|sam\.gz)$/, { roots: [...HTSLIB_TEST_ROOTS, '/usr/share/doc/samtools'] });
}

let tmp: string | undefined;
export function tmpDir(): string {
  return (tmp ??= mkdtempSync(join(tmpdir(), 'paf-test-')));
}

/** A BAM of `path` (itself when already BAM), made by samtools; undefined when samtools refuses it. */
export function asBam(path: string, i: number): string | undefined {
  if (path.endsWith('.bam')) return viewText(path) === undefined ? undefined : path;
  const out = join(tmpDir(), `in${i}.bam`);
  const r = spawnSync(SAMTOOLS, ['view', '--no-PG', '-b', '-o', out, path]);
  return r.status === 0 ? out : undefined;
}

export { fileSource, execFileSync };
