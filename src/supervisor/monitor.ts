import * as fs from 'node:fs';
import * as path from 'node:path';
import type { MonitorSpawner } from './monitor-spawner';
import type { StdioSpec } from './stdio';

/**
 * The per-process monitor: a detached POSIX shell (its own session, so it outlives the daemon)
 * that runs runc in the FOREGROUND, so runc exits with the process's status (128+signal when
 * killed), and records that status atomically in `exit`. Caller input reaches the shell only
 * as positional parameters, never inside the script text.
 *
 * stdin from a fifo goes through a private pipe fed by a background `cat`, so a client that
 * opens its end late cannot block the start, and its close still gives the process EOF.
 */
export const MONITOR_SCRIPT = `
dir=$1; in=$2; inm=$3; out=$4; outm=$5; err=$6; errm=$7; shift 7
feeder=
case $inm in
  fifo) rm -f "$dir/stdin.pipe"; mkfifo -m 600 "$dir/stdin.pipe"
        cat >"$dir/stdin.pipe" <"$in" 2>/dev/null & feeder=$!
        exec 0<"$dir/stdin.pipe" ;;
  file) exec 0<"$in" ;;
  *) exec 0</dev/null ;;
esac
case $outm in fifo) exec 1<>"$out" ;; file) exec 1>>"$out" ;; *) exec 1>/dev/null ;; esac
case $errm in fifo) exec 2<>"$err" ;; file) exec 2>>"$err" ;; *) exec 2>/dev/null ;; esac
"$@"
status=$?
exec 0</dev/null 1>/dev/null 2>>"$dir/monitor.log"
[ -n "$feeder" ] && { kill "$feeder" 2>/dev/null; rm -f "$dir/stdin.pipe"; }
echo "$status" >"$dir/exit.tmp" && mv -f "$dir/exit.tmp" "$dir/exit"
`;

export interface MonitorIdentity {
  pid: number;
  /** /proc/<pid>/stat starttime: tells a live monitor from a reused pid after a restart. */
  startTime: string;
}

export interface SpawnedMonitor extends MonitorIdentity {
  /** Resolves when the monitor exits (only while this daemon is its parent). */
  exited: Promise<void>;
}

export async function spawnMonitor(
  spawner: MonitorSpawner,
  dir: string,
  stdio: StdioSpec,
  argv: string[],
  shell = '/bin/sh',
): Promise<SpawnedMonitor> {
  const child = await spawner.spawn(
    [shell, '-c', MONITOR_SCRIPT, 'legacyd-monitor', dir,
      stdio.stdin.path, stdio.stdin.mode, stdio.stdout.path, stdio.stdout.mode, stdio.stderr.path, stdio.stderr.mode,
      ...argv],
    path.join(dir, 'monitor.log'),
  );
  return { pid: child.pid, startTime: processStartTime('/proc', child.pid) ?? '', exited: child.exited };
}

/** Field 22 of /proc/<pid>/stat, or undefined when the process is gone. */
export function processStartTime(procRoot: string, pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8');
    // comm (field 2) may hold spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return rest[0] === 'Z' ? undefined : rest[19]; // a zombie has exited

  } catch {
    return undefined;
  }
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
