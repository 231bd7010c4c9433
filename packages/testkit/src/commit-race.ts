/**
 * Two writers committing to one dataset at the same time, round after round: every commit must
 * land (the loser of each race rebases onto the winner's version), no chunk may be lost, and a
 * function-style metadata patch must see every increment. Backends that enforce conditional
 * create run this against their real server; see docs/plugin-guide.md.
 */
import { Dataset, type ObjectStore } from '@genolake/core';
import { expect } from 'vitest';

const enc = new TextEncoder();

/** Runs the race on two store instances opened on the same dataset URL; returns the rebase count. */
export async function runCommitRace(a: ObjectStore, b: ObjectStore, rounds = 20): Promise<{ rebased: number }> {
  const dsA = await Dataset.create(a, { format: 'test', formatVersion: '1' });
  const dsB = await Dataset.create(b, { format: 'test', formatVersion: '1' });
  const written = new Set<string>();
  let rebased = 0;
  for (let round = 0; round < rounds; round++) {
    await Promise.all(
      [dsA, dsB].map(async (ds, w) => {
        const tx = ds.begin({ writerId: `w${w}` });
        const key = tx.chunkKey(`p${w}`, `r${round}`);
        await tx.putChunk(key, enc.encode(`writer ${w} round ${round}`), { partition: `p${w}`, records: 1 });
        written.add(key);
        tx.setMetadata((old) => ({ ...old, commits: ((old.commits as number) ?? 0) + 1 }));
        rebased += (await tx.commit({ operation: { kind: 'append' } })).operation.rebased ?? 0;
      }),
    );
  }
  const final = await Dataset.open(a);
  expect(final.version).toBe(2 * rounds);
  expect(new Set(final.manifest.chunks.map((c) => c.key))).toEqual(written);
  expect(final.manifest.metadata).toEqual({ commits: 2 * rounds });
  // Both writers started each round together, so some commits must have lost a race.
  expect(rebased).toBeGreaterThan(0);
  return { rebased };
}
