/**
 * GENOLAKE_DEBUG_TIMING=1: where a command's time goes, as one line on stderr at exit:
 *   timing: node 38.2, cli 4.1, core 41.0, discovery 1.2, host 0.6, plugins 58.3, command 31.0, total 174.4 (ms)
 * `node` is the runtime's own start-up (process start to bootstrap complete), `cli` the
 * CLI's entry modules up to main(), `plugins` the lazy plugin imports during the command
 * (not counted again in `command`). All times are from performance.now(), whose origin is
 * the process start.
 */
import { performance } from 'node:perf_hooks';

export class Timing {
  private readonly phases: [string, number][] = [];
  private last: number;
  private nested = 0;

  constructor(private readonly out: NodeJS.WritableStream) {
    const boot = performance.nodeTiming.bootstrapComplete;
    this.last = performance.now();
    this.phases.push(['node', boot], ['cli', this.last - boot]);
  }

  /** Closes the phase running since the previous mark. */
  mark(phase: string): void {
    const now = performance.now();
    this.add(phase, now - this.last - this.nested);
    this.last = now;
    this.nested = 0;
  }

  /** Times `work` as `phase`, taken out of the phase it runs inside. */
  async span<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await work();
    } finally {
      const took = performance.now() - t;
      this.add(phase, took);
      this.nested += took;
    }
  }

  report(): void {
    const parts = this.phases.map(([p, ms]) => `${p} ${ms.toFixed(1)}`);
    this.out.write(`timing: ${parts.join(', ')}, total ${performance.now().toFixed(1)} (ms)\n`);
  }

  private add(phase: string, ms: number): void {
    const known = this.phases.find((p) => p[0] === phase);
    if (known) known[1] += ms;
    else this.phases.push([phase, ms]);
  }
}

export function startTiming(env: Record<string, string | undefined>, out: NodeJS.WritableStream): Timing | undefined {
  return env.GENOLAKE_DEBUG_TIMING === '1' ? new Timing(out) : undefined;
}
