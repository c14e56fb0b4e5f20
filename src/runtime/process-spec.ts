/** The OCI process object given to `runc exec --process FILE` (cwd, env, user, terminal live here). */
import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { invalidArgument } from '../errors';

export interface OciUser {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

/** The subset of an OCI runtime-spec `process` legacyd writes. Fields left out (capabilities,
 * rlimits, noNewPrivileges, apparmor) are inherited by runc exec from the container's config. */
export interface OciProcess {
  terminal: boolean;
  user: OciUser;
  args: string[];
  env: string[];
  cwd: string;
}

export interface ProcessSpecInput {
  args: string[];
  terminal?: boolean;
  user?: OciUser;
  /** Empty or unset: the base's env. */
  env?: string[];
  /** Empty or unset: the base's cwd, else "/". */
  cwd?: string;
}

/** Defaults taken from the container's own config.json `process`. */
export interface ProcessSpecBase {
  env?: string[];
  cwd?: string;
  user?: OciUser;
}

export const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function id32(what: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw invalidArgument(`${what} must be an integer 0..4294967295, got ${n}`);
  return n;
}

/**
 * Renders the process object. runc exec does not add PATH, so one is added when env lacks it
 * (else `sh` is "executable file not found in $PATH"); cwd must be absolute (runc refuses others).
 */
export function renderProcessSpec(input: ProcessSpecInput, base: ProcessSpecBase = {}): OciProcess {
  if (!Array.isArray(input.args) || input.args.length === 0 || input.args[0] === '') {
    throw invalidArgument('process args must name a program');
  }
  const env = [...(input.env && input.env.length > 0 ? input.env : (base.env ?? []))];
  if (!env.some((e) => e.startsWith('PATH='))) env.push(DEFAULT_PATH);
  for (const e of env) {
    if (!e.includes('=') || e.startsWith('=')) throw invalidArgument(`env entry ${JSON.stringify(e)} is not NAME=value`);
  }
  const cwd = input.cwd || base.cwd || '/';
  if (!cwd.startsWith('/')) throw invalidArgument(`cwd must be an absolute path, got ${JSON.stringify(cwd)}`);
  const u = input.user ?? base.user ?? { uid: 0, gid: 0 };
  const user: OciUser = { uid: id32('uid', u.uid), gid: id32('gid', u.gid) };
  if (u.additionalGids && u.additionalGids.length > 0) user.additionalGids = u.additionalGids.map((g) => id32('additional gid', g));
  return { terminal: input.terminal ?? false, user, args: [...input.args], env, cwd };
}

/** Writes the process.json atomically (tmp + rename), readable by root only. */
export async function writeProcessSpec(path: string, spec: OciProcess): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, JSON.stringify(spec), { mode: 0o600 });
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}
