import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MonitorSpawner, MonitorSpec, SpawnedProcess } from './monitor-spawner';

/**
 * The fallback monitor (no perl here): a detached POSIX shell that runs runc in the FOREGROUND,
 * so runc exits with the process's status (128+signal when killed), and records that status
 * atomically in `exit`: written over 16 bytes taken at its start, so a filesystem that filled up
 * meanwhile cannot lose it (sh cannot truncate: whitespace follows the number). Caller input
 * reaches the shell only as positional parameters, never inside the script text.
 *
 * stdin from a fifo goes through a private pipe fed by a background `cat`, so a client that
 * opens its end late cannot block the start, and its close still gives the process EOF.
 */
export const MONITOR_SCRIPT = `
dir=$1; in=$2; inm=$3; out=$4; outm=$5; err=$6; errm=$7; shift 7
feeder=
printf '%15s\n' '' >"$dir/exit.tmp" || exit 1
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
printf '%s\n' "$status" 1<>"$dir/exit.tmp" && mv -f "$dir/exit.tmp" "$dir/exit"
`;

/**
 * Forks from the daemon itself: one fork of the whole Node process (its page tables) per
 * monitor, and the sh monitor above with runc in the foreground (Node cannot make a child a
 * subreaper).
 */
export class DirectSpawner implements MonitorSpawner {
  readonly kind = 'direct';
  readonly detached = false;

  constructor(private readonly shell = '/bin/sh') {}

  monitor(spec: MonitorSpec): Promise<SpawnedProcess> {
    const { dir, stdio } = spec;
    return this.spawn(
      [this.shell, '-c', MONITOR_SCRIPT, 'legacyd-monitor', dir,
        stdio.stdin.path, stdio.stdin.mode, stdio.stdout.path, stdio.stdout.mode, stdio.stderr.path, stdio.stderr.mode,
        ...spec.runcArgv],
      path.join(dir, 'monitor.log'),
    );
  }

  spawn(argv: string[], logFile: string): Promise<SpawnedProcess> {
    const logFd = fs.openSync(logFile, 'a');
    try {
      const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'ignore', logFd] });
      // The monitor's own wait status, as the helper reports it (its process's is in its exit
      // file): a monitor gone with nothing recorded fails its launch at once.
      const exited = new Promise<number | undefined>((resolve) => {
        child.once('exit', (code, signal) => resolve(signal ? (os.constants.signals[signal] ?? 0) : (code ?? 0) << 8));
        child.once('error', () => resolve(undefined));
      });
      child.unref();
      if (child.pid === undefined) return Promise.reject(new Error(`cannot start ${argv[0]}`));
      return Promise.resolve({ pid: child.pid, exited });
    } finally {
      fs.closeSync(logFd);
    }
  }

  close(): void {}
}
