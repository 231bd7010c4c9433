import { DefaultHost } from './plugin/host.js';
import { memoryStorePlugin } from './store/builtin.js';

/**
 * A host with the built-in backends and codecs registered through the public plugin door.
 * Each call returns an independent host (tests make their own).
 */
export async function createHost(): Promise<DefaultHost> {
  const host = new DefaultHost();
  await host.use(memoryStorePlugin);
  return host;
}
