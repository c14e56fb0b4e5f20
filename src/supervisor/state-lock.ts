import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { failedPrecondition, internal } from '../errors';

/** Held while a daemon owns its state dir; released by `release()` or by the process's end. */
export interface StateDirLock {
  release(): Promise<void>;
}

/**
 * Makes `stateDir` this process's alone, before anything in it is read or written: two daemons on
 * one state dir would each re-adopt, clean and delete the same containers. The lock is a unix
 * socket in Linux's abstract namespace named after the dir's real path: binding it is exclusive,
 * and the kernel lets go of it when the process ends, even by kill -9 (no stale file). A second
 * daemon asks the holder for its pid to say who has it.
 */
export async function lockStateDir(stateDir: string, pid = process.pid): Promise<StateDirLock> {
  fs.mkdirSync(stateDir, { recursive: true, mode: 0o711 });
  const name = `\0legacyd-state-dir:${createHash('sha256').update(fs.realpathSync(stateDir)).digest('hex')}`;
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
  return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
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
