// Type tests for the extender API (style rule 24). `npm run lint` type-checks test files
// (tsconfig.tests.json), so a broken public type fails CI even where runtime tests pass.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createHost, type ObjectStore, type Region, type StoreHandler } from '../index.js';
import { definePlugin, PLUGIN_API_VERSION, type FormatDriver, type Host, type Plugin } from './index.js';

describe('plugin API types', () => {
  it('definePlugin keeps the literal plugin type and satisfies Plugin', async () => {
    const p = definePlugin({
      name: 'types-test',
      apiVersion: PLUGIN_API_VERSION,
      setup(host) {
        expectTypeOf(host).toEqualTypeOf<Host>();
      },
    });
    expectTypeOf(p).toMatchTypeOf<Plugin>();
    expectTypeOf(p.name).toEqualTypeOf<string>();
    const host = await createHost();
    await host.use(p);
    expect(host.listPlugins().map((x) => x.name)).toContain('types-test');
  });

  it('store handlers open ObjectStores and drivers return their results as promises', () => {
    expectTypeOf<StoreHandler['open']>().returns.toEqualTypeOf<Promise<ObjectStore>>();
    expectTypeOf<FormatDriver['convert']>().returns.resolves.toHaveProperty('version');
    expectTypeOf<FormatDriver['query']>().returns.resolves.toHaveProperty('records');
    expectTypeOf<Region>().toHaveProperty('start').toEqualTypeOf<number>();
    // @ts-expect-error apiVersion is required
    definePlugin({ name: 'x', setup() {} });
  });
});
