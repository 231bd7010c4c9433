// paf benchmark: size vs BAM/CRAM, bam-to-paf throughput vs samtools, region-query latency
// (in process and CLI) vs samtools view on BAM+BAI, bytes and requests per region, peak RSS, and
// the round trip: `samtools view --no-PG -h` of the exported BAM equals that of sample.bam.
// Usage: node tools/bench/paf.mjs [small|large]   (env: BENCH_DATA, RUNS=5, THREADS=2, WARM=10, KEEP=1)
// Prints a Markdown report on stdout; progress on stderr.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createHost, parseRegion, withMetrics } from '@genolake/core';
import * as paf from '@genolake/paf';
import { benchData, root } from './data.mjs';
import { hyperfine } from './hyperfine.mjs';

const { dir, size } = benchData(process.argv[2]);
const RUNS = Number(process.env.RUNS ?? 5);
const THREADS = Number(process.env.THREADS ?? 2);
/** Warm-up passes over the 100 kb regions before in-process timings (a fifth as many at 1 Mb). */
const WARM = Number(process.env.WARM ?? 10);
const CLI = resolve(root, 'packages/cli/bin/genolake.js');
const tmp = mkdtempSync(join(tmpdir(), 'paf-bench-'));
const bam = join(dir, 'sample.bam'), ds = join(tmp, 'sample.paf');
const log = (m) => process.stderr.write(`[paf bench] ${m}\n`);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`);
const mib = (b) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);

/** Runs a command under /usr/bin/time -v: wall ms, peak RSS KiB, stdout. */
function timed(cmd, args) {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { maxBuffer: 1 << 30, cwd: dir });
  const wall = performance.now() - t0;
  const err = r.stderr.toString();
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${err.slice(0, 2000)}`);
  return { wall, rss: Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? 0), out: r.stdout.toString() };
}

/** Median wall of `runs` runs (hyperfine, from its own process) and the peak RSS of one more run. */
function repeat(cmd, args, runs = RUNS) {
  const first = timed(cmd, args); // the RSS and the output
  const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);
  const wall = hyperfine([cmd, ...args].map(quote).join(' '), { runs, cwd: dir });
  return { wall, rss: first.rss, out: first.out };
}

function duBytes(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, e) => n + duBytes(join(p, e)), 0);
}

/** Seeded regions: the large set's from baselines.md; for the small set, inside chr1 (1.24 Mb). */
function regions(len) {
  if (size === 'large') {
    return len === 1e5
      ? ['chr5:1265415-1365414', 'chr6:405056-505055', 'chr1:4495305-4595304', 'chr2:4888781-4988780', 'chr1:4256680-4356679', 'chr3:720978-820977', 'chr7:585990-685989', 'chr4:4622520-4722519', 'chr7:4743370-4843369', 'chr2:1872665-1972664']
      : ['chr3:3148828-4148827', 'chr2:5912433-6912432', 'chr1:1147923-2147922', 'chr4:4247659-5247658', 'chr3:5384383-6384382', 'chr1:4088625-5088624', 'chr7:4152216-5152215', 'chr10:1688979-2688978', 'chr2:1964470-2964469', 'chr15:1118904-2118903'];
  }
  let s = 7;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 2 ** 32);
  const chr1 = 1_240_000, n = len === 1e5 ? 10 : 3;
  return Array.from({ length: n }, () => {
    const start = 1 + Math.floor(rnd() * (chr1 - len - 1));
    return `chr1:${start}-${start + len - 1}`;
  });
}

/** Bytes samtools reads from the BAM and the BAI for one `view -c` (strace). */
function samtoolsBytes(region) {
  const out = join(tmp, 'strace.txt');
  spawnSync('strace', ['-f', '-qq', '-y', '-e', 'trace=read,pread64', '-e', 'signal=none', '-o', out, 'samtools', 'view', '-c', bam, region], { cwd: dir });
  let data = 0, index = 0, calls = 0;
  for (const line of spawnSync('cat', [out]).stdout.toString().split('\n')) {
    const m = /(?:read|pread64)\((\d+)<([^>]*)>.*= (\d+)$/.exec(line);
    if (!m) continue;
    if (m[2].endsWith('.bam')) (data += Number(m[3])), calls++;
    else if (m[2].endsWith('.bai')) (index += Number(m[3])), calls++;
  }
  return { data, index, calls };
}

/** sha256, bytes and lines of `samtools view --no-PG -h <bam>`, hashed as it streams (GBs for the large set). */
function viewDigest(path) {
  return new Promise((done, fail) => {
    const p = spawn('samtools', ['view', '--no-PG', '-h', path]);
    const hash = createHash('sha256');
    let bytes = 0, lines = 0;
    p.stdout.on('data', (b) => {
      hash.update(b);
      bytes += b.length;
      for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) lines++;
    });
    p.on('error', fail);
    p.on('close', (code) => (code === 0 ? done({ sha256: hash.digest('hex'), bytes, lines }) : fail(new Error(`samtools view ${path}: exit ${code}`))));
  });
}

const nullSink = { name: 'null', chunksReusable: true, async write() {}, async end() {} };

async function main() {
  const host = await createHost();
  const report = [];
  const row = (...c) => report.push(`| ${c.join(' | ')} |`);
  log(`data ${dir}; converting`);
  const conv = timed('node', [CLI, 'bam-to-paf', bam, ds]);
  const samConv = repeat('samtools', ['view', '-b', `-@${THREADS}`, '-o', '/dev/null', bam], Math.min(RUNS, 3));
  const bamBytes = statSync(bam).size, cramBytes = statSync(join(dir, 'sample.cram')).size, pafBytes = duBytes(ds);
  const mbs = (w) => (bamBytes / 1e6 / (w / 1000)).toFixed(1);

  report.push(`### paf on the ${size} set (${new Date().toISOString().slice(0, 10)})`, '');
  report.push(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${spawnSync('samtools', ['--version']).stdout.toString().split('\n')[0]}. Data: \`${dir}\` (sample.bam ${mib(bamBytes)}). Times are medians of ${RUNS} runs after a warm-up, warm page cache.`, '');
  report.push('| size | bytes | vs BAM |', '|---|---:|---:|');
  row('BAM', bamBytes, '1.00');
  row('CRAM 3.0', cramBytes, (cramBytes / bamBytes).toFixed(2));
  row('paf dataset', pafBytes, (pafBytes / bamBytes).toFixed(2));
  report.push('', '| conversion | wall | BAM MB/s | peak RSS |', '|---|---:|---:|---:|');
  row('`genolake bam-to-paf` (CLI, default 2 inflate threads, 1 run)', ms(conv.wall), mbs(conv.wall), mib(conv.rss * 1024));
  row(`\`samtools view -b -@${THREADS} -o /dev/null\``, ms(samConv.wall), mbs(samConv.wall), mib(samConv.rss * 1024));

  log('round trip: paf-to-bam, then samtools view -h of both');
  const exported = join(tmp, 'sample.out.bam');
  timed('node', [CLI, 'paf-to-bam', ds, exported]);
  const [want, got] = await Promise.all([viewDigest(bam), viewDigest(exported)]);
  const same = want.sha256 === got.sha256 && want.bytes === got.bytes;
  report.push('', `Round trip: \`samtools view --no-PG -h\` of the exported BAM ${same ? '**equals**' : '**differs from**'} that of sample.bam (${want.lines} lines, ${want.bytes} bytes, sha256 ${want.sha256.slice(0, 16)}…${same ? '' : `; exported: ${got.lines} lines, ${got.bytes} bytes, sha256 ${got.sha256.slice(0, 16)}…`}).`);
  if (!same) process.exitCode = 1;

  const metered = withMetrics(await host.openStore(ds));
  const opened = await paf.PafDataset.open(metered);
  report.push('', `| query | regions | samtools CLI | samtools -@${THREADS} | genolake CLI | genolake in process | … dataset open | … + worker pool | reads/region | samtools bytes (BAM + BAI), reads | paf bytes, requests | peak RSS samtools / genolake CLI |`, '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const len of [1e5, 1e6]) {
    const rs = regions(len);
    log(`${rs.length} regions of ${len / 1000} kb`);
    for (const [what, samArgs, ourArgs, out] of [
      ['count (`view -c`)', ['-c'], ['-c'], { format: 'sam', count: true }],
      ['SAM records', ['-o', '/dev/null'], ['-o', '/dev/null'], { format: 'sam' }],
    ]) {
      const sam = [], samT = [], cli = [], inproc = [], inopen = [], inpool = [], reads = [], sbytes = [], pbytes = [], preq = [], srss = [], crss = [], scalls = [];
      // In process is a long-lived process: each mode is timed after WARM passes over the
      // regions (V8 optimises the decoders' loops after a few hundred record groups; a fresh
      // pool's first queries ran 15-20% slower than its steady state).
      const passes = len === 1e5 ? WARM : Math.ceil(WARM / 5);
      log(`warm-up: ${passes} passes over the regions in each in-process mode`);
      for (let p = 0; p < passes; p++) {
        for (const r of rs) {
          const scan = { regions: [parseRegion(r)] };
          await paf.runQuery({ host, store: metered, output: nullSink, request: {}, scan, out, workers: 'never' });
          await paf.runQuery({ host, store: metered, output: nullSink, request: {}, scan, out, workers: 'never', dataset: opened });
          await paf.runQuery({ host, store: metered, output: nullSink, request: {}, scan, out: { ...out, threads: THREADS }, workers: 'always', dataset: opened });
        }
      }
      for (const r of rs) {
        const s = repeat('samtools', ['view', ...samArgs, bam, r]);
        const st = repeat('samtools', ['view', `-@${THREADS}`, ...samArgs, bam, r]);
        const c = repeat('node', [CLI, 'paf-query', ...ourArgs, ds, r], Math.min(RUNS, 3));
        const region = parseRegion(r);
        // In process: the dataset opened per query, in one thread; opened once; and with the pool.
        const once = async (extra = { workers: 'never' }) => {
          const t0 = performance.now();
          const res = await paf.runQuery({ host, store: metered, output: nullSink, request: {}, scan: { regions: [region] }, out, ...extra });
          return { t: performance.now() - t0, n: res.records };
        };
        const timesOf = async (extra) => {
          await once(extra);
          const ts = [];
          for (let i = 0; i < RUNS; i++) ts.push((await once(extra)).t);
          return median(ts);
        };
        await once();
        metered.reset();
        const first = await once();
        pbytes.push(metered.metrics.bytesRead), preq.push(metered.metrics.gets);
        const ts = [first.t];
        for (let i = 1; i < RUNS; i++) ts.push((await once()).t);
        inopen.push(await timesOf({ workers: 'never', dataset: opened }));
        inpool.push(await timesOf({ workers: 'always', dataset: opened, out: { ...out, threads: THREADS } }));
        const b = samtoolsBytes(r);
        sam.push(s.wall), samT.push(st.wall), cli.push(c.wall), inproc.push(median(ts)), reads.push(first.n);
        sbytes.push(b.data + b.index), scalls.push(b.calls), srss.push(s.rss), crss.push(c.rss);
      }
      row(`${len / 1000} kb, ${what}`, rs.length, ms(median(sam)), ms(median(samT)), ms(median(cli)), ms(median(inproc)), ms(median(inopen)), ms(median(inpool)), median(reads), `${mib(median(sbytes))}, ${median(scalls)} reads`, `${mib(median(pbytes))}, ${median(preq)}`, `${mib(Math.max(...srss) * 1024)} / ${mib(Math.max(...crss) * 1024)}`);
    }
  }
  report.push('', `In process = \`paf.runQuery\` on an opened store, as in a long-lived process: timed after ${WARM} warm-up passes over the 100 kb regions (${Math.ceil(WARM / 5)} over the 1 Mb ones) in each mode, in the calling thread (\`workers: 'never'\`), the dataset opened by each query (manifest and chunk headers read and parsed each time; the OS caches the files); "dataset open" passes a \`PafDataset\` opened once (\`dataset:\`); "+ worker pool" also \`workers: 'always'\` (record groups decoded and formatted by ${THREADS} worker threads while the calling thread reads and writes, as \`paf-query -@ ${THREADS}\`; counts never use it); "samtools -@${THREADS}" gives samtools as many threads (BGZF decompression). paf bytes/requests = what the query asked the store for (withMetrics: ranged GETs), i.e. what an object store would serve; samtools bytes = strace read/pread64 on the BAM and BAI for one \`samtools view -c\`. Rerun: \`npm run bench\` (all packages) or \`npm run build && node tools/bench/paf.mjs ${size}\`.`);
  const text = `${report.join('\n')}\n`;
  process.stdout.write(text);
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, text);
}

try {
  await main();
} finally {
  if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
}
