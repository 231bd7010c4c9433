// vcs benchmarks on the bench data's synthetic cohort (compiled code: run `npm run build` first):
// size against VCF.gz and BCF; convert time against `bcftools view -Ob`; all samples' DS at one
// marker against `bcftools view -r | bcftools query`; region queries (100 kb, 1 Mb, VCF out)
// against `bcftools view -r`; a full-scan filter (QUAL > 30, two fields out) against
// `bcftools view -i` and `bcftools query -i`. Prints a Markdown report (BENCH_OUT=FILE also
// writes it) and the raw numbers as JSON on stderr.
//
//   node bench/vcs.mjs [small|large] [--runs 5] [--wide FILE.vcf.gz]
//
// Data: `<BENCH_DATA or ../bench-data/<size>>/synth.vcf.gz` (+ synth.bcf), built by
// ../shared/tools/make-bench-data.sh when absent. On the large set the markers and regions are
// the seeded ones of ../shared/tools/baselines.md, so the bcftools columns can be checked there.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHost, FsStore, parseRegion, withMetrics } from '@genolake/core';
import { fileSource } from '@genolake/bgzf-tabix';
import { convertVariants, runQuery, VariantsHandle } from '@genolake/vcs';
import { benchData, root } from '../../../tools/bench/data.mjs';
import { hyperfine } from '../../../tools/bench/hyperfine.mjs';

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const size = process.argv.slice(2).find((a) => a === 'small' || a === 'large') ?? process.env.BENCH_SIZE ?? 'small';
const RUNS = Number(arg('runs', process.env.RUNS ?? '5'));
const WIDE = arg('wide', undefined);
const BCFTOOLS = 'bcftools';
const CLI = resolve(root, 'packages/cli/bin/genolake.js');
let dataDir = resolve(root, process.env.BENCH_DATA ?? `../bench-data/${size}`);
if (!existsSync(join(dataDir, 'synth.vcf.gz'))) dataDir = benchData(size).dir;
const VCF = join(dataDir, 'synth.vcf.gz');
const BCF = join(dataDir, 'synth.bcf');
const tmp = mkdtempSync(join(process.env.BENCH_TMP ?? dataDir, '.vcs-bench-'));
const host = await createHost();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => (x >= 100 ? Math.round(x) : x >= 1 ? Math.round(x * 100) / 100 : Math.round(x * 1000) / 1000);
const sizeOf = (p) => (statSync(p).isDirectory() ? readdirSync(p).reduce((a, e) => a + sizeOf(join(p, e)), 0) : statSync(p).size);
const dataBytes = (p) => readdirSync(p).filter((e) => e.startsWith('contig=')).reduce((a, e) => a + sizeOf(join(p, e)), 0);
const log = (m) => process.stderr.write(`[vcs bench] ${m}\n`);

/** Median wall ms of a shell command (hyperfine: one warm-up, `runs` runs); with `rss` one more run measures the peak RSS (KB). */
function timeShell(cmd, runs = RUNS, rss = false) {
  const ms = hyperfine(cmd.replace(/ > \/dev\/null$/, ''), { runs });
  let rssKB = 0;
  if (rss) rssKB = Number(spawnSync('/usr/bin/time', ['-f', '%M', 'bash', '-c', cmd]).stderr.toString().trim().split('\n').pop());
  return { ms, rssKB };
}

async function timeIn(f, runs = RUNS) {
  await f();
  const t = [];
  for (let i = 0; i < runs; i++) { const s = performance.now(); await f(); t.push(performance.now() - s); }
  return median(t);
}

/** Median over `runs` of the mean wall ms per call in batches of `batch` calls (sub-millisecond calls: one call is below the timer's and the JIT's noise). */
async function timeBatch(f, batch = 100, runs = RUNS) {
  for (let i = 0; i < batch; i++) await f();
  const t = [];
  for (let r = 0; r < runs; r++) { const s = performance.now(); for (let i = 0; i < batch; i++) await f(); t.push((performance.now() - s) / batch); }
  return median(t);
}

function sink() { let n = 0; return { name: 'null', async write(c) { n += c.length; }, async end() {}, bytes: () => n }; }
const query = (dir, request, format = request.outputFormat ?? 'vcf', store = new FsStore(dir)) => { const o = sink(); return runQuery({ host, store, request, output: o, format }).then(() => o.bytes()); };

/** Markers and regions: the large set's seeded lists (baselines.md); on other sets, picked from the file with a fixed step. */
function workload() {
  if (size === 'large') {
    return {
      markers: 'chr1:6281547 chr2:1158540 chr2:4034042 chr3:3388433 chr7:1482990 chr8:1541849 chr9:513760 chr13:1461557 chr15:1244294 chr18:910948'.split(' '),
      r100k: 'chr5:1265415-1365414 chr6:405056-505055 chr1:4495305-4595304 chr2:4888781-4988780 chr1:4256680-4356679 chr3:720978-820977 chr7:585990-685989 chr4:4622520-4722519 chr7:4743370-4843369 chr2:1872665-1972664'.split(' '),
      r1m: 'chr3:3148828-4148827 chr2:5912433-6912432 chr1:1147923-2147922 chr4:4247659-5247658 chr3:5384383-6384382 chr1:4088625-5088624 chr7:4152216-5152215 chr10:1688979-2688978 chr2:1964470-2964469 chr15:1118904-2118903'.split(' '),
    };
  }
  const body = execFileSync(BCFTOOLS, ['query', '-f', '%CHROM\t%POS\n', VCF], { maxBuffer: 1 << 30 }).toString().trim().split('\n').map((l) => l.split('\t'));
  const pick = (i) => body[(i * 7919 + 13) % body.length];
  return {
    markers: Array.from({ length: 10 }, (_, i) => pick(i).join(':')),
    r100k: Array.from({ length: 10 }, (_, i) => { const [c, p] = pick(i + 20); return `${c}:${p}-${Number(p) + 99_999}`; }),
    r1m: Array.from({ length: 5 }, (_, i) => { const [c, p] = pick(i + 40); return `${c}:${p}-${Number(p) + 999_999}`; }),
  };
}

const report = { date: new Date().toISOString(), size, data: dataDir, runs: RUNS };
const W = workload();

// ---- size and convert
log('convert (sample-major, marker-major) and bcftools view -Ob');
const ds = join(tmp, 'synth.vcs');
const mm = join(tmp, 'synth-mm.vcs');
const cliConvert = (out, extra = []) => {
  rmSync(out, { recursive: true, force: true });
  const s = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M %U %S', 'node', CLI, 'convert', VCF, out, ...extra], { maxBuffer: 1 << 26 });
  if (r.status) throw new Error(`convert: ${r.stderr}`);
  const [rss, u, sy] = r.stderr.toString().trim().split('\n').pop().split(' ').map(Number);
  return { ms: performance.now() - s, rssKB: rss, cpuS: u + sy };
};
const conv = cliConvert(ds);
const convMm = cliConvert(mm, ['-O', 'layout=marker-major']);
const bcfOut = join(tmp, 'out.bcf');
const bcfConv = timeShell(`${BCFTOOLS} view --no-version -Ob -o ${bcfOut} ${VCF}`, 1, true);
const vcfBytes = execFileSync('bash', ['-c', `bgzip -dc ${VCF} | wc -c`]).toString().trim();
report.size = { vcf: Number(vcfBytes), vcfgz: statSync(VCF).size, bcf: statSync(existsSync(BCF) ? BCF : bcfOut).size, vcsData: dataBytes(ds), vcsTotal: sizeOf(ds), markerMajorData: dataBytes(mm) };
report.convert = { vcsCli: conv, markerMajorCli: convMm, bcftoolsViewOb: bcfConv };

// ---- all samples at one marker
log('markers');
const handle = await VariantsHandle.open(new FsStore(mm), host);
const markerRows = [];
for (const m of W.markers) {
  const [c, p] = m.split(':');
  const reg = `${c}:${p}-${p}`;
  const request = { regions: [parseRegion(reg)], samples: ['all'], fields: ['FORMAT/DS'] };
  const cold = await timeIn(() => query(mm, request, 'tsv'));
  const warm = await timeBatch(async () => { const o = sink(); await handle.query(request, o, 'tsv'); }, 20);
  const typed = await timeBatch(() => handle.marker(c, Number(p), { keys: ['DS'] }));
  const metered = withMetrics(new FsStore(mm));
  await query(mm, request, 'tsv', metered);
  const data = metered.metrics.ranges.filter((r) => !r.key.startsWith('_'));
  const sampleMajor = await timeIn(() => query(ds, request, 'tsv'), 3);
  const cli = timeShell(`node ${CLI} query ${mm} ${reg} --samples all --fields FORMAT/DS -F tsv > /dev/null`, 3);
  const gz = timeShell(`${BCFTOOLS} view -r ${reg} ${VCF} -Ou | ${BCFTOOLS} query -f '[%DS\\t]\\n' > /dev/null`);
  const bcf = timeShell(`${BCFTOOLS} view -r ${reg} ${BCF} -Ou | ${BCFTOOLS} query -f '[%DS\\t]\\n' > /dev/null`);
  markerRows.push({ reg, cold, warm, typed, sampleMajor, cli: cli.ms, bcftoolsVcfGz: gz.ms, bcftoolsBcf: bcf.ms, dataRequests: data.length, dataBytes: data.reduce((a, r) => a + r.length, 0), manifestBytes: metered.metrics.bytesRead - data.reduce((a, r) => a + r.length, 0) });
}
const med = (rows, k) => ms(median(rows.map((r) => r[k])));
report.marker = { rows: markerRows, median: Object.fromEntries(['cold', 'warm', 'typed', 'sampleMajor', 'cli', 'bcftoolsVcfGz', 'bcftoolsBcf', 'dataRequests', 'dataBytes', 'manifestBytes'].map((k) => [k, med(markerRows, k)])) };

// ---- region queries, VCF out (all samples)
log('regions');
report.region = {};
for (const [label, regs] of [['100 kb', W.r100k], ['1 Mb', W.r1m]]) {
  const rows = [];
  for (const reg of regs) {
    const ours = await timeIn(() => query(ds, { regions: [parseRegion(reg)] }), 3);
    const gz = timeShell(`${BCFTOOLS} view -r ${reg} ${VCF} > /dev/null`, 3);
    const bcf = timeShell(`${BCFTOOLS} view -r ${reg} ${BCF} > /dev/null`, 3);
    rows.push({ reg, ours, bcftoolsVcfGz: gz.ms, bcftoolsBcf: bcf.ms });
  }
  const cli = timeShell(`node ${CLI} query ${ds} ${regs[0]} > /dev/null`, 3);
  report.region[label] = { rows, ours: med(rows, 'ours'), bcftoolsVcfGz: med(rows, 'bcftoolsVcfGz'), bcftoolsBcf: med(rows, 'bcftoolsBcf'), cliFirstRegion: ms(cli.ms) };
}

// ---- full-scan filter: QUAL > 30, two fields out
log('filter scan');
const fRuns = Math.min(RUNS, 3);
const filterOurs = await timeIn(() => query(ds, { where: 'QUAL > 30', fields: ['CHROM', 'POS'] }, 'tsv'), fRuns);
const filterCli = timeShell(`node ${CLI} query ${ds} --where 'QUAL > 30' -F tsv --fields CHROM,POS > /dev/null`, fRuns);
const viewGz = timeShell(`${BCFTOOLS} view -i 'QUAL>30' -Ou -o /dev/null ${VCF}`, fRuns);
const viewBcf = timeShell(`${BCFTOOLS} view -i 'QUAL>30' -Ou -o /dev/null ${BCF}`, fRuns);
const queryGz = timeShell(`${BCFTOOLS} query -i 'QUAL>30' -f '%CHROM\\t%POS\\n' ${VCF} > /dev/null`, fRuns);
const queryBcf = timeShell(`${BCFTOOLS} query -i 'QUAL>30' -f '%CHROM\\t%POS\\n' ${BCF} > /dev/null`, fRuns);
const metered = withMetrics(new FsStore(ds));
await query(ds, { where: 'QUAL > 30', fields: ['CHROM', 'POS'] }, 'tsv', metered);
report.filter = { oursInProcess: ms(filterOurs), oursCli: filterCli, bcftoolsViewVcfGz: viewGz, bcftoolsViewBcf: viewBcf, bcftoolsQueryVcfGz: queryGz, bcftoolsQueryBcf: queryBcf, bytesRead: metered.metrics.bytesRead, requests: metered.metrics.requests };

// ---- optional: a wide file (many samples), size and marker only
if (WIDE && existsSync(WIDE)) {
  log(`wide: ${WIDE}`);
  const wd = join(tmp, 'wide-mm.vcs');
  const c = cliConvert(wd, ['-O', 'layout=marker-major']);
  const first = execFileSync(BCFTOOLS, ['query', '-f', '%CHROM:%POS\n', WIDE], { maxBuffer: 1 << 30 }).toString().trim().split('\n');
  const h = await VariantsHandle.open(new FsStore(wd), host);
  const rows = [];
  for (let i = 0; i < 5; i++) {
    const [cc, p] = first[(i * 7919 + 13) % first.length].split(':');
    const typed = await timeBatch(() => h.marker(cc, Number(p), { keys: ['DS'] }), 20);
    const gz = timeShell(`${BCFTOOLS} view -r ${cc}:${p}-${p} ${WIDE} -Ou | ${BCFTOOLS} query -f '[%DS\\t]\\n' > /dev/null`);
    rows.push({ typed, bcftoolsVcfGz: gz.ms });
  }
  report.wide = { file: WIDE, vcfgz: statSync(WIDE).size, vcsWithMarkers: dataBytes(wd), convertMs: c.ms, typed: med(rows, 'typed'), bcftoolsVcfGz: med(rows, 'bcftoolsVcfGz') };
}

// ---- report
const x = (a, b) => `${(a / b).toFixed(2)}×`;
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const s = report.size, mk = report.marker.median, f = report.filter;
const lines = [
  `vcs on ${dataDir}/synth.vcf.gz (${size} set), ${report.date.slice(0, 10)}, medians of ${RUNS} runs after a warm-up (converts: one run).`,
  '',
  '| size | bytes | × VCF.gz | × BCF |', '|---|---:|---:|---:|',
  `| VCF (uncompressed) | ${s.vcf} | ${x(s.vcf, s.vcfgz)} | |`,
  `| VCF.gz | ${s.vcfgz} | 1.00× | ${x(s.vcfgz, s.bcf)} |`,
  `| BCF | ${s.bcf} | ${x(s.bcf, s.vcfgz)} | 1.00× |`,
  `| vcs data (sample-major) | ${s.vcsData} | ${x(s.vcsData, s.vcfgz)} | ${x(s.vcsData, s.bcf)} |`,
  `| vcs whole dataset (manifest, copies) | ${s.vcsTotal} | ${x(s.vcsTotal, s.vcfgz)} | |`,
  `| vcs data + marker-major copy | ${s.markerMajorData} | ${x(s.markerMajorData, s.vcfgz)} | |`,
  '',
  '| convert | wall | CPU | VCF MB/s (uncompressed) | peak RSS |', '|---|---:|---:|---:|---:|',
  `| \`genolake convert\` (CLI) | ${(conv.ms / 1000).toFixed(1)} s | ${conv.cpuS.toFixed(1)} s | ${(s.vcf / conv.ms / 1000).toFixed(1)} | ${mb(conv.rssKB * 1024)} |`,
  `| \`genolake convert -O layout=marker-major\` | ${(convMm.ms / 1000).toFixed(1)} s | ${convMm.cpuS.toFixed(1)} s | ${(s.vcf / convMm.ms / 1000).toFixed(1)} | ${mb(convMm.rssKB * 1024)} |`,
  `| \`bcftools view -Ob\` | ${(bcfConv.ms / 1000).toFixed(1)} s | | ${(s.vcf / bcfConv.ms / 1000).toFixed(1)} | ${mb(bcfConv.rssKB * 1024)} |`,
  '',
  `| all samples' DS at one marker (${W.markers.length} markers) | median ms | vs bcftools VCF.gz |`, '|---|---:|---:|',
  `| \`bcftools view -r \\| bcftools query\`, VCF.gz | ${mk.bcftoolsVcfGz} | 1× |`,
  `| same on BCF | ${mk.bcftoolsBcf} | ${(mk.bcftoolsVcfGz / mk.bcftoolsBcf).toFixed(1)}× |`,
  `| genolake CLI (a process per query, marker-major) | ${mk.cli} | ${(mk.bcftoolsVcfGz / mk.cli).toFixed(2)}× |`,
  `| in process, dataset opened per query (TSV out) | ${mk.cold} | ${(mk.bcftoolsVcfGz / mk.cold).toFixed(1)}× |`,
  `| in process, sample-major dataset (TSV out) | ${mk.sampleMajor} | ${(mk.bcftoolsVcfGz / mk.sampleMajor).toFixed(1)}× |`,
  `| \`VariantsHandle.query\`, open handle (TSV out) | ${mk.warm} | ${(mk.bcftoolsVcfGz / mk.warm).toFixed(0)}× |`,
  `| \`VariantsHandle.marker\`, open handle (values) | ${mk.typed} | ${(mk.bcftoolsVcfGz / mk.typed).toFixed(0)}× |`,
  '',
  `Marker reads (dataset opened per query): ${mk.dataRequests} data requests, ${mk.dataBytes} data bytes, ${mk.manifestBytes} bytes of manifest; an open handle reads 1 request (the block).`,
  '',
  '| region query, VCF out, all samples | genolake in process | bcftools VCF.gz | bcftools BCF | genolake CLI (first region) |', '|---|---:|---:|---:|---:|',
  ...Object.entries(report.region).map(([k, r]) => `| ${k} (${r.rows.length} regions, median) | ${r.ours} ms | ${r.bcftoolsVcfGz} ms | ${r.bcftoolsBcf} ms | ${r.cliFirstRegion} ms |`),
  '',
  '| full-scan filter `QUAL > 30`, CHROM and POS out | wall | genolake speed-up |', '|---|---:|---:|',
  `| genolake in process (\`--where 'QUAL > 30' -F tsv --fields CHROM,POS\`) | ${f.oursInProcess} ms | |`,
  `| genolake CLI, same | ${ms(f.oursCli.ms)} ms | |`,
  `| \`bcftools view -i 'QUAL>30' -Ou -o /dev/null\` VCF.gz | ${ms(f.bcftoolsViewVcfGz.ms)} ms | ${(f.bcftoolsViewVcfGz.ms / f.oursCli.ms).toFixed(1)}× (CLI) |`,
  `| same, BCF | ${ms(f.bcftoolsViewBcf.ms)} ms | ${(f.bcftoolsViewBcf.ms / f.oursCli.ms).toFixed(1)}× (CLI) |`,
  `| \`bcftools query -i 'QUAL>30' -f '%CHROM\\t%POS\\n'\` VCF.gz | ${ms(f.bcftoolsQueryVcfGz.ms)} ms | ${(f.bcftoolsQueryVcfGz.ms / f.oursCli.ms).toFixed(1)}× (CLI) |`,
  `| same, BCF | ${ms(f.bcftoolsQueryBcf.ms)} ms | ${(f.bcftoolsQueryBcf.ms / f.oursCli.ms).toFixed(1)}× (CLI) |`,
  '',
  `The filter scan read ${f.bytesRead} bytes in ${f.requests} requests (of ${s.vcsData} data bytes).`,
];
if (report.wide) lines.push('', `Wide (${report.wide.file}): VCF.gz ${report.wide.vcfgz} B, vcs + markers ${report.wide.vcsWithMarkers} B; marker values with an open handle ${report.wide.typed} ms vs bcftools ${report.wide.bcftoolsVcfGz} ms.`);
const md = lines.join('\n');
console.log(md);
process.stderr.write(`${JSON.stringify(report, null, 2)}\n`);
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${md}\n`);
if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
