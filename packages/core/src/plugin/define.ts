import type { Plugin } from './types.js';

/** Identity helper that type-checks a plugin object. */
export function definePlugin<P extends Plugin>(plugin: P): P {
  return plugin;
}
