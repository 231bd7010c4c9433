import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeObjectStore } from '@genolake/testkit';
import { FsStore } from './fs.js';

async function tempStore(options: ConstructorParameters<typeof FsStore>[1] = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'genolake-fs-'));
  return { store: new FsStore(join(dir, 'root'), options), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

describeObjectStore('FsStore', () => tempStore(), { slow: true });
describeObjectStore('FsStore (no fsync)', () => tempStore({ fsync: false }));
// Every read through fs/promises (the default reads small objects and ranges synchronously).
describeObjectStore('FsStore (asynchronous reads)', () => tempStore({ fsync: false, syncReadBytes: 0 }));
