// Locates the benchmark data set, building it when absent.
// BENCH_DATA=DIR overrides the default ../bench-data/<size> (relative to the repository root);
// MAKE_BENCH_DATA overrides the generator (default ../shared/tools/make-bench-data.sh).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

export const root = resolve(new URL('../..', import.meta.url).pathname);

export function benchData(size = process.env.BENCH_SIZE ?? 'small') {
  const dir = resolve(root, process.env.BENCH_DATA ?? `../bench-data/${size}`);
  if (existsSync(resolve(dir, 'sample.bam.bai')) && existsSync(resolve(dir, 'sample.cram'))) return { dir, size };
  const gen = resolve(root, process.env.MAKE_BENCH_DATA ?? '../shared/tools/make-bench-data.sh');
  if (!existsSync(gen)) throw new Error(`no bench data in ${dir} and no generator at ${gen} (set BENCH_DATA or MAKE_BENCH_DATA)`);
  process.stderr.write(`building the ${size} bench data set in ${dir} (2-5 min for small, ~35 min for large)\n`);
  const r = spawnSync(gen, [dir, size], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${gen} ${dir} ${size} failed (exit ${r.status})`);
  return { dir, size };
}

// Run as a script: print the data directory (building it if needed).
if (import.meta.url === `file://${process.argv[1]}`) console.log(benchData(process.argv[2]).dir);
