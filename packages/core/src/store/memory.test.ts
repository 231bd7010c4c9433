import { describeObjectStore } from '@genolake/testkit';
import { MemoryNamespace, MemoryStore } from './memory.js';

describeObjectStore('MemoryStore', async () => ({ store: new MemoryStore('mem://test') }));

// A view under a prefix of a shared namespace must behave like a whole store.
describeObjectStore('MemoryStore (prefixed view)', async () => {
  const ns = new MemoryNamespace();
  ns.objects.set('other/outside', { bytes: new Uint8Array(1), etag: '"x"', lastModified: new Date() });
  return { store: new MemoryStore('mem://test/view', ns, 'view') };
});
