import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { DAEMON_BIN } from './paths';
import { removeDir, tempDir } from './tmp';
import { cleanupRunc, removeCgroupParent } from './runc';

export { cleanupRunc } from './runc';

export interface DaemonOptions {
  /** Reuse a state dir (restart scenarios); otherwise a fresh temp dir is made and later removed. */
  stateDir?: string;
  /** Appended to the standard flags (a later flag of the same name wins in commander). */
  extraArgs?: string[];
  /** Merged over process.env. */
  env?: NodeJS.ProcessEnv;
  /** Bound on waiting for the `ready` line. */
  readyTimeoutMs?: number;
}

export interface DaemonHandle {
  /** gRPC target, unix:///abs/path. */
  address: string;
  stateDir: string;
  socketPath: string;
  /** `<state-dir>/runc`: `runc --root` for this daemon's containers. */
  runcRoot: string;
  /** `/legacyd-test-...`: this daemon's cgroup parent, so parallel daemons never collide. */
  cgroupParent: string;
  proc: ChildProcess;
  /** Everything the daemon wrote to stderr so far. */
  stderr(): string;
  /** True once the process has exited. */
  exited(): boolean;
  /** Signal it and wait (bounded) for it to exit; resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Wait (bounded) for an exit caused elsewhere; rejects with the stderr tail on timeout. */
  waitExit(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL and wait for it to be gone (its containers and their monitors live on). */
  kill9(): Promise<void>;
  /** A new daemon on the same state dir, cgroup parent and socket (stops this one first if still up). */
  restart(opts?: Pick<DaemonOptions, 'extraArgs' | 'env'>): Promise<DaemonHandle>;
  /** afterAll: stop the daemon, kill every container under its runc root, remove its cgroups and temp dirs. */
  destroy(): Promise<void>;
}

interface Layout {
  stateDir: string;
  ownsStateDir: boolean;
  socketDir: string;
  socketPath: string;
  cgroupParent: string;
}

const STOP_TIMEOUT_MS = 15_000;
const LOG_CAP = 4 * 1024 * 1024;
const live = new Set<ChildProcess>();

// A crashed worker must not leave daemons behind (their containers are cleaned by the next cleanupRunc).
process.once('exit', () => {
  for (const proc of live) proc.kill('SIGKILL');
});

let counter = 0;

async function makeLayout(opts: DaemonOptions): Promise<Layout> {
  const tag = `${process.pid}-${++counter}-${crypto.randomBytes(3).toString('hex')}`;
  const stateDir = opts.stateDir ?? (await tempDir('legacyd-state'));
  // Unix socket paths are limited to 107 bytes: keep the socket directly under /tmp.
  const socketDir = await tempDir('lgd', '/tmp');
  const socketPath = path.join(socketDir, 'api.sock');
  if (Buffer.byteLength(socketPath) > 100) throw new Error(`socket path too long: ${socketPath}`);
  return { stateDir, ownsStateDir: !opts.stateDir, socketDir, socketPath, cgroupParent: `/legacyd-test-${tag}` };
}

function daemonArgs(layout: Layout, extraArgs: string[]): string[] {
  return [
    DAEMON_BIN,
    '--listen', `unix://${layout.socketPath}`,
    '--state-dir', layout.stateDir,
    '--metrics-listen', '',
    '--runtime', 'runc',
    '--log-level', 'debug',
    '--stats-interval', '1s',
    '--cgroup-parent', layout.cgroupParent,
    ...extraArgs,
  ];
}

function spawnDaemon(layout: Layout, opts: DaemonOptions): Promise<DaemonHandle> {
  const proc = spawn(process.execPath, daemonArgs(layout, opts.extraArgs ?? []), {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let errText = '';
  let outText = '';
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    proc.once('exit', (code) => {
      live.delete(proc);
      exitCode = code;
      resolve(code);
    });
  });

  const handle: DaemonHandle = {
    address: `unix://${layout.socketPath}`,
    stateDir: layout.stateDir,
    socketPath: layout.socketPath,
    runcRoot: path.join(layout.stateDir, 'runc'),
    cgroupParent: layout.cgroupParent,
    proc,
    stderr: () => errText,
    exited: () => exitCode !== undefined,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (exitCode !== undefined) return exitCode;
      proc.kill(signal);
      return handle.waitExit();
    },
    async waitExit(timeoutMs = STOP_TIMEOUT_MS) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const result = await Promise.race([exited, timedOut]).finally(() => clearTimeout(timer));
      if (result === 'timeout') {
        proc.kill('SIGKILL');
        await exited;
        throw new Error(`daemon did not exit within ${timeoutMs} ms (killed it); stderr tail:\n${tail(errText)}`);
      }
      return result;
    },
    async kill9() {
      if (exitCode !== undefined) return;
      proc.kill('SIGKILL');
      await exited;
    },
    async restart(again = {}) {
      if (exitCode === undefined) await handle.stop();
      return spawnDaemon(layout, { ...opts, ...again });
    },
    async destroy() {
      await handle.stop().catch(() => undefined);
      await cleanupRunc(handle.runcRoot);
      removeCgroupParent(layout.cgroupParent);
      if (layout.ownsStateDir) await removeDir(layout.stateDir);
      await removeDir(layout.socketDir);
    },
  };

  const readyTimeoutMs = opts.readyTimeoutMs ?? 20_000;
  return new Promise<DaemonHandle>((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(handle);
    };
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      settle(new Error(`daemon not ready within ${readyTimeoutMs} ms; stderr:\n${tail(errText)}\nstdout:\n${tail(outText)}`));
    }, readyTimeoutMs);
    const watch = (stream: NodeJS.ReadableStream, append: (s: string) => void) => {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        append(chunk);
        if (settled) return;
        partial += chunk;
        const lines = partial.split('\n');
        partial = lines.pop()!;
        if (lines.some((line) => /\bready\b/i.test(line))) settle();
      });
    };
    watch(proc.stderr!, (s) => (errText = cap(errText + s)));
    watch(proc.stdout!, (s) => (outText = cap(outText + s)));
    proc.once('error', (err) => settle(new Error(`cannot spawn the daemon (${DAEMON_BIN}): ${err.message}`)));
    // 'exit' can come before the last stderr bytes: wait for the pipes to close (bounded: a
    // child of the daemon may hold them open).
    const closed = new Promise<void>((r) => proc.once('close', () => r()));
    void exited.then(async (code) => {
      await Promise.race([closed, new Promise((r) => setTimeout(r, 500))]);
      settle(new Error(`daemon exited (code ${code}) before it was ready; stderr:\n${tail(errText)}\nstdout:\n${tail(outText)}`));
    });
  });
}

function cap(text: string): string {
  return text.length > LOG_CAP ? text.slice(text.length - LOG_CAP) : text;
}

/** The last lines of a log, for failure messages. */
export function tail(text: string, lines = 60): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * A daemon on a fresh state dir, socket and cgroup parent, once it has logged `ready`.
 * Rejects (with its stderr) if it exits first or is not ready within the bound.
 */
export async function startDaemon(opts: DaemonOptions = {}): Promise<DaemonHandle> {
  const layout = await makeLayout(opts);
  fs.mkdirSync(layout.stateDir, { recursive: true });
  return spawnDaemon(layout, opts);
}
