// vcs benchmarks (compiled code: run `npm run build` first): size against VCF.gz and BCF, convert
// throughput against `bcftools view -Ob`, the all-samples-at-one-marker query against
// `bcftools view -r | bcftools query`, region queries against `bcftools view -r`, and a full-scan
// filter against `bcftools view -i` / `bcftools query -i`. Prints a JSON report and a Markdown table.
//
//   node bench/vcs.mjs [--small /work/bench-data/small/synth.vcf.gz] [--wide /work/bench-data/vcs/wide.vcf.gz] [--runs 5]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, FsStore, parseRegion, withMetrics } from '@genolake/core';
import { fileSource } from '@genolake/bgzf-tabix';
import { convertVariants, driver } from '@genolake/vcs';

const arg = (name, dflt) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : dflt; };
const SMALL = arg('small', '/work/bench-data/small/synth.vcf.gz');
const WIDE = arg('wide', '/work/bench-data/vcs/wide.vcf.gz');
const RUNS = Number(arg('runs', '5'));
const BCFTOOLS = '/usr/bin/bcftools';
const tmp = mkdtempSync(join(tmpdir(), 'vcs-bench-'));
const host = await createHost();
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => Math.round(x * 10) / 10;
const sizeOf = (p) => (statSync(p).isDirectory() ? readdirSync(p).reduce((a, e) => a + sizeOf(join(p, e)), 0) : statSync(p).size);
const dataBytes = (p) => readdirSync(p).filter((e) => e.startsWith('contig=')).reduce((a, e) => a + sizeOf(join(p, e)), 0);

function timeShell(cmd, runs = RUNS) {
  spawnSync('bash', ['-c', cmd]);
  const t = [];
  for (let i = 0; i < runs; i++) { const s = process.hrtime.bigint(); const r = spawnSync('bash', ['-c', cmd], { maxBuffer: 1 << 30 }); if (r.status) throw new Error(`${cmd}: ${r.stderr}`); t.push(Number(process.hrtime.bigint() - s) / 1e6); }
  return median(t);
}

async function timeIn(f, runs = RUNS) {
  await f();
  const t = [];
  for (let i = 0; i < runs; i++) { const s = performance.now(); await f(); t.push(performance.now() - s); }
  return median(t);
}

function sink() { let n = 0; return { name: 'null', async write(c) { n += c.length; }, async end() {}, bytes: () => n }; }

async function convert(vcf, name, options = {}) {
  const out = join(tmp, name);
  rmSync(out, { recursive: true, force: true });
  const s = performance.now();
  const r = await convertVariants({ host, input: fileSource(vcf), store: new FsStore(out), options, log: () => {} });
  return { dir: out, ms: performance.now() - s, result: r };
}

const query = (dir, request) => { const o = sink(); return driver.query({ host, store: new FsStore(dir), request, output: o, log: () => {} }).then(() => o.bytes()); };
const report = { data: {}, convert: {}, marker: {}, region: {}, filter: {} };

// sizes and convert throughput
for (const [label, vcf] of [['synth (100 samples x 10,000 sites)', SMALL], ['wide (10,000 samples x 2,000 sites)', WIDE]]) {
  if (!existsSync(vcf)) continue;
  const bcf = join(tmp, `${label.split(' ')[0]}.bcf`);
  const bcfMs = timeShell(`${BCFTOOLS} view -Ob -o ${bcf} ${vcf}`, 3);
  const c = await convert(vcf, `${label.split(' ')[0]}.vcs`);
  const m = await convert(vcf, `${label.split(' ')[0]}-mm.vcs`, { layout: 'marker-major' });
  report.data[label] = { vcfgz: statSync(vcf).size, bcf: statSync(bcf).size, vcs: dataBytes(c.dir), vcsWithMarkers: dataBytes(m.dir), vcsTotal: sizeOf(c.dir) };
  report.convert[label] = { records: c.result.records, vcsMs: ms(c.ms), vcsMarkerMajorMs: ms(m.ms), bcftoolsViewObMs: ms(bcfMs) };
}

// all samples at one marker (wide): markers objects vs bcftools
if (existsSync(WIDE)) {
  const dir = join(tmp, 'wide-mm.vcs');
  const body = execFileSync(BCFTOOLS, ['view', '-H', WIDE], { maxBuffer: 1 << 30 }).toString().split('\n').filter(Boolean);
  const picks = Array.from({ length: 10 }, (_, i) => body[Math.floor(((i * 7919 + 13) % body.length))].split('\t').slice(0, 2));
  const per = [];
  for (const [c, p] of picks) {
    const reg = `${c}:${p}-${p}`;
    const request = { regions: [parseRegion(reg)], samples: ['all'], fields: ['FORMAT/DS'], outputFormat: 'tsv' };
    const ours = await timeIn(() => query(dir, request));
    const metered = withMetrics(new FsStore(dir));
    await driver.query({ host, store: metered, request, output: sink(), log: () => {} });
    const dataRanges = metered.metrics.ranges.filter((r) => !r.key.startsWith('_'));
    const samplesMajor = withMetrics(new FsStore(join(tmp, 'wide.vcs')));
    const t = performance.now();
    await driver.query({ host, store: samplesMajor, request, output: sink(), log: () => {} });
    const sampleMajorMs = performance.now() - t;
    const script = join(tmp, 'one.mjs');
    writeFileSync(script, `import { createHost, FsStore, parseRegion, withMetrics } from '@genolake/core'; import { driver } from '@genolake/vcs';
const host = await createHost(); let n = 0;
await driver.query({ host, store: new FsStore(${JSON.stringify(dir)}), request: { regions: [parseRegion(${JSON.stringify(reg)})], samples: ['all'], fields: ['FORMAT/DS'], outputFormat: 'tsv' }, output: { name: 'o', async write(b) { n += b.length; }, async end() {} }, log: () => {} });
process.stdout.write(String(n));\n`);
    const process1 = timeShell(`cd ${join(import.meta.dirname, '..')} && node ${script}`);
    const bcft = timeShell(`${BCFTOOLS} view -r ${reg} ${WIDE} -Ou | ${BCFTOOLS} query -f '[%DS\\t]\\n' > /dev/null`);
    per.push({ reg, oursInProcessMs: ms(ours), oursProcessMs: ms(process1), bcftoolsMs: ms(bcft), bytesRead: metered.metrics.bytesRead, dataRequests: dataRanges.length, dataBytes: dataRanges.reduce((a, r) => a + r.length, 0), sampleMajor: { ms: ms(sampleMajorMs), bytesRead: samplesMajor.metrics.bytesRead, requests: samplesMajor.metrics.requests } });
  }
  report.marker = { markers: per, medianSampleMajorMs: median(per.map((x) => x.sampleMajor.ms)), medianInProcessMs: median(per.map((x) => x.oursInProcessMs)), medianProcessMs: median(per.map((x) => x.oursProcessMs)), medianBcftoolsMs: median(per.map((x) => x.bcftoolsMs)) };
}

// region queries (synth): VCF output of 10 x 100 kb vs bcftools view -r; full-scan filters
if (existsSync(SMALL)) {
  const dir = join(tmp, 'synth.vcs');
  const body = execFileSync(BCFTOOLS, ['view', '-H', SMALL], { maxBuffer: 1 << 30 }).toString().split('\n').filter(Boolean);
  const regs = Array.from({ length: 10 }, (_, i) => { const [c, p] = body[(i * 997 + 5) % body.length].split('\t'); return `${c}:${p}-${Number(p) + 100_000}`; });
  const ours = await timeIn(async () => { for (const r of regs) await query(dir, { regions: [parseRegion(r)] }); });
  const theirs = timeShell(regs.map((r) => `${BCFTOOLS} view -r ${r} ${SMALL} > /dev/null`).join('; '));
  report.region = { regions: regs.length, oursInProcessMsTotal: ms(ours), bcftoolsMsTotal: ms(theirs) };
  const vcf = await timeIn(() => query(dir, { where: 'QUAL > 30' }), 3);
  const vcfB = timeShell(`${BCFTOOLS} view -i 'QUAL>30' ${SMALL} > /dev/null`, 3);
  const two = await timeIn(() => query(dir, { where: 'QUAL > 30 && INFO/DP > 3000', fields: ['CHROM', 'POS'], outputFormat: 'tsv' }));
  const twoB = timeShell(`${BCFTOOLS} query -i 'QUAL>30 && INFO/DP>3000' -f '%CHROM\\t%POS\\n' ${SMALL} > /dev/null`);
  report.filter = { vcfQual30: { oursMs: ms(vcf), bcftoolsViewMs: ms(vcfB) }, tsvTwoFields: { oursMs: ms(two), bcftoolsQueryMs: ms(twoB) } };
}

console.log(JSON.stringify(report, null, 2));
rmSync(tmp, { recursive: true, force: true });
