// Storage-backend benchmark (issue 6): upload and download MB/s of SIZE MiB against Ceph radosgw
// on loopback, genolake's S3 store vs one plain single-stream @aws-sdk/client-s3 call of the same
// bytes; then requests and bytes per region query over file://, HTTP, S3 (radosgw), Azure
// (Azurite) and GCS (the firebase emulator), counted by genolake (--stats) and on the wire.
// Usage: node tools/bench/stores.mjs [SIZE_MB=1024]   (after `npm run build`)
// env: RUNS=2 (timed runs per transfer, best reported), BENCH_DATA (a dir with sample.bam for the
// paf queries; default ../bench-data/small, skipped when absent), SKIP_EMULATORS=1, BENCH_OUT,
// KEEP=1. Prints a Markdown report on stdout, progress on stderr. Every server is stopped by pid.
import { spawnSync, spawn } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CreateBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHost } from '@genolake/core';
import { openS3Store } from '@genolake/store-s3';
import azureStore from '@genolake/store-azure';
import gcsStore from '@genolake/store-gcs';
import { root } from './data.mjs';
import { AZURITE_ACCOUNT, AZURITE_KEY, cephInstalled, startAzurite, startCeph, startCountingProxy, startGcsEmulator, startRangeServer } from './stores-servers.mjs';

const SIZE_MB = Number(process.argv[2] ?? process.env.SIZE_MB ?? 1024);
const SIZE = SIZE_MB * 2 ** 20;
const RUNS = Number(process.env.RUNS ?? 2);
const CLI = resolve(root, 'packages/cli/bin/genolake.js');
const OP = resolve(root, 'tools/bench/stores-op.mjs');
const BUCKET = 'bench';
const MiB = 2 ** 20;
const DEFAULT_PARTS = `16 MiB parts, ${Math.min(8, Math.max(4, availableParallelism()))} in flight`; // as store-s3's config.ts
const log = (m) => process.stderr.write(`[stores bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const tmp = mkdtempSync(join(tmpdir(), 'stores-bench-'));
const stops = [];

const mbs = (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
const mib = (b) => (b >= MiB ? `${(b / MiB).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const reqs = (m) => Object.entries(m).sort().map(([k, v]) => `${v} ${k}`).join(' + ') || '0';

/** SIZE bytes of incompressible data (like compressed chunk streams), written once. */
function makeData(file) {
  const fd = openSync(file, 'w');
  const block = Buffer.allocUnsafe(16 * MiB);
  for (let done = 0; done < SIZE; ) {
    const n = Math.min(block.length, SIZE - done);
    randomFillSync(block, 0, n);
    done += writeSync(fd, block, 0, n);
  }
  closeSync(fd);
}

function runOp(op, cfg) {
  const r = spawnSync(process.execPath, [OP, op, JSON.stringify(cfg)], { cwd: root, maxBuffer: 1 << 20, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${op} failed (exit ${r.status}): ${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function emptyBucketPrefix(client, prefix) {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    const keys = (page.Contents ?? []).map((o) => ({ Key: o.Key }));
    if (!keys.length) return;
    await client.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: keys, Quiet: true } }));
  }
}

async function transfers(ceph, file, report) {
  const client = new S3Client({ endpoint: ceph.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey } });
  const base = { endpoint: ceph.endpoint, bucket: BUCKET, accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey, file, size: SIZE };
  const puts = [
    ['plain SDK `PutObject`, Body = Buffer (one request)', 'put-plain-buffer', { key: 'up/plain-buffer' }],
    ['plain SDK `PutObject`, Body = the same Buffer as a one-element stream (one request)', 'put-plain-buffer-unsigned', { key: 'up/plain-buffer-unsigned' }],
    ['plain SDK `PutObject`, Body = file stream + ContentLength (one request)', 'put-plain-stream', { key: 'up/plain-stream' }],
    [`genolake \`store.put(stream)\`: multipart, defaults (${DEFAULT_PARTS}), UNSIGNED-PAYLOAD`, 'put-genolake', { key: 'up/genolake' }],
    ['genolake `store.put(stream)`: multipart, 32 MiB parts, 4 in flight, UNSIGNED-PAYLOAD', 'put-genolake', { key: 'up/genolake-32x4', partSize: 32 * MiB, partConcurrency: 4 }],
    ['genolake `store.put(stream)`: multipart, 8 MiB parts, 3 in flight, SHA-256 payloads (the defaults before)', 'put-genolake', { key: 'up/genolake-8x3-signed', partSize: 8 * MiB, partConcurrency: 3, signPayload: true }],
    ['genolake `Transaction`: 64 MiB chunks (`putChunk`: sha256 + If-None-Match PutObject), 3 in flight, + commit', 'put-txn', { prefix: 'txn', chunkBytes: 64 * MiB, inFlight: 3 }],
  ];
  const gets = [
    ['plain SDK `GetObject`, body streamed (one request)', 'get-plain-stream', { key: 'get/data' }],
    ['plain SDK `GetObject`, `transformToByteArray` (one request)', 'get-plain-buffer', { key: 'get/data' }],
    ['plain SDK ranged `GetObject`s: 16 MiB ranges, 8 in flight, each body collected', 'get-plain-ranges', { key: 'get/data', rangeBytes: 16 * MiB, inFlight: 8 }],
    ['genolake `store.get(key)` whole object (one request, one buffer)', 'get-genolake-whole', { key: 'get/data' }],
    ['genolake `objectSource().stream()`: 8 MiB ranged gets, 1 read-ahead', 'get-genolake-stream', { key: 'get/data' }],
    ['genolake `objectSource({ blockSize: 32 MiB }).stream()`: 32 MiB ranged gets, 1 read-ahead', 'get-genolake-stream', { key: 'get/data', blockSize: 32 * MiB }],
    ['genolake query path on the Transaction dataset: `planReads` (coalesced, ≤ 16 MiB requests) + `fetchPlan` (8 in flight)', 'get-genolake-plan', { prefix: 'txn' }],
  ];
  const results = new Map();
  const record = (label, r) => {
    const list = results.get(label) ?? [];
    list.push(r);
    results.set(label, list);
  };
  // A warm-up of each kind (first requests to a fresh radosgw are slow), not recorded.
  log('warm-up puts and the download source');
  runOp('put-plain-stream', { ...base, key: 'get/data' });
  runOp('put-genolake', { ...base, key: 'up/warm' });
  await emptyBucketPrefix(client, 'up/');
  await ceph.gc();
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order between runs so drift in machine load does not favour one side.
    for (const [label, op, extra] of run % 2 ? [...puts].reverse() : puts) {
      if (op === 'put-txn') await emptyBucketPrefix(client, 'txn/'), await ceph.gc();
      log(`run ${run + 1}/${RUNS}: ${op} ${extra.key ?? extra.prefix}`);
      record(label, runOp(op, { ...base, ...extra }));
      if (op !== 'put-txn') await emptyBucketPrefix(client, extra.key), await ceph.gc();
    }
  }
  for (let run = 0; run < RUNS; run++) {
    for (const [label, op, extra] of run % 2 ? [...gets].reverse() : gets) {
      log(`run ${run + 1}/${RUNS}: ${op}`);
      record(label, runOp(op, { ...base, ...extra }));
    }
  }
  const table = (title, rows, ref) => {
    report.push('', `| ${title} | MB/s best (all runs) | vs first row | client CPU s | peak RSS | HTTP requests |`, '|---|---:|---:|---:|---:|---|');
    const best = (label) => Math.max(...results.get(label).map((r) => r.bytes / r.ms));
    for (const [label] of rows) {
      const rs = results.get(label);
      const b = best(label);
      const all = rs.map((r) => mbs(r.bytes, r.ms)).join(' / ');
      const last = rs.at(-1);
      const signed = Object.keys(last.payload ?? {}).length ? `; PUT payload: ${Object.entries(last.payload).map(([k, v]) => `${v} ${k === 'sha256' ? 'SHA-256' : k}`).join(', ')}` : '';
      const cpu = (Math.min(...rs.map((r) => r.cpuMs)) / 1000).toFixed(1);
      report.push(`| ${label} | **${(b / 1e3).toFixed(0)}** (${all}) | ${(b / best(ref)).toFixed(2)} | ${cpu} | ${mib(Math.max(...rs.map((r) => r.rssKiB)) * 1024)} | ${reqs(last.requests)}${last.planRequests ? ` (plan: ${last.planRequests} ranged gets)` : ''}${signed} |`);
    }
  };
  table(`upload ${SIZE_MB} MiB`, puts, puts[0][0]);
  table(`download ${SIZE_MB} MiB`, gets, gets[0][0]);
  client.destroy();
}

/** Runs the CLI; returns wall ms and the `--stats` line's numbers when printed. */
function cli(args, env) {
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], { cwd: tmp, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('exit', (code) => {
      const wall = performance.now() - t0;
      if (code !== 0) return reject(new Error(`genolake ${args.join(' ')} failed (${code}): ${err.slice(-2000)}`));
      const m = /stats: (\d+) requests, (\d+) bytes read/.exec(err);
      resolveRun({ wall, stats: m ? { requests: Number(m[1]), bytes: Number(m[2]) } : undefined });
    });
  });
}

async function copyDataset(host, from, to) {
  let n = 0, bytes = 0;
  for await (const o of from.list('')) {
    const b = await from.get(o.key);
    await to.put(o.key, b);
    (n += 1), (bytes += b.byteLength);
  }
  return { objects: n, bytes };
}

async function regionQueries(ceph, report) {
  const host = await createHost();
  const local = join(tmp, 'local');
  mkdirSync(local);
  const datasets = [];
  log('converting examples/data/genes.bed');
  await cli(['convert', resolve(root, 'examples/data/genes.bed'), join(local, 'genes.gl')], {});
  datasets.push({ name: 'genes.gl', what: '`examples/data/genes.bed` (bed-intervals, 3,000 intervals)', queries: [
    ['1 Mb, all fields', ['query', '{ds}', 'chr17:7000001-8000000', '--stats', '-o', '/dev/null']],
    ['1 Mb, `--fields name`', ['query', '{ds}', 'chr17:7000001-8000000', '--fields', 'name', '--stats', '-o', '/dev/null']],
  ] });
  const dataDir = [process.env.BENCH_DATA, resolve(root, '../bench-data/small'), '/tmp/bench-small'].find((d) => d && existsSync(join(d, 'sample.bam')));
  if (dataDir) {
    log(`bam-to-paf ${dataDir}/sample.bam`);
    await cli(['bam-to-paf', join(dataDir, 'sample.bam'), join(local, 'sample.paf')], {});
    datasets.push({ name: 'sample.paf', what: `paf of \`${dataDir}/sample.bam\``, queries: [
      ['100 kb, SAM records', ['query', '{ds}', 'chr1:200001-300000', '--stats', '-o', '/dev/null']],
      ['1 Mb, SAM records', ['query', '{ds}', 'chr1:100001-1100000', '--stats', '-o', '/dev/null']],
      ['100 kb, `paf-query -c` (count)', ['paf-query', '-c', '{ds}', 'chr1:200001-300000', '-o', '/dev/null']],
    ] });
  } else log('no sample.bam found (BENCH_DATA, ../bench-data/small, /tmp/bench-small): paf queries skipped');

  // Backends: each behind a counting proxy; the datasets are copied object by object (same bytes).
  const backends = [{ name: 'file://', url: (d) => join(local, d), env: {} }];
  const httpSrv = await startRangeServer(local);
  stops.push(() => httpSrv.close());
  const httpProxy = await startCountingProxy(httpSrv.port);
  stops.push(() => httpProxy.close());
  backends.push({ name: 'HTTP (store-http, Range server)', url: (d) => `http://127.0.0.1:${httpProxy.port}/${d}`, env: {}, proxy: httpProxy });

  const s3Proxy = await startCountingProxy(ceph.port);
  stops.push(() => s3Proxy.close());
  const s3Env = { AWS_ACCESS_KEY_ID: ceph.accessKeyId, AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey, AWS_REGION: 'us-east-1' };
  backends.push({
    name: 'S3 (radosgw)', url: (d) => `s3+http://127.0.0.1:${s3Proxy.port}/${BUCKET}/q/${d}`, env: s3Env, proxy: s3Proxy,
    open: (d) => openS3Store(new URL(`s3+http://127.0.0.1:${ceph.port}/${BUCKET}/q/${d}`), { credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey } }),
  });

  if (!process.env.SKIP_EMULATORS) {
    try {
      log('starting Azurite');
      const az = await startAzurite();
      stops.push(() => az.stop());
      const { ContainerClient, StorageSharedKeyCredential } = await import('@azure/storage-blob');
      await new ContainerClient(`http://127.0.0.1:${az.port}/${AZURITE_ACCOUNT}/${BUCKET}`, new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY)).create();
      const azProxy = await startCountingProxy(az.port);
      stops.push(() => azProxy.close());
      const conn = (port) => `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`;
      const azHost = await createHost();
      await azHost.use(azureStore({ env: { AZURE_STORAGE_CONNECTION_STRING: conn(az.port) } }));
      backends.push({
        name: 'Azure (Azurite)', url: (d) => `azure+http://127.0.0.1:${azProxy.port}/${AZURITE_ACCOUNT}/${BUCKET}/${d}`, env: { AZURE_STORAGE_CONNECTION_STRING: conn(azProxy.port) }, proxy: azProxy,
        open: (d) => azHost.openStore(`az://${AZURITE_ACCOUNT}/${BUCKET}/${d}`),
      });
    } catch (e) {
      log(`Azurite skipped: ${e.message}`);
    }
    try {
      log('starting the GCS emulator');
      const gcs = await startGcsEmulator();
      stops.push(() => gcs.stop());
      await gcs.createBucket(BUCKET);
      const gcsProxy = await startCountingProxy(gcs.port);
      stops.push(() => gcsProxy.close());
      const gcsHost = await createHost();
      await gcsHost.use(gcsStore({ env: { STORAGE_EMULATOR_HOST: gcs.host, GOOGLE_CLOUD_PROJECT: gcs.projectId } }));
      backends.push({
        name: 'GCS (emulator)', url: (d) => `gs://${BUCKET}/${d}`, env: { STORAGE_EMULATOR_HOST: `http://127.0.0.1:${gcsProxy.port}`, GOOGLE_CLOUD_PROJECT: gcs.projectId }, proxy: gcsProxy,
        open: (d) => gcsHost.openStore(`gs://${BUCKET}/${d}`),
      });
    } catch (e) {
      log(`GCS emulator skipped: ${e.message}`);
    }
  }

  const sizes = {};
  for (const d of datasets) {
    const from = await host.openStore(join(local, d.name));
    for (const b of backends.filter((x) => x.open)) {
      log(`copying ${d.name} to ${b.name}`);
      const to = await b.open(d.name);
      sizes[d.name] = await copyDataset(host, from, to);
      await to.close?.();
    }
    if (!sizes[d.name]) sizes[d.name] = await copyDataset(host, from, { put: async () => undefined });
  }

  report.push('', `| dataset | query | ${backends.map((b) => b.name).join(' | ')} |`, `|---|---|${backends.map(() => '---:').join('|')}|`);
  const walls = [];
  for (const d of datasets) {
    for (const [label, args] of d.queries) {
      const cells = [];
      for (const b of backends) {
        const a = args.map((x) => (x === '{ds}' ? b.url(d.name) : x));
        await cli(a, b.env); // warm-up (page cache, first request to the server)
        b.proxy?.take();
        const first = await cli(a, b.env);
        const wire = b.proxy?.take();
        const w = [first.wall];
        for (let i = 0; i < 2; i++) w.push((await cli(a, b.env)).wall);
        walls.push({ backend: b.name, query: `${d.name} ${label}`, wall: median(w) });
        const stats = first.stats ? `${first.stats.requests} req, ${mib(first.stats.bytes)}` : '–';
        cells.push(wire ? `${stats} · wire ${wire.requests} (${reqs(wire.methods)}), ${mib(wire.bytes)}` : stats);
        log(`${d.name} ${label} on ${b.name}: ${cells.at(-1)}${wire?.writes.length ? `; writes: ${wire.writes.join(', ')}` : ''}`);
      }
      report.push(`| ${d.name} (${mib(sizes[d.name].bytes)}, ${sizes[d.name].objects} objects) | ${label} | ${cells.join(' | ')} |`);
    }
  }
  report.push('', `CLI wall time per query (median of 3 after a warm-up, Node start-up included): ${backends.map((b) => `${b.name} ${(median(walls.filter((w) => w.backend === b.name).map((w) => w.wall)) / 1000).toFixed(2)} s`).join(', ')} (median over the queries).`);
  return datasets;
}

async function main() {
  if (!cephInstalled()) throw new Error('radosgw is not installed (Debian ceph-mon ceph-osd radosgw ceph-common)');
  const report = [];
  const t0 = performance.now();
  const file = join(tmp, 'data.bin');
  log(`writing ${SIZE_MB} MiB of random bytes`);
  makeData(file);
  log('starting radosgw (test/servers/ceph-up.sh)');
  const ceph = await startCeph();
  stops.push(() => ceph.stop());
  log(`radosgw on ${ceph.endpoint}, pids ${ceph.pids().join(' ')}`);
  const client = new S3Client({ endpoint: ceph.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  client.destroy();
  const radosgw = spawnSync('/usr/bin/radosgw', ['--version'], { encoding: 'utf8' }).stdout.trim().split(' ').slice(0, 3).join(' ');
  report.push(`### Storage backends, ${SIZE_MB} MiB (${new Date().toISOString().slice(0, 10)})`, '');
  report.push(`Machine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${radosgw} (one memstore OSD, beast frontend) on 127.0.0.1, @aws-sdk/client-s3 ${JSON.parse(readFileSync(resolve(root, 'node_modules/@aws-sdk/client-s3/package.json'), 'utf8')).version}; @aws-sdk/lib-storage is not installed, so there is no \`Upload\` row. Load average at start ${loadavg()[0].toFixed(1)}. Data: ${SIZE_MB} MiB of random bytes. Each transfer runs in its own Node process (peak RSS = that process's maxRSS, about 65 MiB of it is Node with the SDK loaded; client CPU = that process's user + system CPU time, lowest of the runs, about 0.4 s of it start-up); MB/s = 10^6 bytes/s over the call, best of ${RUNS} (all runs in brackets, order alternated between runs); HTTP requests counted with node's \`http.client.response.finish\` diagnostics channel; \"PUT payload\" is the requests' \`x-amz-content-sha256\`: a SHA-256 of the body computed by the SDK (and checked by radosgw) or \`UNSIGNED-PAYLOAD\`.`);
  await transfers(ceph, file, report);
  rmSync(file, { force: true });
  report.push('', 'Requests and bytes per region query, through the CLI (cold process: manifest and index reads included). Each cell: what genolake asked its store for (`--stats`: requests, bytes) · what a counting proxy in front of the server saw (HTTP requests by method, response body bytes). The same dataset objects on every backend (copied object by object).');
  try {
    await regionQueries(ceph, report);
  } catch (e) {
    // Keep the transfer numbers (minutes of work) when a query step fails.
    report.push('', `Region queries failed: ${e.message.split('\n')[0]}`);
    process.exitCode = 1;
  }
  report.push('', `Rerun: \`npm run build && node tools/bench/stores.mjs ${SIZE_MB}\` (or \`npm run bench -w @genolake/store-s3\`); whole run ${((performance.now() - t0) / 60000).toFixed(1)} min.`);
  const text = `${report.join('\n')}\n`;
  process.stdout.write(text);
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, text);
}

try {
  await main();
} finally {
  for (const stop of stops.reverse()) await stop().catch((e) => log(`stop failed: ${e.message}`));
  if (!process.env.KEEP) rmSync(tmp, { recursive: true, force: true });
}
