import { describe, expect, it } from 'vitest';
import { BUILTIN_CATALOG } from './catalog.js';
import { BUILTIN_COMMANDS } from './help.js';

describe('the lazy command catalog', () => {
  it('names, summarises and loads every built-in command as its module does', async () => {
    expect(BUILTIN_CATALOG.map((c) => c.name)).toEqual(BUILTIN_COMMANDS.map((c) => c.name));
    for (const entry of BUILTIN_CATALOG) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(command.summary, entry.name).toBe(entry.summary);
      expect(command).toBe(BUILTIN_COMMANDS.find((c) => c.name === entry.name));
    }
  });
});
