#!/usr/bin/env node
// Enforces the dependency rule: imports only point down.
//   core      -> no @genolake package, no cloud SDK
//   store-*   -> core only
//   plugins   -> core, plus the plugins listed in ALLOWED_PLUGIN_DEPS
//   testkit   -> core
//   cli       -> anything
//   test helpers (src/testing/, not built) may also use @genolake/testkit, as tests do
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const CLOUD = /^(@aws-sdk\/|@azure\/|@google-cloud\/)/;
const ALLOWED_PLUGIN_DEPS = { 'bgzf-tabix': ['@genolake/libdeflate'], paf: ['@genolake/bgzf-tabix', '@genolake/libdeflate'], ram: ['@genolake/bgzf-tabix', '@genolake/paf'], vcs: ['@genolake/bgzf-tabix'], srf: ['@genolake/bgzf-tabix'] };

function* files(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(ts|mts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name)) yield p;
  }
}

function importsOf(file) {
  const src = readFileSync(file, 'utf8');
  const out = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m; (m = re.exec(src)); ) out.push(m[1] ?? m[2]);
  return out;
}

function allowed(kind, name, spec) {
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
  if (!pkg.startsWith('@genolake/')) {
    if (kind === 'core' && CLOUD.test(spec)) return false;
    return true;
  }
  if (kind === 'cli') return true;
  if (pkg === '@genolake/core') return kind !== 'core' || true;
  if (kind === 'core') return false;
  if (kind === 'plugin') return (ALLOWED_PLUGIN_DEPS[name] ?? []).includes(pkg) || pkg === `@genolake/${name}`;
  if (kind === 'example') return pkg === '@genolake/testkit';
  return false;
}

const problems = [];
const groups = [
  ['packages', (n) => (n === 'core' ? 'core' : n === 'cli' ? 'cli' : n === 'testkit' ? 'testkit' : 'store')],
  ['plugins', () => 'plugin'],
  ['examples', () => 'example'],
];
for (const [dir, kindOf] of groups) {
  const base = join(root, dir);
  if (!existsSync(base)) continue;
  for (const name of readdirSync(base)) {
    const src = join(base, name, 'src');
    if (!existsSync(src)) continue;
    const kind = kindOf(name);
    for (const f of files(src)) {
      for (const spec of importsOf(f)) {
        if (spec.startsWith('.') || spec.startsWith('node:')) continue;
        if (f.includes('/src/testing/') && spec.startsWith('@genolake/testkit')) continue;
        if (!allowed(kind, name, spec)) problems.push(`${f.slice(root.length)} imports ${spec} (a ${kind} may not)`);
      }
    }
  }
}
if (problems.length) {
  console.error('dependency rule violated:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log('dependency rule: ok');
