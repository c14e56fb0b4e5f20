/** Runs one runc command to completion (argv only, no shell), with an optional timeout. */
import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import type { RuncCommand } from './command';
import { lastLoggedError, RuncError } from './runc-error';

export interface ExecuteOptions {
  /** Names the call in errors: "runc <verb> <id> failed ...". */
  verb: string;
  id?: string;
  /** Kill runc (and anything it started) after this long; no limit when unset or 0. */
  timeoutMs?: number;
  /** runc's --log file: read for the reason when runc exits non-zero with an empty stderr. */
  logFile?: string;
}

export interface RuncOutput {
  stdout: string;
  stderr: string;
}

const MAX_STDERR = 64 * 1024;
const LOG_TAIL = 64 * 1024;

export function execute(cmd: RuncCommand, opts: ExecuteOptions): Promise<RuncOutput> {
  const argv = [cmd.file, ...cmd.args];
  return new Promise<RuncOutput>((resolve, reject) => {
    // Own process group, so a timeout also kills what runc started (criu, a hung child).
    const child = spawn(cmd.file, cmd.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let errBytes = 0;
    let settled = false;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;

    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      if (errBytes < MAX_STDERR) err.push(b);
      errBytes += b.length;
    });

    const fail = (e: RuncError) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      reject(e);
    };

    if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid, () => child.kill('SIGKILL'));
      }, opts.timeoutMs);
    }

    child.on('error', (cause) => {
      fail(new RuncError({ argv, verb: opts.verb, id: opts.id ?? null, exitCode: null, signal: null, stderr: '', detail: cause.message, cause }));
    });

    child.on('close', (code, signal) => {
      if (settled) return;
      if (timer) clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      const base = { argv, verb: opts.verb, id: opts.id ?? null, exitCode: code, signal, stderr };
      if (timedOut) {
        fail(new RuncError({ ...base, timedOut: true, timeoutMs: opts.timeoutMs! }));
        return;
      }
      if (code === 0) {
        settled = true;
        resolve({ stdout, stderr });
        return;
      }
      if (stderr.trim() === '' && opts.logFile) {
        void readLogTail(opts.logFile).then((log) => fail(new RuncError({ ...base, detail: lastLoggedError(log) })));
        return;
      }
      fail(new RuncError(base));
    });
  });
}

function killGroup(pid: number | undefined, fallback: () => void): void {
  try {
    if (pid === undefined) throw new Error('no pid');
    process.kill(-pid, 'SIGKILL');
  } catch {
    fallback();
  }
}

/** The end of runc's log file; '' if it cannot be read (the error then says only the exit status). */
async function readLogTail(path: string): Promise<string> {
  try {
    const fh = await open(path, 'r');
    try {
      const { size } = await fh.stat();
      const len = Math.min(size, LOG_TAIL);
      const buf = Buffer.alloc(len);
      await fh.read(buf, 0, len, size - len);
      return buf.toString('utf8');
    } finally {
      await fh.close();
    }
  } catch {
    return '';
  }
}
