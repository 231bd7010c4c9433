#!/usr/bin/env node
/*
 * A GCS JSON API server for tests: the firebase-tools Storage emulator (pinned at 15.34.2 as
 * a root devDependency, because this reaches into its internal modules), started in-process
 * on 127.0.0.1:$PORT, with a thin front layer that fills the gaps our tests depend on:
 *
 *  - preconditions: the emulator ignores ifGenerationMatch / ifGenerationNotMatch. The front
 *    checks them and answers 412 like GCS. Writes to one object are serialised (a per-object
 *    queue held until the emulator has answered), so check-then-write is atomic and two
 *    racing creates cannot both win. With GCS_SHIM_PRECONDITIONS=0 the front does not add
 *    them (to test how a client copes with an endpoint that ignores them).
 *  - bucket creation (POST /storage/v1/b) and the copy/rewrite route prefix.
 *
 * This is test scaffolding, not evidence of GCS behaviour. The rules runtime is stubbed out:
 * it would need Java 21 and a jar download, neither available here. Known emulator gaps:
 * chunked resumable uploads (several PUTs per session) fail; bodies are held in memory
 * (keep them under ~130 MB). Run with HOME and TMPDIR pointing at a scratch directory.
 */
'use strict';
const http = require('node:http');
const path = require('node:path');
const { StorageEmulator } = require('firebase-tools/lib/emulator/storage');
const { StorageRulesRuntime } = require('firebase-tools/lib/emulator/storage/rules/runtime');
const { createApp } = require('firebase-tools/lib/emulator/storage/server');
const { EmulatorRegistry } = require('firebase-tools/lib/emulator/registry');

StorageRulesRuntime.prototype.start = async () => {};
StorageRulesRuntime.prototype.stop = async () => {};

const PORT = Number(process.env.PORT || 9199);
const PROJECT = process.env.GCS_PROJECT || 'demo-test';
const PRECONDITIONS = process.env.GCS_SHIM_PRECONDITIONS !== '0';

const emulator = new StorageEmulator({
  projectId: PROJECT,
  host: '127.0.0.1',
  port: PORT,
  auto_download: false,
  rules: { name: path.join(__dirname, 'gcs-emulator.storage.rules'), content: '' },
});
const storage = emulator.adminStorageLayer;
EmulatorRegistry.set('storage', emulator); // object selfLinks are built from the registry

/** upload_id of a resumable session -> the object and query it was started with. */
const sessions = new Map();
/** `bucket/name` -> tail of the queue of writes to that object. */
const queues = new Map();

function currentGeneration(bucket, name) {
  const meta = storage.getMetadata(bucket, name);
  return meta ? String(meta.generation) : '0';
}

function preconditionFails(bucket, name, query) {
  if (!PRECONDITIONS) return false;
  const gen = currentGeneration(bucket, name);
  if (query.has('ifGenerationMatch') && query.get('ifGenerationMatch') !== gen) return true;
  if (query.has('ifGenerationNotMatch') && query.get('ifGenerationNotMatch') === gen) return true;
  return false;
}

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function reject412(res) {
  json(res, 412, {
    error: { code: 412, message: 'At least one of the pre-conditions you specified did not hold.', errors: [{ reason: 'conditionNotMet', domain: 'global' }] },
  });
}

/** Runs `work(done)` after earlier writes to the same object have been answered. */
function serialised(key, res, work) {
  const prev = queues.get(key) || Promise.resolve();
  const next = prev.then(
    () =>
      new Promise((resolve) => {
        res.once('close', resolve);
        work();
      }),
  );
  queues.set(key, next);
  next.then(() => {
    if (queues.get(key) === next) queues.delete(key);
  });
}

function createBucket(req, res) {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', async () => {
    let name;
    try {
      name = JSON.parse(body || '{}').name;
    } catch {
      return json(res, 400, { error: { code: 400, message: 'bad JSON' } });
    }
    if (!name) return json(res, 400, { error: { code: 400, message: 'bucket name required' } });
    if ((await storage.listBuckets()).some((b) => b.name === name)) {
      return json(res, 409, { error: { code: 409, message: 'You already own this bucket. Please select another name.' } });
    }
    storage.createBucket(name);
    json(res, 200, { kind: 'storage#bucket', id: name, name });
  });
}

createApp(PROJECT, emulator).then((app) => {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const q = url.searchParams;
    if (req.method === 'POST' && url.pathname === '/storage/v1/b') return createBucket(req, res);

    const upload = url.pathname.match(/^\/upload\/storage\/v1\/b\/([^/]+)\/o$/);
    if (upload) {
      const bucket = decodeURIComponent(upload[1]);
      if (req.method === 'POST' && q.get('name')) {
        const name = q.get('name');
        if (q.get('uploadType') === 'resumable') {
          // Remember the session's object and conditions; checked again when it completes.
          const setHeader = res.setHeader.bind(res);
          res.setHeader = (k, v) => {
            if (String(k).toLowerCase() === 'location') sessions.set(new URL(String(v)).searchParams.get('upload_id'), { bucket, name, q });
            return setHeader(k, v);
          };
          if (preconditionFails(bucket, name, q)) return reject412(res);
          return app(req, res);
        }
        return serialised(`${bucket}/${name}`, res, () => (preconditionFails(bucket, name, q) ? reject412(res) : app(req, res)));
      }
      const session = req.method === 'PUT' && sessions.get(q.get('upload_id'));
      if (session) {
        return serialised(`${session.bucket}/${session.name}`, res, () => (preconditionFails(session.bucket, session.name, session.q) ? reject412(res) : app(req, res)));
      }
    }

    const object = url.pathname.match(/^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/);
    if (req.method === 'DELETE' && object) {
      const [bucket, name] = [decodeURIComponent(object[1]), decodeURIComponent(object[2])];
      return serialised(`${bucket}/${name}`, res, () => (preconditionFails(bucket, name, q) ? reject412(res) : app(req, res)));
    }
    // The emulator mounts copy/rewrite without the /storage/v1 prefix.
    if (req.method === 'POST' && /^\/storage\/v1\/b\/[^/]+\/o\/.+\/(rewriteTo|copyTo)\/b\//.test(url.pathname)) {
      req.url = req.url.slice('/storage/v1'.length);
    }
    app(req, res);
  });
  server.listen(PORT, '127.0.0.1', () => console.log(`gcs emulator listening on http://127.0.0.1:${PORT}`));
});

function shutdown() {
  Promise.resolve(emulator._persistence && emulator._persistence.deleteAll()).finally(() => process.exit(0));
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
