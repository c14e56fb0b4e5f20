import * as fs from 'node:fs';
import * as path from 'node:path';
import { internal, oneLine } from '../errors';
import { spawnMonitor, type SpawnedMonitor } from './monitor';
import type { MonitorSpawner } from './monitor-spawner';
import type { ProcessRecord } from './records';
import { readIntSync, readText, writeJsonAtomicSync } from './state-dir';

export const PID_FILE = 'pid';
export const EXIT_FILE = 'exit';
export const RUNC_LOG = 'runc.log';
export const PROCESS_FILE = 'process.json';

/** Where runc writes its log and the process's pid, in the process's dir. */
export interface RuncFiles {
  logFile: string;
  pidFile: string;
}

export interface Launched {
  pid: number;
  monitor: SpawnedMonitor;
}

/**
 * Makes a process's dir and its process.json (recovery reads it); done before its monitor starts.
 * Blocking, like the state writes (state-dir.ts): a promise mkdir here cost more main-thread time
 * than every other step of a create's state dir work together (a thread-pool round trip).
 */
export function prepareProcess(dir: string, record: ProcessRecord): void {
  fs.mkdirSync(dir, { recursive: true });
  writeJsonAtomicSync(path.join(dir, PROCESS_FILE), record);
}

/**
 * Starts one process under a detached monitor (in an existing dir) and waits until
 * runc has written its pid (it is running) or the monitor has recorded an exit before that (runc
 * failed: the error carries runc's own message from its log).
 */
export async function launchProcess(
  dir: string,
  record: ProcessRecord,
  runcArgv: (o: RuncFiles & { detach: boolean }) => string[],
  what: string,
  timeoutMs: number,
  spawner: MonitorSpawner,
): Promise<Launched> {
  // runc detached exactly when the spawner's monitors reap the process themselves.
  const argv = runcArgv({ logFile: path.join(dir, RUNC_LOG), pidFile: path.join(dir, PID_FILE), detach: spawner.detached });
  const monitor = await spawnMonitor(spawner, dir, record.stdio, argv).catch((e: unknown) => {
    throw internal(`${what}: cannot start its monitor: ${(e as Error).message}`);
  });
  // The caller hears of the process only once this is there (a restart re-adopts by it); a failure
  // to write it is reported after runc's own outcome, which says more when runc failed too.
  let unrecorded: Error | undefined;
  try {
    writeJsonAtomicSync(path.join(dir, 'monitor.json'), { pid: monitor.pid, startTime: monitor.startTime });
  } catch (e) {
    unrecorded = e as Error;
  }
  const outcome = await waitForPidOrExit(dir, monitor, timeoutMs);
  if (outcome.kind === 'pid' && !unrecorded) return { pid: outcome.pid, monitor };
  if (outcome.kind === 'exit') throw internal(`${what} failed: ${await runcFailure(dir, outcome.status)}`);
  if (outcome.kind === 'unrecorded') throw internal(`${what} failed, and its monitor could not record how: ${await runcFailure(dir)}`);
  try {
    process.kill(-monitor.pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
  if (unrecorded) throw internal(`${what}: recording its monitor: ${unrecorded.message}`);
  throw internal(`${what}: runc did not start the process within ${timeoutMs} ms`);
}

/** `unrecorded`: the monitor is gone, and left neither a pid nor an exit status (e.g. on a full filesystem). */
type Outcome = { kind: 'pid'; pid: number } | { kind: 'exit'; status: number } | { kind: 'unrecorded' } | { kind: 'timeout' };

async function waitForPidOrExit(dir: string, monitor: SpawnedMonitor, timeoutMs: number): Promise<Outcome> {
  // Blocking reads: two tiny files, and no thread-pool queue (busy during parallel creates) between runc and the reply.
  const check = (): Outcome | undefined => {
    const pid = readIntSync(path.join(dir, PID_FILE));
    if (pid.kind === 'ok' && pid.value > 0) return { kind: 'pid', pid: pid.value };
    const exit = readIntSync(path.join(dir, EXIT_FILE));
    if (exit.kind === 'ok') {
      // runc may write the pid file just before a fast process exits: look once more.
      const again = readIntSync(path.join(dir, PID_FILE));
      if (again.kind === 'ok' && again.value > 0) return { kind: 'pid', pid: again.value };
      return { kind: 'exit', status: exit.value };
    }
    return undefined;
  };
  return new Promise<Outcome>((resolve) => {
    let done = false;
    const finish = (o: Outcome): void => {
      if (done) return;
      done = true;
      watcher?.close();
      clearInterval(poll);
      clearTimeout(timer);
      resolve(o);
    };
    const run = (): void => {
      if (done) return;
      const o = check();
      if (o) finish(o);
    };
    let watcher: fs.FSWatcher | undefined;
    if (monitor.started) {
      // The monitor says when runc has left the process running (one line from the helper, read
      // anyway): no inotify watch, and none of the wake-ups runc.log and the like would cause.
      void monitor.started.then((pid) => (pid !== undefined && pid > 0 ? finish({ kind: 'pid', pid }) : run()));
    } else {
      try {
        // runc.log, monitor.json and the like change here too; only these two names (or an unnamed event) matter.
        watcher = fs.watch(dir, (_ev, name) => {
          if (name === PID_FILE || name === EXIT_FILE || !name) run();
        });
        watcher.on('error', () => undefined);
      } catch {
        watcher = undefined;
      }
    }
    // The report or inotify is the fast path and the poll a safety net: for a report that could
    // not go (rare: only slower news, so a slow poll; a start takes ~100 ms in a busy batch, and a
    // 100 ms poll fired once in most) or a missed event; with neither (e.g. the inotify watch limit
    // reached) the poll is the only path, so it is tighter then.
    const poll = setInterval(run, monitor.started ? 1_000 : watcher ? 100 : 20);
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    // A monitor records the exit before it exits: gone with nothing recorded, nothing will come.
    // (Undefined: its status is unknown, e.g. its helper died; it may live on, so keep waiting.)
    void monitor.exited.then((status) => {
      run();
      if (status !== undefined) finish({ kind: 'unrecorded' });
    });
    run();
  });
}

/** The reason runc gave, from its json log (last error), else from the monitor's log. */
export async function runcFailure(dir: string, status?: number): Promise<string> {
  const log = await readText(path.join(dir, RUNC_LOG));
  let msg = '';
  if (log.kind === 'ok') {
    for (const line of log.value.split('\n')) {
      try {
        const entry = JSON.parse(line) as { level?: string; msg?: string };
        if (entry.level === 'error' || entry.level === 'fatal') msg = entry.msg ?? msg;
      } catch {
        if (line.trim()) msg = line.trim();
      }
    }
  }
  if (!msg) {
    const mon = await readText(path.join(dir, 'monitor.log'));
    if (mon.kind === 'ok') msg = mon.value.trim();
  }
  const suffix = status === undefined ? '' : ` (runc exit status ${status})`;
  return oneLine(msg || 'runc gave no reason') + suffix;
}
