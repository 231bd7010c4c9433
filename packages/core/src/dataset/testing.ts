/**
 * Store pairs for the dataset tests: two independent store instances over one namespace, as two
 * processes would open them. The fs backend joins once `createHost()` registers `file`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../host-default.js';
import { MemoryNamespace, MemoryStore } from '../store/memory.js';
import type { ObjectStore } from '../store/types.js';

export type StorePairFactory = () => Promise<[ObjectStore, ObjectStore]>;

export async function testBackends(): Promise<{ backends: [string, StorePairFactory][]; cleanup: () => Promise<void> }> {
  const host = await createHost();
  const dirs: string[] = [];
  const backends: [string, StorePairFactory][] = [
    [
      'memory',
      async () => {
        const ns = new MemoryNamespace();
        return [new MemoryStore('mem://t/ds', ns, 'ds'), new MemoryStore('mem://t/ds', ns, 'ds')];
      },
    ],
  ];
  if (host.listStores().some((h) => h.scheme === 'file')) {
    backends.push([
      'fs',
      async () => {
        const dir = await mkdtemp(join(tmpdir(), 'genolake-ds-'));
        dirs.push(dir);
        return [await host.openStore(dir), await host.openStore(dir)];
      },
    ]);
  }
  return {
    backends,
    cleanup: async () => {
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    },
  };
}
