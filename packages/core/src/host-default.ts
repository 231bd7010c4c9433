import { DefaultHost } from './plugin/host.js';
import { fsStorePlugin, memoryStorePlugin } from './store/builtin.js';
import { builtinCodecsPlugin } from './codec/builtin/index.js';
import { checkCodec } from './codec/check.js';

/**
 * A host with the built-in backends and codecs registered through the public plugin door.
 * Each call returns an independent host (tests make their own).
 */
export async function createHost(): Promise<DefaultHost> {
  const host = new DefaultHost();
  await host.use(memoryStorePlugin);
  await host.use(fsStorePlugin);
  host.codecCheck = checkCodec;
  await host.use(builtinCodecsPlugin);
  return host;
}
