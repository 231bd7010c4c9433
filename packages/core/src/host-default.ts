import { DefaultHost } from './plugin/host.js';
import { fsStorePlugin, memoryStorePlugin } from './store/builtin.js';
import { builtinCodecsPlugin } from './codec/builtin/index.js';
import { checkCodec } from './codec/check.js';

/**
 * A host with the built-in backends and codecs registered through the public plugin door.
 * Each call returns an independent host (tests make their own).
 *
 * The registration self-check is switched on after the built-in codecs: they are the same
 * code in every process and `codec/check.test.ts` runs the check on each of them, while
 * running it here cost every command ~12 ms (and loaded the zstd binding even for commands
 * that never touch zstd). Every codec registered later, by a plugin, is checked.
 */
export async function createHost(): Promise<DefaultHost> {
  const host = new DefaultHost();
  await host.use(memoryStorePlugin);
  await host.use(fsStorePlugin);
  await host.use(builtinCodecsPlugin);
  host.codecCheck = checkCodec;
  return host;
}
