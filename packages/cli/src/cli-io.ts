/**
 * The CLI's view of its process: streams, the TTY check, and small write helpers. Commands
 * receive a CommandIO so tests can capture output without spawning a process.
 */
import type { CommandIO } from '@genolake/core';

export function processIO(): CommandIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: process.stderr.isTTY === true,
  };
}

/** Writes text and waits for the stream to accept it (stdout may be a slow pipe). */
export function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (err?: Error | null) => (err ? reject(err) : resolve()));
  });
}

export function writeLine(stream: NodeJS.WritableStream, text = ''): Promise<void> {
  return write(stream, `${text}\n`);
}

export function writeJson(stream: NodeJS.WritableStream, value: unknown): Promise<void> {
  return write(stream, `${JSON.stringify(value, null, 2)}\n`);
}

/** 1536 -> '1.5 KiB'. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

/** Left-aligned columns for tables printed to a terminal. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}
