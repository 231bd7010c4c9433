// Test support only: preloaded into pool workers so they can import TypeScript sources.
import { register } from 'node:module';

register('./worker-pool.test-hooks.mjs', import.meta.url);
