/** The global flags and the ONE place a runc argv is assembled. */
import { invalidArgument } from '../errors';
import { absolutePath } from './validate';

export type LogFormat = 'text' | 'json';

/** runc's global flags; they go BEFORE the verb. */
export interface RuncGlobalOptions {
  /** Binary name (looked up in PATH) or path; default 'runc'. */
  binary?: string;
  /** --root: runc's state root. legacyd passes its own so daemons and tests do not share one. */
  root?: string;
  /** --log: runc's log file (default: stderr). */
  log?: string;
  logFormat?: LogFormat;
  /** --criu: the CRIU binary for checkpoint/restore. */
  criu?: string;
  systemdCgroup?: boolean;
}

/** A command ready for execFile/spawn: never a shell string. */
export interface RuncCommand {
  file: string;
  args: string[];
}

export const DEFAULT_BINARY = 'runc';

export function globalArgs(g: RuncGlobalOptions): string[] {
  const argv: string[] = [];
  if (g.root !== undefined) argv.push('--root', absolutePath('root', g.root));
  if (g.log !== undefined) argv.push('--log', absolutePath('log', g.log));
  if (g.logFormat !== undefined) {
    if (g.logFormat !== 'text' && g.logFormat !== 'json') throw invalidArgument(`logFormat must be 'text' or 'json', got ${JSON.stringify(g.logFormat)}`);
    argv.push('--log-format', g.logFormat);
  }
  if (g.criu !== undefined && g.criu !== '') {
    if (g.criu.startsWith('-')) throw invalidArgument(`criu must be a binary name or path, got ${JSON.stringify(g.criu)}`);
    argv.push('--criu', g.criu);
  }
  if (g.systemdCgroup) argv.push('--systemd-cgroup');
  return argv;
}

export function buildCommand(g: RuncGlobalOptions, verbArgs: readonly string[]): RuncCommand {
  return { file: g.binary || DEFAULT_BINARY, args: [...globalArgs(g), ...verbArgs] };
}
