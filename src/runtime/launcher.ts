/** What runs one runc command to completion for the wrapper: Node's spawn by default, or a helper process. */
import { spawn } from 'node:child_process';

export interface LaunchResult {
  /** Exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** At most MAX_STDERR bytes of it. */
  stderr: string;
  /** Killed (with its process group) because `timeoutMs` passed. */
  timedOut: boolean;
}

/**
 * Runs `file` with `args` exactly (no shell), stdin on /dev/null, in its own process group so a
 * timeout also kills what it started (criu, a hung child). Resolves once it has exited; rejects
 * only when it could not be run or its outcome is unknowable (the error says why).
 */
export interface CommandLauncher {
  launch(file: string, args: readonly string[], timeoutMs: number | undefined): Promise<LaunchResult>;
}

export const MAX_STDERR = 64 * 1024;

/** Node's child_process.spawn: a fork of the whole calling process, on its event loop. */
export const nodeLauncher: CommandLauncher = {
  launch(file, args, timeoutMs) {
    return new Promise<LaunchResult>((resolve, reject) => {
      const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let errBytes = 0;
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => {
        if (errBytes < MAX_STDERR) err.push(b);
        errBytes += b.length;
      });
      if (timeoutMs !== undefined && timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          killGroup(child.pid, () => child.kill('SIGKILL'));
        }, timeoutMs);
      }
      child.on('error', (cause) => {
        if (timer) clearTimeout(timer);
        reject(cause);
      });
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer);
        resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8').slice(0, MAX_STDERR), timedOut });
      });
    });
  },
};

/** SIGKILL to the process group `pid` leads (its own: the helper's setpgid, or a detached spawn); `fallback` if there is none. */
export function killGroup(pid: number | undefined, fallback: () => void = () => undefined): void {
  try {
    if (pid === undefined) throw new Error('no pid');
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}
