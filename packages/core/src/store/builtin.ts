import { definePlugin } from '../plugin/define.js';
import { PLUGIN_API_VERSION } from '../plugin/types.js';
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
