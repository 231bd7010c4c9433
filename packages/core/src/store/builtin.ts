import { definePlugin } from '../plugin/define.js';
import { PLUGIN_API_VERSION } from '../plugin/types.js';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from '../errors.js';
import { FsStore } from './fs.js';
import { MemoryNamespace, MemoryStore } from './memory.js';

/** Registers the `mem://` backend. Namespaces live as long as the host. */
export const memoryStorePlugin = definePlugin({
  name: '@genolake/core:mem',
  apiVersion: PLUGIN_API_VERSION,
  setup(host) {
    const spaces = new Map<string, MemoryNamespace>();
    host.registerStore({
      scheme: 'mem',
      provider: '@genolake/core',
      description: 'in-memory objects, shared within one process',
      async open(url, options) {
        const name = url.host || 'default';
        let ns = spaces.get(name);
        if (!ns) spaces.set(name, (ns = new MemoryNamespace()));
        const root = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
        return new MemoryStore(`mem://${name}${root ? '/' + root : ''}`, ns, root, options.readOnly === true);
      },
    });
  },
});

/**
 * Registers the `file://` backend; plain paths reach it too (the host turns them into file
 * URLs). Store options `fsync` (boolean) and `readOnly` are honoured.
 */
export const fsStorePlugin = definePlugin({
  name: '@genolake/core:file',
  apiVersion: PLUGIN_API_VERSION,
  setup(host) {
    host.registerStore({
      scheme: 'file',
      provider: '@genolake/core',
      description: 'local filesystem directory (atomic rename, O_EXCL/link conditional puts)',
      async open(url, options) {
        if (url.host && url.host !== 'localhost') {
          throw new InvalidArgumentError(`file URL ${url.href} names a remote host; use file:///absolute/path`);
        }
        let path: string;
        try {
          path = fileURLToPath(url);
        } catch (e) {
          throw new InvalidArgumentError(`bad file URL ${url.href}`, { cause: e });
        }
        return new FsStore(path, {
          readOnly: options.readOnly === true,
          ...(typeof options.fsync === 'boolean' ? { fsync: options.fsync } : {}),
        });
      },
    });
  },
});
