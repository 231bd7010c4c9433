/**
 * Test helpers: run htslib's tools (bgzip, tabix) as oracles. A tool that is missing makes
 * its suites skip, except under CI=true where it is a failure (style rule 23).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function have(tool: string): boolean {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export const HAVE_BGZIP = have('bgzip');
export const HAVE_TABIX = have('tabix');

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs a tool synchronously, with optional stdin bytes. */
export function run(tool: string, args: string[], input?: Uint8Array, cwd?: string): RunResult {
  const r = spawnSync(tool, args, { input, cwd, maxBuffer: 1 << 30 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr.toString() };
}

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix = 'genolake-bgzf-'): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Deterministic pseudo-random bytes (xorshift), optionally text-like so they compress. */
export function pseudoRandomBytes(n: number, seed: number, textLike = false): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  const alphabet = 'ACGT\t0123456789\n';
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = textLike ? alphabet.charCodeAt((x >>> 0) % alphabet.length) : x & 0xff;
  }
  return out;
}

export async function collect(it: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return Buffer.concat(parts);
}
