import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink, link } from 'node:fs/promises';
import { hostname } from 'node:os';
import { TransientError, throwIfAborted } from '../errors.js';
import { errnoCode, mapFsError } from './fs-errors.js';

/**
 * A per-key lock file created with O_EXCL ('wx'), so that an ifMatch put (stat, compare,
 * rename) is atomic against writers in other processes. The lock is held for a stat and a
 * rename only (microseconds), so a lock older than `staleMs` belongs to a dead or stuck
 * writer and may be broken; a lock whose owner is a dead process on this host is broken at
 * once. Residual risk: a writer paused for longer than `staleMs` while holding the lock.
 */
export interface LockOptions {
  /** Age after which a lock is considered abandoned. */
  staleMs: number;
  /** How long to wait for a busy lock before a TransientError. */
  timeoutMs: number;
  signal?: AbortSignal;
}

const HOST = hostname();

export async function acquireLock(lockPath: string, what: string, options: LockOptions): Promise<() => Promise<void>> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = 1;
  for (;;) {
    throwIfAborted(options.signal, `lock for ${what}`);
    try {
      const fh = await open(lockPath, 'wx');
      let ino: bigint;
      try {
        await fh.writeFile(`${HOST}:${process.pid}\n`);
        ino = (await fh.stat({ bigint: true })).ino;
      } finally {
        await fh.close();
      }
      return () => releaseLock(lockPath, ino);
    } catch (e) {
      if (errnoCode(e) !== 'EEXIST') throw mapFsError(e, lockPath, 'lock');
    }
    if (await breakIfStale(lockPath, options.staleMs)) continue;
    if (Date.now() > deadline) throw new TransientError(`timed out waiting for lock ${lockPath} (writing ${what})`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 50);
  }
}

async function releaseLock(lockPath: string, ino: bigint): Promise<void> {
  // Only remove the lock if it is still ours (it may have been broken as stale and re-taken).
  try {
    const st = await stat(lockPath, { bigint: true });
    if (st.ino === ino) await unlink(lockPath);
  } catch (e) {
    if (errnoCode(e) !== 'ENOENT') throw mapFsError(e, lockPath, 'unlock');
  }
}

/** Breaks a lock whose owner is dead or which is older than staleMs; true if broken. */
async function breakIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  let st;
  try {
    st = await stat(lockPath, { bigint: true });
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return true; // released meanwhile: retry at once
    throw mapFsError(e, lockPath, 'inspect lock');
  }
  const ageMs = Date.now() - Number(st.mtimeMs);
  if (ageMs < staleMs && !(await ownerIsDead(lockPath))) return false;
  // Move it aside rather than unlink, then check we moved the lock we judged stale; if a
  // fresh lock took its place meanwhile, put that one back.
  const aside = `${lockPath}.${randomBytes(6).toString('hex')}.stale`;
  try {
    await rename(lockPath, aside);
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return true;
    throw mapFsError(e, lockPath, 'break stale lock');
  }
  try {
    const moved = await stat(aside, { bigint: true });
    if (moved.ino !== st.ino) await link(aside, lockPath).catch(() => undefined);
  } finally {
    await unlink(aside).catch(() => undefined);
  }
  return true;
}

async function ownerIsDead(lockPath: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch {
    return false;
  }
  const m = /^(.*):(\d+)\n$/.exec(text);
  if (!m || m[1] !== HOST) return false;
  try {
    process.kill(Number(m[2]), 0);
    return false;
  } catch (e) {
    return errnoCode(e) === 'ESRCH';
  }
}
