// Times a command with hyperfine (as shared/tools/baselines.md does), from its own small process:
// spawning from a bench process that holds hundreds of MB made every child start 100+ ms slower
// (fork copies the parent's page tables), which swamped 5-20 ms htslib commands.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Median wall ms of `command` (a shell string; stdout is discarded by hyperfine) over `runs`
 * runs after one warm-up. Without shell syntax it runs with -N (no shell), else hyperfine
 * subtracts its measured shell start-up.
 */
export function hyperfine(command, { runs = 5, cwd } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'hf-'));
  try {
    const json = join(dir, 'r.json');
    const shell = /[|;&<>$'"]/.test(command);
    const r = spawnSync('hyperfine', [...(shell ? [] : ['-N']), '--warmup', '1', '--runs', String(runs), '--style', 'none', '--export-json', json, command], { cwd, maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`hyperfine ${command}: ${r.stderr.toString().slice(0, 2000)}`);
    return JSON.parse(readFileSync(json, 'utf8')).results[0].median * 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
