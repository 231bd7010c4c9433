#!/usr/bin/env node
// Builds the native addon (build/Release/genolake_libdeflate.node) with node-gyp, unless it is
// newer than its sources. A failed build (no compiler, no libdeflate-dev, no Node headers) is a
// warning, not an error: the package then loads with `available = false` and callers use
// node:zlib. Set GENOLAKE_REQUIRE_NATIVE=1 to make a failed build fail the build.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const addon = join(root, 'build', 'Release', 'genolake_libdeflate.node');
const sources = ['binding.gyp', 'src/binding.c'].map((f) => join(root, f));

const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (existsSync(addon) && statSync(addon).mtimeMs >= newest && process.argv[2] !== '--force') {
  console.log('libdeflate: native addon is up to date');
  process.exit(0);
}

// node-gyp: the one npm puts on PATH for scripts, else the workspace's copy.
let cmd = 'node-gyp';
let pre = [];
if (spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error) {
  try {
    pre = [createRequire(import.meta.url).resolve('node-gyp/bin/node-gyp.js')];
    cmd = process.execPath;
  } catch {
    fail('node-gyp not found');
  }
}
// Node's headers: npm's `nodedir` if configured, else the ones installed beside this node
// (Debian's nodejs and the official tarballs ship include/node), so node-gyp never downloads.
const args = [...pre, 'rebuild'];
const prefix = resolve(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
if (r.status !== 0) fail(r.error ? r.error.message : `node-gyp exited with ${r.status}`);
console.log(`libdeflate: built ${addon}`);

function fail(why) {
  const msg = `libdeflate: native addon not built (${why}); @genolake/libdeflate will report available = false and callers fall back to node:zlib. Install a C compiler, make, python3 and libdeflate-dev (Debian) to build it.`;
  if (process.env.GENOLAKE_REQUIRE_NATIVE === '1') {
    console.error(msg);
    process.exit(1);
  }
  console.warn(`warning: ${msg}`);
  process.exit(0);
}
