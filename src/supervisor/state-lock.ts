import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { failedPrecondition, internal, writeFailure } from '../errors';
import { makeDirs } from '../make-dirs';

/** Held while a daemon owns its state dir; released by `release()` or by the process's end. */
export interface StateDirLock {
  release(): Promise<void>;
}

/** A secret kept in the state dir, readable by its owner only, that the lock's name is made from. */
export const LOCK_KEY_FILE = '.lock-key';

/**
 * Makes `stateDir` this process's alone, before anything in it is read or written: two daemons on
 * one state dir would each re-adopt, clean and delete the same containers. The lock is a unix
 * socket in Linux's abstract namespace: binding it is exclusive, and the kernel lets go of it when
 * the process ends, even by kill -9 (no stale file). Its name comes from the dir's real path and
 * a key only the dir's owner can read, so no other user can take the name first and keep the
 * daemon from starting. A second daemon asks the holder for its pid to say who has it. Across
 * network namespaces, where abstract names differ, a fifo in the state dir does the same (holdFifo).
 */
export async function lockStateDir(stateDir: string, pid = process.pid): Promise<StateDirLock> {
  makeDirs(stateDir, 0o711, 'the state dir');
  const key = lockKey(stateDir);
  const name = `\0legacyd-state-dir:${createHash('sha256').update(`${fs.realpathSync(stateDir)}\n${key}`).digest('hex')}`;
  const server = net.createServer((sock) => sock.end(`${pid}\n`));
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(name, () => resolve());
    });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw internal(`cannot lock the state dir ${stateDir}: ${(e as Error).message}`, e);
    const holder = await holderOf(name);
    throw failedPrecondition(`state dir ${stateDir} is in use by another legacyd${holder ? ` (pid ${holder})` : ''}`);
  }
  server.unref();
  let holding: number;
  try {
    holding = holdFifo(stateDir, pid);
  } catch (e) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    throw e;
  }
  return {
    release: () =>
      new Promise<void>((resolve) => {
        fs.closeSync(holding);
        server.close(() => resolve());
      }),
  };
}

/** A fifo in the state dir whose read end the owner keeps open, and the owner's pid beside it. */
export const LOCK_FIFO = '.lock-fifo';
const LOCK_PID = '.lock-pid';

/**
 * The same lock seen from another network namespace (a daemon in a container with the state dir
 * mounted), where the abstract socket's name is another's: a fifo in the state dir that its owner
 * holds open for reading. A non-blocking open for writing succeeds only while a reader has it.
 * (Two daemons starting at the same instant in two namespaces could both pass; one started while
 * the other runs cannot.) Returns the read end, kept open until release.
 */
function holdFifo(stateDir: string, pid: number): number {
  const fifo = path.join(stateDir, LOCK_FIFO);
  if (!fs.existsSync(fifo)) {
    const made = spawnSync('mkfifo', ['-m', '0600', fifo], { encoding: 'utf8' });
    if (made.status !== 0 && !fs.existsSync(fifo)) throw internal(`cannot make ${fifo}: ${(made.stderr || made.error?.message || '').trim()}`);
  }
  try {
    fs.closeSync(fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
    let holder = '';
    try {
      holder = fs.readFileSync(path.join(stateDir, LOCK_PID), 'utf8').trim();
    } catch {
      // not written yet
    }
    throw failedPrecondition(`state dir ${stateDir} is in use by another legacyd${/^\d+$/.test(holder) ? ` (pid ${holder}, in another network namespace)` : ' (in another network namespace)'}`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
  }
  const fd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  fs.writeFileSync(path.join(stateDir, LOCK_PID), `${pid}\n`);
  return fd;
}

/** The state dir's lock key, made (mode 0600, whole or not at all) by the first daemon there. */
function lockKey(stateDir: string): string {
  const file = path.join(stateDir, LOCK_KEY_FILE);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw internal(`cannot read ${file}: ${(e as Error).message}`, e);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    // link, not rename: of two daemons making it at once, the second keeps the first's.
    fs.linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw writeFailure(`cannot make ${file}: ${(e as Error).message}`, e);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** The pid the holder of the lock answers with, if it answers within a second. */
function holderOf(name: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const sock = net.connect(name);
    const done = (): void => {
      sock.destroy();
      resolve(/^\d+$/.test(text.trim()) ? text.trim() : undefined);
    };
    sock.setTimeout(1_000, done);
    sock.on('data', (d: Buffer) => (text += d.toString()));
    sock.on('end', done);
    sock.on('error', done);
  });
}
