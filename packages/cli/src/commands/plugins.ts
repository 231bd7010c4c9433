/**
 * `genolake plugins`: what is installed, from package.json manifests and the built-ins,
 * without importing any plugin (a broken plugin still shows up here).
 */
import type { PluginManifest } from '@genolake/core';
import { flag, parseCommand } from '../args.js';
import { table, write, writeJson } from '../cli-io.js';
import type { CliCommand, Session } from '../command.js';
import { cliVersion } from '../version.js';

export interface PluginListing {
  plugins: { name: string; version: string; apiVersion: number; dir: string; source: string; kinds: string[] }[];
  formats: { name: string; suffixes: string[]; package: string; version: string }[];
  stores: { scheme: string; package: string; version: string }[];
  codecs: { id: string; package: string; version: string }[];
  commands: { name: string; package: string; version: string }[];
}

/** Everything the host has built in plus everything the manifests declare. */
export function listInstalled(session: Session): PluginListing {
  const { host, manifests } = session;
  const core = { package: '@genolake/core', version: cliVersion() };
  const byPkg = (m: PluginManifest) => ({ package: m.name, version: m.version });
  const out: PluginListing = {
    plugins: manifests.map((m) => ({ name: m.name, version: m.version, apiVersion: m.apiVersion, dir: m.dir, source: m.source, kinds: m.kinds })),
    formats: host.listDrivers().map((d) => ({ name: d.name, suffixes: d.suffixes, ...core })),
    stores: host.listStores().map((s) => ({ scheme: s.scheme, package: s.provider, version: s.provider === core.package ? core.version : '' })),
    codecs: host.listCodecs().map((c) => ({ id: c.id, ...core })),
    commands: [
      ...['convert', 'query', 'export', 'info', 'log', 'verify', 'vacuum', 'plugins'].map((name) => ({ name, package: '@genolake/cli', version: cliVersion() })),
    ],
  };
  for (const m of manifests) {
    for (const f of m.formats) if (!out.formats.some((x) => x.name === f)) out.formats.push({ name: f, suffixes: m.suffixes, ...byPkg(m) });
    for (const s of m.schemes) if (!out.stores.some((x) => x.scheme === s)) out.stores.push({ scheme: s, ...byPkg(m) });
    for (const c of m.codecs) if (!out.codecs.some((x) => x.id === c)) out.codecs.push({ id: c, ...byPkg(m) });
    for (const c of m.commands) if (!out.commands.some((x) => x.name === c)) out.commands.push({ name: c, ...byPkg(m) });
  }
  return out;
}

export const pluginsCommand: CliCommand = {
  name: 'plugins',
  summary: 'list installed formats, stores, codecs and commands (reads package.json only)',
  help: `Usage: genolake plugins [--json]

Lists the plugin packages found (node_modules visible from the current directory and the
CLI's installation, GENOLAKE_PLUGINS, --plugin) and what each provides: dataset formats
with their file suffixes, URL schemes, codecs and commands. No plugin code is imported.

Options:
  --json       machine-readable output
  -h, --help   this help
`,
  async run(argv, session) {
    const p = parseCommand('plugins', argv, { json: { type: 'boolean' } });
    const listing = listInstalled(session);
    if (flag(p, 'json')) {
      await writeJson(session.io.stdout, listing);
      return 0;
    }
    const pkg = (x: { package: string; version: string }) => (x.version ? `${x.package}@${x.version}` : x.package);
    const sections: string[] = [];
    sections.push(`Plugins:\n${listing.plugins.length ? indent(table(listing.plugins.map((m) => [`${m.name}@${m.version}`, `api v${m.apiVersion}`, m.source, m.dir]))) : '  (none found)'}`);
    sections.push(`Formats:\n${indent(table(listing.formats.map((f) => [f.name, f.suffixes.join(' ') || '-', pkg(f)])))}`);
    sections.push(`Stores:\n${indent(table(listing.stores.map((s) => [`${s.scheme}://`, pkg(s)])))}`);
    sections.push(`Codecs:\n${indent(table(listing.codecs.map((c) => [c.id, pkg(c)])))}`);
    sections.push(`Commands:\n${indent(table(listing.commands.map((c) => [c.name, pkg(c)])))}`);
    await write(session.io.stdout, `${sections.join('\n\n')}\n`);
    return 0;
  },
};

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `  ${l}` : l))
    .join('\n');
}
