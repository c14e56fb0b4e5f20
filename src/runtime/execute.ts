/** Runs one runc command to completion (argv only, no shell), with an optional timeout. */
import { open } from 'node:fs/promises';
import type { RuncCommand } from './command';
import { nodeLauncher, type CommandLauncher } from './launcher';
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

const LOG_TAIL = 64 * 1024;

export async function execute(cmd: RuncCommand, opts: ExecuteOptions, launcher: CommandLauncher = nodeLauncher): Promise<RuncOutput> {
  const argv = [cmd.file, ...cmd.args];
  const id = opts.id ?? null;
  let r;
  try {
    r = await launcher.launch(cmd.file, cmd.args, opts.timeoutMs);
  } catch (e) {
    const cause = e as Error;
    throw new RuncError({ argv, verb: opts.verb, id, exitCode: null, signal: null, stderr: '', detail: cause.message, cause });
  }
  const base = { argv, verb: opts.verb, id, exitCode: r.code, signal: r.signal, stderr: r.stderr };
  if (r.timedOut) throw new RuncError({ ...base, timedOut: true, timeoutMs: opts.timeoutMs! });
  if (r.code === 0) return { stdout: r.stdout, stderr: r.stderr };
  if (r.stderr.trim() === '' && opts.logFile) throw new RuncError({ ...base, detail: lastLoggedError(await readLogTail(opts.logFile)) });
  throw new RuncError(base);
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
