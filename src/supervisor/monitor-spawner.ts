import type { CommandLauncher } from '../runtime';
import { DirectSpawner } from './direct-spawner';
import { HelperSpawner } from './helper-spawner';
import type { StdioSpec } from './stdio';

/** A started process: its pid, and when it exits with its wait status (only while it is known to this daemon; undefined when that status is unknown). */
export interface SpawnedProcess {
  pid: number;
  exited: Promise<number | undefined>;
  /**
   * A reaping monitor's report that runc has left its process running: that process's pid (as
   * in the pid file); undefined when the monitor exited without one or its report cannot come.
   * Absent where monitors do not report (foreground runc, sh): then only the pid file tells.
   */
  started?: Promise<number | undefined>;
  /** A monitor's start time (field 22 of /proc/<pid>/stat) as its spawner read it, if it did. */
  startTime?: string;
}

/** One process's monitor: its state dir (pid, exit, monitor.log), its stdio, and the runc command line it runs. */
export interface MonitorSpec {
  dir: string;
  stdio: StdioSpec;
  runcArgv: string[];
}

/**
 * Starts detached per-process monitors, each leading its own process group outside the daemon's
 * session (the helper's, or its own with sh) so it outlives the daemon, and records its
 * process's exact exit status atomically in `<dir>/exit` (128+signal when killed). Caller input
 * reaches no shell's script text and no exec unaltered but as argv.
 */
export interface MonitorSpawner {
  readonly kind: 'helper' | 'direct';
  /**
   * true: its monitors take runc DETACHED (`run -d`, `exec -d`, `restore -d`) and reap the
   * process themselves, as its child subreaper, the way containerd's shim does; runc then exits
   * once the process runs. false: runc runs in the FOREGROUND under the monitor for the
   * process's whole life and exits with its status.
   */
  readonly detached: boolean;
  /** Starts one process's monitor; `spec.runcArgv` must be detached exactly when `detached` is. */
  monitor(spec: MonitorSpec): Promise<SpawnedProcess>;
  /**
   * Runs `argv` exactly (no shell parses it) in its own process group outside the daemon's
   * session, stdin and stdout on /dev/null, stderr appended to `logFile`.
   */
  spawn(argv: string[], logFile: string): Promise<SpawnedProcess>;
  /** Lets the helper (if any) go; monitors already started keep running. */
  close(): void;
}

/**
 * The native helper when it is given and runs, else the Perl one when perl runs here, else direct
 * forks; `why` says which and why, and `fallback` whether it is not the first of those asked for.
 * With a helper and a `scratchDir`, `launcher` runs runc's verbs through it too (else they are
 * Node's spawns).
 */
export async function startMonitorSpawner(opts: { native?: string; perl?: string; scratchDir?: string } = {}): Promise<{ spawner: MonitorSpawner; launcher?: CommandLauncher; why: string; fallback: boolean }> {
  const perl = opts.perl ?? 'perl';
  const scratch = opts.scratchDir !== undefined ? { scratchDir: opts.scratchDir } : {};
  const started = (helper: HelperSpawner, what: string, fellBack: string) => {
    const how = helper.detached ? 'reaping runc\'s detached processes as their child subreaper' : 'running runc in the foreground (no child subreaper here)';
    const runs = opts.scratchDir !== undefined ? '; runc\'s verbs run through it too' : '';
    return { spawner: helper, ...(opts.scratchDir !== undefined ? { launcher: helper } : {}), why: `monitors forked by ${what}, ${how}${runs}${fellBack}`, fallback: fellBack !== '' };
  };
  let fellBack = '';
  if (opts.native !== undefined) {
    try {
      return started(await HelperSpawner.start({ native: opts.native, ...scratch }), `the native helper ${opts.native}`, '');
    } catch (e) {
      fellBack = ` (native helper ${opts.native} unavailable: ${(e as Error).message})`;
    }
  }
  try {
    return started(await HelperSpawner.start({ perl, ...scratch }), `a ${perl} helper`, fellBack);
  } catch (e) {
    return { spawner: new DirectSpawner(), why: `monitors forked by the daemon, running runc in the foreground under sh (${perl} helper unavailable: ${(e as Error).message})${fellBack}`, fallback: true };
  }
}
