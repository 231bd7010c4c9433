/**
 * A one-line progress bar on stderr, only when stderr is a terminal: a pipe or a log file
 * gets no control characters. Redraws at most ten times a second.
 */
import type { CommandIO, ProgressReporter } from '@genolake/core';
import { formatBytes } from './cli-io.js';

export function createProgress(io: CommandIO, label: string, unit: 'bytes' | 'records' = 'bytes'): ProgressReporter | undefined {
  if (!io.interactive) return undefined;
  let last = 0;
  let drawn = false;
  const started = Date.now();
  const fmt = (n: number): string => (unit === 'bytes' ? formatBytes(n) : n.toLocaleString('en-US'));
  return {
    update(done, total, text) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      const secs = Math.max((now - started) / 1000, 0.001);
      let bar = '';
      if (total && total > 0) {
        const frac = Math.min(done / total, 1);
        const width = 24;
        const full = Math.round(frac * width);
        bar = `[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(frac * 100).toFixed(0).padStart(3)}% `;
      }
      const rate = unit === 'bytes' ? `${formatBytes(done / secs)}/s` : `${Math.round(done / secs)}/s`;
      io.stderr.write(`\r\x1b[K${text ?? label} ${bar}${fmt(done)}${total ? ` / ${fmt(total)}` : ''} ${rate}`);
      drawn = true;
    },
    done() {
      if (drawn) io.stderr.write('\r\x1b[K');
      drawn = false;
    },
  };
}
