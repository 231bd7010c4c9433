import { describe, expect, it, vi } from 'vitest';
import { captureIO } from './capture-io.js';
import { createProgress } from './progress.js';

describe('createProgress', () => {
  it('draws nothing when stderr is not a terminal', () => {
    expect(createProgress(captureIO({ interactive: false }), 'x')).toBeUndefined();
  });

  it('draws a throttled bar on a terminal and clears it when done', () => {
    vi.useFakeTimers();
    try {
      const io = captureIO({ interactive: true });
      const p = createProgress(io, 'converting')!;
      vi.setSystemTime(new Date(2025, 0, 1, 0, 0, 1));
      p.update(512, 1024);
      p.update(600, 1024); // within 100 ms: skipped
      vi.setSystemTime(new Date(2025, 0, 1, 0, 0, 2));
      p.update(1024, 1024, 'almost');
      p.done();
      const frames = io.err().split('\r\x1b[K').filter(Boolean);
      expect(frames).toHaveLength(2);
      expect(frames[0]).toMatch(/^converting \[#{12}\.{12}\]  50% 512 B \/ 1\.0 KiB /);
      expect(frames[1]).toMatch(/^almost \[#{24}\] 100% 1\.0 KiB/);
      expect(io.err().endsWith('\r\x1b[K')).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
