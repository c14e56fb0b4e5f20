import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { internal, oneLine } from '../errors';
import { spawnMonitor, type SpawnedMonitor } from './monitor';
import type { ProcessRecord } from './records';
import { readInt, readText, writeJsonAtomic } from './state-dir';

export const PID_FILE = 'pid';
export const EXIT_FILE = 'exit';
export const RUNC_LOG = 'runc.log';

export interface Launched {
  pid: number;
  monitor: SpawnedMonitor;
}

/**
 * Starts one process under a detached monitor and waits until runc has written its pid (it
 * is running) or the monitor has recorded an exit before that (runc failed: the error carries
 * runc's own message from its log).
 */
export async function launchProcess(
  dir: string,
  record: ProcessRecord,
  runcArgv: (logFile: string, pidFile: string) => string[],
  what: string,
  timeoutMs: number,
): Promise<Launched> {
  await fsp.mkdir(dir, { recursive: true });
  await writeJsonAtomic(path.join(dir, 'process.json'), record);
  const argv = runcArgv(path.join(dir, RUNC_LOG), path.join(dir, PID_FILE));
  const monitor = spawnMonitor(dir, record.stdio, argv);
  await writeJsonAtomic(path.join(dir, 'monitor.json'), { pid: monitor.pid, startTime: monitor.startTime });
  const outcome = await waitForPidOrExit(dir, monitor.exited, timeoutMs);
  if (outcome.kind === 'pid') return { pid: outcome.pid, monitor };
  if (outcome.kind === 'timeout') {
    try {
      process.kill(-monitor.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    throw internal(`${what}: runc did not start the process within ${timeoutMs} ms`);
  }
  throw internal(`${what} failed: ${await runcFailure(dir, outcome.status)}`);
}

type Outcome = { kind: 'pid'; pid: number } | { kind: 'exit'; status: number } | { kind: 'timeout' };

async function waitForPidOrExit(dir: string, monitorExited: Promise<void>, timeoutMs: number): Promise<Outcome> {
  const check = async (): Promise<Outcome | undefined> => {
    const pid = await readInt(path.join(dir, PID_FILE));
    if (pid.kind === 'ok' && pid.value > 0) return { kind: 'pid', pid: pid.value };
    const exit = await readInt(path.join(dir, EXIT_FILE));
    if (exit.kind === 'ok') {
      // runc may write the pid file just before a fast process exits: look once more.
      const again = await readInt(path.join(dir, PID_FILE));
      if (again.kind === 'ok' && again.value > 0) return { kind: 'pid', pid: again.value };
      return { kind: 'exit', status: exit.value };
    }
    return undefined;
  };
  return new Promise<Outcome>((resolve) => {
    let done = false;
    let checking = false;
    let again = false;
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
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      void check().then((o) => {
        checking = false;
        if (o) finish(o);
        else if (again) {
          again = false;
          run();
        }
      });
    };
    let watcher: fs.FSWatcher | undefined;
    try {
      watcher = fs.watch(dir, run);
      watcher.on('error', () => undefined);
    } catch {
      watcher = undefined;
    }
    // inotify is the fast path; the poll is a safety net for missed events.
    const poll = setInterval(run, 20);
    const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
    void monitorExited.then(run);
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
