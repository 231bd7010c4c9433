// genolake bgzip/tabix vs htslib on a VCF-like text file: throughput, ratio, peak RSS, and tabix
// region latency. Each timing is the best of REPS runs (shared machines are noisy).
// Run after building: npx turbo run build --filter=@genolake/bgzf-tabix && node plugins/bgzf-tabix/bench/bgzf.mjs [MB] [REPS]
// The input is kept in $BENCH_DIR (default /tmp/genolake-bgzf-bench) and reused.
// genolake uses the native libdeflate binding when it loads; BENCH_ZLIB=1 adds rows for the
// node:zlib fallback (GENOLAKE_LIBDEFLATE=0), and the in-process section measures both codecs.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost } from '@genolake/core';
import * as libdeflate from '@genolake/libdeflate';
import { bgzf, fileSource, tabix } from '../dist/index.js';
import { codec, setCodec } from '../dist/bgzf/block.js';

const mb = Number(process.argv[2] ?? 200);
const reps = Number(process.argv[3] ?? 3);
const dir = process.env.BENCH_DIR ?? '/tmp/genolake-bgzf-bench';
const cli = fileURLToPath(new URL('./cli.mjs', import.meta.url));
mkdirSync(dir, { recursive: true });
const text = join(dir, `v${mb}.vcf`);

async function makeVcf() {
  const out = createWriteStream(text);
  let pos = 1, size = 0, x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8);
  const bases = 'ACGT';
  out.write('##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\ts2\ts3\ts4\ts5\ts6\ts7\ts8\n');
  while (size < mb * 1e6) {
    const lines = [];
    for (let i = 0; i < 2000; i++) {
      pos += 1 + (rnd() % 300);
      const gts = Array.from({ length: 8 }, () => `${rnd() % 2}|${rnd() % 2}:${rnd() % 60}`).join('\t');
      lines.push(`chr${1 + (pos >> 28)}\t${pos}\trs${rnd()}\t${bases[rnd() % 4]}\t${bases[rnd() % 4]}\t${rnd() % 100}\tPASS\tDP=${rnd() % 500};AF=0.${rnd() % 1000}\tGT:GQ\t${gts}\n`);
    }
    const chunk = lines.join('');
    size += chunk.length;
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

/** Runs argv under /usr/bin/time; stdout to /dev/null. Returns { s, rssMB }. */
function timed(argv, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', ...argv], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  const err = r.stderr.toString().trim().split('\n');
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${err.join(' ')}`);
  return { s, rssMB: Number(err[err.length - 1]) / 1024 };
}
function best(argv, env) {
  let b = { s: Infinity, rssMB: 0 };
  for (let i = 0; i < reps; i++) {
    const r = timed(argv, env);
    if (r.s < b.s) b = r;
  }
  return b;
}

if (!existsSync(text)) await makeVcf();
const size = statSync(text).size;
const gz = `${text}.gz`;
const genolake = ['node', cli, 'bgzip'];
const tools = { htslib: [['bgzip']], genolake: [genolake, {}] };
if (process.env.BENCH_ZLIB === '1') tools['genolake zlib'] = [genolake, { GENOLAKE_LIBDEFLATE: '0' }];
const startup = best(['node', cli, 'bgzip', '-h']).s;
const rows = [];
for (const level of ['-1', '1']) {
  for (const threads of ['1', '2']) {
    for (const [tool, [cmd, env]] of Object.entries(tools)) {
      const c = best([...cmd, '-f', '-k', '-@', threads, '-l', level, text], env);
      const gzSize = statSync(gz).size;
      const d = best([...cmd, '-d', '-c', '-@', threads, gz], env);
      rows.push({
        tool, threads, level,
        'compress MB/s': (size / 1e6 / c.s).toFixed(0),
        'decompress MB/s': (size / 1e6 / d.s).toFixed(0),
        ratio: (size / gzSize).toFixed(2),
        'peak RSS MB (c/d)': `${c.rssMB.toFixed(0)}/${d.rssMB.toFixed(0)}`,
      });
    }
  }
}
console.log(`input ${(size / 1e6).toFixed(0)} MB VCF-like, best of ${reps}, ${cpus().length} × ${cpus()[0]?.model}, node ${process.version}`);
console.log(`genolake CLI start-up (bgzip -h): ${startup.toFixed(2)} s, included in its wall times above`);
console.log(`genolake codec: ${codec()}${libdeflate.available ? ` (libdeflate ${libdeflate.libdeflateVersion})` : ` (${libdeflate.loadError?.message})`}`);
console.table(rows);

// In process (library API, no start-up), on the level-1 file the loop above left.
async function bestIn(f) {
  let b = Infinity;
  for (let i = 0; i < reps; i++) {
    const t = process.hrtime.bigint();
    await f();
    b = Math.min(b, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return (size / 1e6 / b).toFixed(0);
}
const { readFileSync } = await import('node:fs');
const plain = readFileSync(text);
const inRows = [];
for (const name of libdeflate.available ? ['libdeflate', 'zlib'] : ['zlib']) {
  setCodec(name);
  for (const threads of [1, 2]) {
    const d = await bestIn(async () => {
      for await (const _ of bgzf.decompressStream(fileSource(gz).stream(), { threads })) void _;
    });
    const c = await bestIn(async () => {
      const w = new bgzf.Writer({ write: () => undefined }, { level: 1, threads });
      for (let p = 0; p < plain.length; p += 1 << 20) await w.write(plain.subarray(p, p + (1 << 20)));
      await w.end();
    });
    inRows.push({ codec: name, threads, 'decompressStream MB/s': d, 'Writer -l 1 MB/s': c });
  }
}
setCodec(libdeflate.available ? 'libdeflate' : 'zlib');
console.table(inRows);

// tabix: the last file written is level 1; index it with both tools, 10 regions.
spawnSync('bgzip', ['-f', '-k', '-@', '2', text]);
const idx = best(['tabix', '-f', '-p', 'vcf', gz]);
const idxOurs = best(['node', cli, 'tabix', '-f', '-p', 'vcf', gz]);
const index = await tabix.decodeTbi(new Uint8Array((await import('node:fs')).readFileSync(`${gz}.tbi`)));
const chr = index.names[0];
const regions = Array.from({ length: 10 }, (_, i) => `${chr}:${1 + i * 5_000_000}-${i * 5_000_000 + 20_000}`);
const host = await createHost();
const { resolveObjectUrl } = await import('@genolake/core');
const { store, key } = await resolveObjectUrl(host, gz, { readOnly: true });
const f = await tabix.IndexedFile.open(store, key);
const lat = [];
for (let rep = 0; rep < reps; rep++) {
  for (const r of regions) {
    const [contig, range] = r.split(':');
    const [b, e] = range.split('-').map(Number);
    const t = process.hrtime.bigint();
    for await (const _ of f.query({ contig, start: b - 1, end: e })) void _;
    lat.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
lat.sort((a, b) => a - b);
const cliH = best(['tabix', gz, ...regions]);
const cliO = best(['node', cli, 'tabix', gz, ...regions]);
console.table([
  { what: 'index build (tabix -p vcf)', htslib: `${idx.s.toFixed(2)} s`, genolake: `${idxOurs.s.toFixed(2)} s` },
  { what: '10 regions, CLI (one process)', htslib: `${(cliH.s * 1000).toFixed(0)} ms`, genolake: `${(cliO.s * 1000).toFixed(0)} ms` },
  { what: '1 region in process, after index load (median/max)', htslib: '-', genolake: `${lat[lat.length >> 1].toFixed(2)} / ${lat[lat.length - 1].toFixed(2)} ms` },
]);
if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
