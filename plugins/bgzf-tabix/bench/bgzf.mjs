// Compares genolake bgzip with htslib bgzip on a ~200 MB VCF-like text file, same thread count.
// Run after building: npm run build -w @genolake/bgzf-tabix && node plugins/bgzf-tabix/bench/bgzf.mjs [MB] [threads]
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createHost } from '@genolake/core';
import bgzfTabix from '../dist/plugin.js';

const mb = Number(process.argv[2] ?? 200);
const threads = String(process.argv[3] ?? 2);
const dir = mkdtempSync(join(tmpdir(), 'bgzf-bench-'));
const text = join(dir, 'v.vcf');

async function makeVcf() {
  const out = createWriteStream(text);
  let pos = 1, size = 0, x = 12345;
  const rnd = () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 8);
  const bases = 'ACGT';
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

function time(fn) {
  const t = process.hrtime.bigint();
  return Promise.resolve(fn()).then(() => Number(process.hrtime.bigint() - t) / 1e9);
}

async function ours(argv) {
  const host = await createHost();
  await host.use(bgzfTabix());
  const stdout = new PassThrough();
  stdout.resume();
  const ctx = { host, io: { stdout, stderr: process.stderr, stdin: Readable.from([]), interactive: false } };
  const code = await host.getCommand('bgzip').run(argv, ctx);
  if (code !== 0) throw new Error(`genolake bgzip ${argv.join(' ')} exited ${code}`);
}

await makeVcf();
const size = statSync(text).size;
const rows = [];
const sh = (args) => { const r = spawnSync('bgzip', args, { stdio: ['ignore', 'ignore', 'pipe'] }); if (r.status !== 0) throw new Error(r.stderr.toString()); };
for (const level of ['-1', '1']) {
  const tH = await time(() => sh(['-f', '-k', '-@', threads, '-l', level, text]));
  const sizeH = statSync(`${text}.gz`).size;
  const tHd = await time(() => sh(['-d', '-c', '-@', threads, `${text}.gz`]));
  const tO = await time(() => ours(['-f', '-k', '-@', threads, '-l', level, text]));
  const sizeO = statSync(`${text}.gz`).size;
  const tOd = await time(() => ours(['-d', '-c', '-@', threads, `${text}.gz`]));
  const rate = (t) => (size / 1e6 / t).toFixed(0);
  rows.push({ level, tool: 'htslib bgzip', 'compress MB/s': rate(tH), 'decompress MB/s': rate(tHd), 'ratio': (size / sizeH).toFixed(2) });
  rows.push({ level, tool: 'genolake bgzip', 'compress MB/s': rate(tO), 'decompress MB/s': rate(tOd), 'ratio': (size / sizeO).toFixed(2) });
}
console.log(`input ${(size / 1e6).toFixed(0)} MB, -@ ${threads}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}`);
console.table(rows);
rmSync(dir, { recursive: true, force: true });
