import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MonitorSpawner } from './monitor-spawner';
import type { StdioSpec } from './stdio';

/*
 * The per-process monitor: a detached process (its own process group, outside the daemon's
 * session, so it outlives the daemon) that records its process's exact exit status atomically in
 * `exit`. What runs it is the spawner's business: helper-spawner.ts (a fork of the helper, the
 * child subreaper of a detached runc) or direct-spawner.ts (sh over a foreground runc). This
 * file knows monitors by pid and start time.
 */

export interface MonitorIdentity {
  pid: number;
  /** /proc/<pid>/stat starttime: tells a live monitor from a reused pid after a restart. */
  startTime: string;
}

export interface SpawnedMonitor extends MonitorIdentity {
  /**
   * Resolves when the monitor exits, with its wait status while this daemon or its helper is its
   * parent and knows it; undefined when that status is unknown.
   */
  exited: Promise<number | undefined>;
  /** See SpawnedProcess.started: the process's pid, reported by its monitor where it reports. */
  started?: Promise<number | undefined>;
}

/** Starts a monitor for one process (`runcArgv` detached exactly when `spawner.detached`). */
export async function spawnMonitor(spawner: MonitorSpawner, dir: string, stdio: StdioSpec, runcArgv: string[]): Promise<SpawnedMonitor> {
  const child = await spawner.monitor({ dir, stdio, runcArgv });
  const m = { pid: child.pid, startTime: child.startTime ?? processStartTime('/proc', child.pid) ?? '', exited: child.exited };
  return child.started ? { ...m, started: child.started } : m;
}

/**
 * The fields of /proc/<pid>/stat after comm: [0] is field 3 (the state letter), [1] the parent
 * pid, [3] the session, [11] and [12] utime and stime, [19] the start time. Undefined when the
 * process is gone.
 */
export function procStatFields(procRoot: string, pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    // comm (field 2) may hold spaces and parentheses: split after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone. */
export function processStartTime(procRoot: string, pid: number): string | undefined {
  const rest = procStatFields(procRoot, pid);
  return rest === undefined || rest[0] === 'Z' ? undefined : rest[19]; // a zombie has exited
}

export function isMonitorAlive(procRoot: string, m: MonitorIdentity): boolean {
  const t = processStartTime(procRoot, m.pid);
  return t !== undefined && (m.startTime === '' || t === m.startTime);
}

export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
