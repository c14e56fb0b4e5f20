/**
 * Per-verb options and their pure argv builders (go-runc's `XxxOpts.args()`).
 * Each returns the verb's argv WITHOUT the binary and global flags; `buildCommand` adds those.
 */
import { absolutePath, containerId, signalNumber } from './validate';

/** `runc run`, foreground or detached: the per-process monitor spawns it, not the Runc class. */
export interface RunOptions {
  bundle: string;
  pidFile: string;
  noPivot?: boolean;
  noNewKeyring?: boolean;
  consoleSocket?: string;
  /** Keep the container's state after it exits (default: runc deletes it). */
  keep?: boolean;
  detach?: boolean;
}

/** `runc exec --process FILE`: cwd, env, user and terminal live in the process.json (see process-spec.ts). */
export interface ExecOptions {
  processJsonPath: string;
  pidFile: string;
  consoleSocket?: string;
  detach?: boolean;
}

/** `runc restore`, foreground or detached, like run. */
export interface RestoreOptions {
  imagePath: string;
  /** Where CRIU writes restore.log; runc uses imagePath when unset. */
  workPath?: string;
  pidFile: string;
  bundle: string;
  tcpEstablished?: boolean;
  extUnixSk?: boolean;
  shellJob?: boolean;
  fileLocks?: boolean;
  noPivot?: boolean;
  consoleSocket?: string;
  detach?: boolean;
}

export interface CheckpointOptions {
  imagePath: string;
  /** Where CRIU writes dump.log; runc uses imagePath when unset. */
  workPath?: string;
  leaveRunning?: boolean;
  tcpEstablished?: boolean;
  extUnixSk?: boolean;
  shellJob?: boolean;
  fileLocks?: boolean;
}

export interface KillOptions {
  /** Signal every process in the container, not just init. */
  all?: boolean;
}

export interface DeleteOptions {
  /** SIGKILL the container first if it is still running. */
  force?: boolean;
}

function flag(argv: string[], on: boolean | undefined, name: string): void {
  if (on) argv.push(name);
}

function pathFlag(argv: string[], name: string, what: string, value: string | undefined): void {
  if (value !== undefined) argv.push(name, absolutePath(what, value));
}

export function runArgs(id: string, opts: RunOptions): string[] {
  const argv = ['run'];
  pathFlag(argv, '--bundle', 'bundle', opts.bundle);
  pathFlag(argv, '--pid-file', 'pidFile', opts.pidFile);
  pathFlag(argv, '--console-socket', 'consoleSocket', opts.consoleSocket);
  flag(argv, opts.noPivot, '--no-pivot');
  flag(argv, opts.noNewKeyring, '--no-new-keyring');
  flag(argv, opts.keep, '--keep');
  flag(argv, opts.detach, '--detach');
  argv.push(containerId(id));
  return argv;
}

export function execArgs(id: string, opts: ExecOptions): string[] {
  const argv = ['exec'];
  pathFlag(argv, '--process', 'processJsonPath', opts.processJsonPath);
  pathFlag(argv, '--pid-file', 'pidFile', opts.pidFile);
  pathFlag(argv, '--console-socket', 'consoleSocket', opts.consoleSocket);
  flag(argv, opts.detach, '--detach');
  argv.push(containerId(id));
  return argv;
}

function criuFlags(argv: string[], opts: RestoreOptions | CheckpointOptions): void {
  pathFlag(argv, '--image-path', 'imagePath', opts.imagePath);
  pathFlag(argv, '--work-path', 'workPath', opts.workPath);
  flag(argv, opts.tcpEstablished, '--tcp-established');
  flag(argv, opts.extUnixSk, '--ext-unix-sk');
  flag(argv, opts.shellJob, '--shell-job');
  flag(argv, opts.fileLocks, '--file-locks');
}

export function restoreArgs(id: string, opts: RestoreOptions): string[] {
  const argv = ['restore'];
  criuFlags(argv, opts);
  pathFlag(argv, '--bundle', 'bundle', opts.bundle);
  pathFlag(argv, '--pid-file', 'pidFile', opts.pidFile);
  pathFlag(argv, '--console-socket', 'consoleSocket', opts.consoleSocket);
  flag(argv, opts.noPivot, '--no-pivot');
  flag(argv, opts.detach, '--detach');
  argv.push(containerId(id));
  return argv;
}

export function checkpointArgs(id: string, opts: CheckpointOptions): string[] {
  const argv = ['checkpoint'];
  criuFlags(argv, opts);
  flag(argv, opts.leaveRunning, '--leave-running');
  argv.push(containerId(id));
  return argv;
}

export function killArgs(id: string, signal: number, opts: KillOptions = {}): string[] {
  const argv = ['kill'];
  flag(argv, opts.all, '--all');
  argv.push(containerId(id), signalNumber(signal));
  return argv;
}

export function deleteArgs(id: string, opts: DeleteOptions = {}): string[] {
  const argv = ['delete'];
  flag(argv, opts.force, '--force');
  argv.push(containerId(id));
  return argv;
}

export const pauseArgs = (id: string): string[] => ['pause', containerId(id)];
export const resumeArgs = (id: string): string[] => ['resume', containerId(id)];
export const stateArgs = (id: string): string[] => ['state', containerId(id)];
export const psArgs = (id: string): string[] => ['ps', '--format', 'json', containerId(id)];
export const listArgs = (): string[] => ['list', '--format', 'json'];
/** runc has no `version` verb; the global flag prints it. */
export const versionArgs = (): string[] => ['--version'];
