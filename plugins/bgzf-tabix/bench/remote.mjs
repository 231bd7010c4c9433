// Remote region queries over HTTP: what htslib's `tabix http://…` and `genolake tabix http://…`
// fetch (requests, bytes, range shapes) and how long they take, index fetch included, for single
// regions and for one batch of 10 regions. Both run against the same in-process counting server
// (127.0.0.1, keep-alive, single `Range: bytes=a-b | a- | -n`), which counts bytes written to the
// client until it closes the connection, as ../../../../shared/tools/count-proxy.mjs does.
//
// Run after building: npm run build && node plugins/bgzf-tabix/bench/remote.mjs
// Data: $BENCH_DATA, else ../bench-data/large, ../bench-data/small or /tmp/bench-small (synth.vcf.gz,
// annotations.bed.gz and their htslib .tbi); regions are the baselines' seeded ones
// (`make_bench_data.py regions --seed 7 --size 100000` on that set's ref.fa.fai). Without bench
// data a 60 MB VCF is generated (bgzip + tabix) with 10 seeded regions. RUNS (default 3) repeats
// each query for latency (median); bytes and requests are the same on every run.
import { execFile } from 'node:child_process';
import { closeSync, createReadStream, existsSync, openSync, readSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createHost } from '@genolake/core';
import storeHttp from '@genolake/store-http';
import { tabix } from '../dist/index.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const shared = join(repo, '../shared/tools');
const genolakeBin = join(repo, 'packages/cli/bin/genolake.js');
const RUNS = Number(process.env.RUNS ?? 3);

// ---- data ---------------------------------------------------------------------------------
function findData() {
  for (const d of [process.env.BENCH_DATA, join(repo, '../bench-data/large'), join(repo, '../bench-data/small'), '/tmp/bench-small']) {
    if (d && existsSync(join(d, 'synth.vcf.gz.tbi')) && existsSync(join(d, 'ref.fa.fai'))) return d;
  }
  return undefined;
}

async function seededRegions(dir) {
  const list = join(dir, 'baselines/regions_100k.txt');
  if (existsSync(list)) return readFileSync(list, 'utf8').split('\n').filter(Boolean);
  const { stdout } = await run('python3', [join(shared, 'make_bench_data.py'), 'regions', '--fai', join(dir, 'ref.fa.fai'), '--n', '10', '--size', '100000', '--seed', '7']);
  return stdout.split('\n').filter(Boolean);
}

async function generated() {
  const dir = mkdtempSync(join(tmpdir(), 'genolake-remote-bench-'));
  let x = 42;
  const rnd = (m) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % m;
  const lines = ['##fileformat=VCFv4.2', '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ts1\ts2\ts3\ts4'];
  const lens = { chr1: 4_000_000, chr2: 3_000_000, chr3: 2_000_000 };
  for (const [chr, len] of Object.entries(lens)) {
    for (let pos = 1 + rnd(100); pos < len; pos += 1 + rnd(40)) {
      const gts = Array.from({ length: 4 }, () => `${rnd(2)}|${rnd(2)}:${rnd(60)}`).join('\t');
      lines.push(`${chr}\t${pos}\trs${rnd(1e6)}\tA\tG\t${rnd(100)}\tPASS\tDP=${rnd(500)}\tGT:GQ\t${gts}`);
    }
  }
  writeFileSync(join(dir, 'synth.vcf'), `${lines.join('\n')}\n`);
  await run('bgzip', ['-f', join(dir, 'synth.vcf')]);
  await run('tabix', ['-p', 'vcf', join(dir, 'synth.vcf.gz')]);
  const regions = Array.from({ length: 10 }, () => {
    const [chr, len] = Object.entries(lens)[rnd(3)];
    const beg = 1 + rnd(len - 100_001);
    return `${chr}:${beg}-${beg + 99_999}`;
  });
  return { dir, files: ['synth.vcf.gz'], regions, generated: true };
}

// ---- counting server ----------------------------------------------------------------------
function startServer(root) {
  const log = [];
  const server = createServer((req, res) => {
    const entry = { method: req.method, url: req.url, range: req.headers.range ?? null, status: 0, asked: 0, sent: 0 };
    log.push(entry);
    const file = normalize(join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname)));
    let size;
    try {
      if (!file.startsWith(normalize(root + sep))) throw new Error('outside');
      size = statSync(file).size;
    } catch {
      entry.status = 404;
      res.writeHead(404, { 'content-length': '0' }).end();
      return;
    }
    let start = 0;
    let end = size - 1;
    let status = 200;
    const m = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
    if (m) {
      if (m[1] === '') start = Math.max(0, size - Number(m[2]));
      else {
        start = Number(m[1]);
        if (m[2] !== '') end = Math.min(Number(m[2]), size - 1);
      }
      if (start >= size) {
        entry.status = 416;
        res.writeHead(416, { 'content-range': `bytes */${size}`, 'content-length': '0' }).end();
        return;
      }
      status = 206;
    }
    entry.status = status;
    const headers = { 'content-length': String(end - start + 1), 'accept-ranges': 'bytes', etag: `"${size.toString(16)}"`, 'last-modified': new Date(0).toUTCString() };
    if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
    res.writeHead(status, headers);
    if (req.method === 'HEAD') return void res.end();
    entry.asked = end - start + 1;
    const stream = createReadStream(file, { start, end, highWaterMark: 16 * 1024 });
    stream.on('data', (d) => {
      if (res.destroyed) return stream.destroy();
      entry.sent += d.length;
      if (!res.write(d)) {
        stream.pause();
        res.once('drain', () => stream.resume());
      }
    });
    stream.on('end', () => res.end());
    res.on('close', () => stream.destroy());
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, log, url: `http://127.0.0.1:${server.address().port}` })));
}

function tally(log) {
  const gets = log.filter((e) => e.method === 'GET');
  return {
    requests: log.length,
    openEnded: gets.filter((e) => e.status < 400 && (!e.range || /^bytes=\d+-$/.test(e.range))).length,
    sent: gets.reduce((n, e) => n + e.sent, 0),
    asked: gets.reduce((n, e) => n + e.asked, 0),
    ranges: log.map((e) => `${e.method} ${e.url.split('/').pop()} ${e.range ?? (e.method === 'GET' ? 'whole' : '')} ${e.status}${e.method === 'GET' ? ` sent=${e.sent}` : ''}`),
  };
}

// ---- the three ways to ask -----------------------------------------------------------------
async function htslib(url, regions) {
  const cwd = mkdtempSync(join(tmpdir(), 'hts-remote-')); // htslib saves the index here: start cold each time
  const t = performance.now();
  const { stdout } = await run('tabix', [url, ...regions], { cwd, maxBuffer: 1 << 30, encoding: 'latin1' });
  const ms = performance.now() - t;
  rmSync(cwd, { recursive: true, force: true });
  return { ms, out: stdout };
}

async function genolakeCli(url, regions) {
  const t = performance.now();
  const { stdout } = await run(process.execPath, [genolakeBin, 'tabix', url, ...regions], { maxBuffer: 1 << 30, encoding: 'latin1' });
  return { ms: performance.now() - t, out: stdout };
}

const host = await createHost();
await host.use(storeHttp());
async function genolakeLib(url, regions) {
  const dir = url.slice(0, url.lastIndexOf('/') + 1);
  const key = url.slice(dir.length);
  const t = performance.now();
  const store = await host.openStore(dir); // a fresh store and index load per query
  const f = await tabix.IndexedFile.open(store, key);
  const parts = [];
  // One batch, planned together (as the CLI does): shared byte ranges are fetched once.
  const batch = regions.map((text) => {
    const [contig, range] = text.split(':');
    const [b, e] = range.split('-').map(Number);
    return { contig, start: b - 1, end: e };
  });
  for await (const line of f.queryAll(batch)) parts.push(Buffer.from(line).toString('latin1'), '\n');
  const ms = performance.now() - t;
  await store.close?.();
  return { ms, out: parts.join('') };
}

/**
 * What the index says a query needs: each region's merged chunks, from the chunk's first block
 * through the end of the block holding its end (BSIZE read from that block's header), index and
 * the data object's head excluded. The floor for any tool that reads whole blocks.
 */
async function needed(dir, file, regions) {
  const idx = await tabix.decodeTbi(readFileSync(join(dir, `${file}.tbi`)), file);
  const fd = openSync(join(dir, file), 'r');
  const head = Buffer.alloc(18);
  let bytes = 0;
  for (const text of regions) {
    const [contig, range] = text.split(':');
    const [b, e] = range.split('-').map(Number);
    const id = idx.refId(contig);
    if (id === undefined) continue;
    for (const c of idx.chunks(id, b - 1, e)) {
      const last = Math.floor(c.end / 65536);
      readSync(fd, head, 0, 18, last);
      bytes += last + (c.end % 65536 ? head.readUInt16LE(16) + 1 : 0) - Math.floor(c.beg / 65536);
    }
  }
  closeSync(fd);
  return bytes;
}

// ---- measure ----------------------------------------------------------------------------------
const found = findData();
const data = found ? { dir: found, files: ['synth.vcf.gz', 'annotations.bed.gz'].filter((f) => existsSync(join(found, `${f}.tbi`))), regions: await seededRegions(found), generated: false } : await generated();
const srv = await startServer(data.dir);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
const fmtB = (n) => (n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`);
const rows = [];
const detail = [];

for (const file of data.files) {
  const url = `${srv.url}/${file}`;
  const sets = [...data.regions.map((r) => ({ label: 'single 100 kb', regions: [r] })), { label: 'batch of 10 × 100 kb', regions: data.regions }];
  for (const [tool, fn] of [['htslib tabix 1.16', htslib], ['genolake tabix (CLI)', genolakeCli], ['genolake library', genolakeLib]]) {
    const per = new Map();
    for (const set of sets) {
      const ms = [];
      let counted;
      let out;
      for (let i = 0; i < RUNS; i++) {
        srv.log.length = 0;
        const r = await fn(url, set.regions);
        ms.push(r.ms);
        await new Promise((res) => setTimeout(res, 20)); // let the server see the client close
        const t = tally(srv.log);
        if (i === 0) {
          counted = t;
          out = r.out;
          if (set.regions.length === data.regions.length || set.regions[0] === data.regions[0]) detail.push(`${file} ${tool} ${set.regions.length === 1 ? set.regions[0] : 'batch'}:\n  ${t.ranges.join('\n  ')}`);
        }
      }
      const g = per.get(set.label) ?? { requests: [], openEnded: [], sent: [], asked: [], ms: [], lines: [], need: [] };
      g.need.push(await needed(data.dir, file, set.regions));
      g.requests.push(counted.requests);
      g.openEnded.push(counted.openEnded);
      g.sent.push(counted.sent);
      g.asked.push(counted.asked);
      g.ms.push(median(ms));
      g.lines.push(out.split('\n').length - 1);
      per.set(set.label, g);
      set.expected ??= out;
      if (out !== set.expected) console.error(`MISMATCH: ${tool} on ${file} ${set.regions.join(' ')}`);
    }
    for (const [label, g] of per) {
      const range = (a, f = (v) => v) => (a.length > 1 ? `${f(median(a))} (${f(Math.min(...a))}–${f(Math.max(...a))})` : f(a[0]));
      rows.push(`| ${file} | ${label} | ${tool} | ${range(g.requests)} | ${range(g.openEnded)} | ${range(g.sent, fmtB)} | ${range(g.asked, fmtB)} | ${range(g.need, fmtB)} | ${range(g.ms, (v) => `${Math.round(v)} ms`)} | ${range(g.lines)} |`);
    }
  }
}
srv.server.closeAllConnections();
srv.server.close();

const sizes = data.files.map((f) => `${f} ${fmtB(statSync(join(data.dir, f)).size)} (.tbi ${fmtB(statSync(join(data.dir, `${f}.tbi`)).size)})`).join(', ');
console.log(`Data: ${data.generated ? 'generated VCF' : data.dir} — ${sizes}; ${RUNS} runs per query, latency = median.`);
console.log(`Regions: ${data.regions.join(' ')}\n`);
console.log('| file | query | tool | requests | open-ended or whole GETs | bytes sent | bytes asked for (Range size) | data bytes the index says are needed | latency | lines |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
console.log(rows.join('\n'));
if (process.env.DETAIL) console.log(`\n${detail.join('\n')}`);
if (data.generated) rmSync(data.dir, { recursive: true, force: true });
process.exit(0);
