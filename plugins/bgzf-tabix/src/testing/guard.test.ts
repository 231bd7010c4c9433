import { describe, expect, it } from 'vitest';
import { HAVE_BGZIP, HAVE_TABIX } from './htslib.js';

// Agreement tests skip when htslib's tools are absent; this guard makes that visible, and
// under CI a missing tool fails instead of silently comparing nothing.
describe('htslib oracle tools', () => {
  it.runIf(process.env.CI === 'true')('are installed under CI', () => {
    expect(HAVE_BGZIP, 'bgzip missing').toBe(true);
    expect(HAVE_TABIX, 'tabix missing').toBe(true);
  });
  it('are found, or the agreement suites report they skipped', () => {
    if (!HAVE_BGZIP || !HAVE_TABIX) console.warn('bgzip/tabix not installed: htslib agreement tests skipped');
    expect(typeof HAVE_BGZIP).toBe('boolean');
  });
});
