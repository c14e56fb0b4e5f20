/** The runc wrapper: global options held once, one method per verb (go-runc's `Runc`). */
import { buildCommand, type LogFormat, type RuncCommand, type RuncGlobalOptions } from './command';
import { execute, type RuncOutput } from './execute';
import type { CommandLauncher } from './launcher';
import {
  checkpointArgs,
  deleteArgs,
  execArgs,
  killArgs,
  listArgs,
  pauseArgs,
  psArgs,
  restoreArgs,
  resumeArgs,
  runArgs,
  stateArgs,
  versionArgs,
  type CheckpointOptions,
  type DeleteOptions,
  type ExecOptions,
  type KillOptions,
  type RestoreOptions,
  type RunOptions,
} from './options';
import { parseList, parsePs, parseState, parseVersion, type ContainerStateJson, type RuncVersion } from './output';

/** Observes every executed call (for a latency metric); the runtime knows no metrics library. */
export type RuncCallObserver = (verb: string, seconds: number, ok: boolean) => void;

export interface RuncOptions extends RuncGlobalOptions {
  onCall?: RuncCallObserver;
  /** Default timeout for executed verbs; none when unset. */
  timeoutMs?: number;
  /** What runs the executed verbs; Node's spawn when unset. */
  launcher?: CommandLauncher;
}

/** Per-call overrides. */
export interface CallOptions {
  timeoutMs?: number;
}

export class Runc {
  readonly binary: string;
  readonly root: string | undefined;
  readonly log: string | undefined;
  readonly logFormat: LogFormat | undefined;
  readonly criu: string | undefined;
  readonly systemdCgroup: boolean;
  private readonly onCall: RuncCallObserver | undefined;
  private readonly timeoutMs: number | undefined;
  private readonly launcher: CommandLauncher | undefined;

  constructor(opts: RuncOptions = {}) {
    this.binary = opts.binary || 'runc';
    this.root = opts.root;
    this.log = opts.log;
    this.logFormat = opts.logFormat;
    this.criu = opts.criu;
    this.systemdCgroup = opts.systemdCgroup ?? false;
    this.onCall = opts.onCall;
    this.timeoutMs = opts.timeoutMs;
    this.launcher = opts.launcher;
    buildCommand(this.globals(), []); // reject bad global options now, not on the first call
  }

  /** A copy with some options replaced, e.g. a per-process `--log` file for a monitor's `runc run`. */
  with(overrides: Partial<RuncOptions>): Runc {
    const cur: RuncOptions = { ...this.globals() };
    if (this.onCall !== undefined) cur.onCall = this.onCall;
    if (this.timeoutMs !== undefined) cur.timeoutMs = this.timeoutMs;
    if (this.launcher !== undefined) cur.launcher = this.launcher;
    return new Runc({ ...cur, ...overrides });
  }

  globals(): RuncGlobalOptions {
    const g: RuncGlobalOptions = { binary: this.binary, systemdCgroup: this.systemdCgroup };
    if (this.root !== undefined) g.root = this.root;
    if (this.log !== undefined) g.log = this.log;
    if (this.logFormat !== undefined) g.logFormat = this.logFormat;
    if (this.criu !== undefined) g.criu = this.criu;
    return g;
  }

  /** binary + global flags + verb argv. */
  command(verbArgs: readonly string[]): RuncCommand {
    return buildCommand(this.globals(), verbArgs);
  }

  /** `runc run` (foreground, or detached with `detach`) for the per-process monitor to spawn. */
  runCommand(id: string, opts: RunOptions): RuncCommand {
    return this.command(runArgs(id, opts));
  }

  /** `runc exec --process` (foreground, or detached) for the monitor to spawn. */
  execCommand(id: string, opts: ExecOptions): RuncCommand {
    return this.command(execArgs(id, opts));
  }

  /** `runc restore` (foreground, or detached) for the monitor to spawn. */
  restoreCommand(id: string, opts: RestoreOptions): RuncCommand {
    return this.command(restoreArgs(id, opts));
  }

  /** Runs any verb to completion; rejects with RuncError. Reports to onCall. */
  async execute(verbArgs: readonly string[], ctx: CallOptions & { verb?: string; id?: string } = {}): Promise<RuncOutput> {
    const verb = ctx.verb ?? verbOf(verbArgs);
    return this.timed(verb, () => this.exec(verbArgs, verb, ctx.id, ctx));
  }

  kill(id: string, signal: number, opts: KillOptions = {}, call: CallOptions = {}): Promise<void> {
    return this.simple('kill', id, killArgs(id, signal, opts), call);
  }

  pause(id: string, call: CallOptions = {}): Promise<void> {
    return this.simple('pause', id, pauseArgs(id), call);
  }

  resume(id: string, call: CallOptions = {}): Promise<void> {
    return this.simple('resume', id, resumeArgs(id), call);
  }

  delete(id: string, opts: DeleteOptions = {}, call: CallOptions = {}): Promise<void> {
    return this.simple('delete', id, deleteArgs(id, opts), call);
  }

  checkpoint(id: string, opts: CheckpointOptions, call: CallOptions = {}): Promise<void> {
    return this.simple('checkpoint', id, checkpointArgs(id, opts), call);
  }

  state(id: string, call: CallOptions = {}): Promise<ContainerStateJson> {
    const argv = stateArgs(id);
    return this.timed('state', async () => parseState((await this.exec(argv, 'state', id, call)).stdout));
  }

  /** Host pids of every process in the container. */
  ps(id: string, call: CallOptions = {}): Promise<number[]> {
    const argv = psArgs(id);
    return this.timed('ps', async () => parsePs((await this.exec(argv, 'ps', id, call)).stdout));
  }

  list(call: CallOptions = {}): Promise<ContainerStateJson[]> {
    return this.timed('list', async () => parseList((await this.exec(listArgs(), 'list', undefined, call)).stdout));
  }

  version(call: CallOptions = {}): Promise<RuncVersion> {
    return this.timed('version', async () => parseVersion((await this.exec(versionArgs(), 'version', undefined, call)).stdout));
  }

  private simple(verb: string, id: string, argv: string[], call: CallOptions): Promise<void> {
    return this.timed(verb, async () => {
      await this.exec(argv, verb, id, call);
    });
  }

  private exec(verbArgs: readonly string[], verb: string, id: string | undefined, call: CallOptions): Promise<RuncOutput> {
    const timeoutMs = call.timeoutMs ?? this.timeoutMs;
    return execute(this.command(verbArgs), {
      verb,
      ...(id !== undefined ? { id } : {}),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(this.log !== undefined ? { logFile: this.log } : {}),
    }, this.launcher);
  }

  private async timed<T>(verb: string, fn: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    let ok = false;
    try {
      const v = await fn();
      ok = true;
      return v;
    } finally {
      this.observe(verb, Number(process.hrtime.bigint() - start) / 1e9, ok);
    }
  }

  private observe(verb: string, seconds: number, ok: boolean): void {
    if (!this.onCall) return;
    try {
      this.onCall(verb, seconds, ok);
    } catch {
      // A metric must never change the outcome of a container operation.
    }
  }
}

function verbOf(verbArgs: readonly string[]): string {
  const first = verbArgs[0] ?? '';
  return first.startsWith('--') ? first.slice(2) : first;
}
