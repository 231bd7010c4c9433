/**
 * Real test files shipped by Debian's htslib-test and python-pysam-tests packages (installed by
 * `.ci/run`): the corpus the format plugins' round-trip tests walk.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const HTSLIB_TEST_ROOTS: readonly string[] = ['/usr/share/htslib-test', '/usr/share/doc/python-pysam', '/usr/share/python-pysam-tests'];

/** Files under `roots` whose names match `pattern` (non-empty ones only with `nonEmpty`), sorted. */
export function testFiles(pattern: RegExp, options: { roots?: readonly string[]; nonEmpty?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (pattern.test(e) && (!options.nonEmpty || st.size > 0)) out.push(p);
    }
  };
  for (const r of options.roots ?? HTSLIB_TEST_ROOTS) if (existsSync(r)) walk(r);
  return out.sort();
}
