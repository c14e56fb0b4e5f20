import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/** A started monitor process: its pid, and when it exits (only while it is known to this daemon). */
export interface SpawnedProcess {
  pid: number;
  exited: Promise<void>;
}

/**
 * Starts detached monitors: each in its own session (setsid), stdin and stdout on /dev/null,
 * stderr appended to `logFile`, argv exactly as given (no shell parses it).
 */
export interface MonitorSpawner {
  readonly kind: 'helper' | 'direct';
  spawn(argv: string[], logFile: string): Promise<SpawnedProcess>;
  /** Lets the helper (if any) go; monitors already started keep running. */
  close(): void;
}

/** Forks from the daemon itself: one fork of the whole Node process (its page tables) per monitor. */
export class DirectSpawner implements MonitorSpawner {
  readonly kind = 'direct';

  spawn(argv: string[], logFile: string): Promise<SpawnedProcess> {
    const logFd = fs.openSync(logFile, 'a');
    try {
      const child = spawn(argv[0]!, argv.slice(1), { detached: true, stdio: ['ignore', 'ignore', logFd] });
      const exited = new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.once('error', () => resolve());
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

/**
 * The helper: a small Perl process (perl-base is Essential on Debian) that forks monitors for the
 * daemon. Node's spawn forks the whole daemon (~1–2 ms of page-table copying on the event loop
 * at 80 MB RSS, more as it grows); forking a 6 MB helper costs a tenth of that, off the loop.
 *
 * Protocol on its stdin: `<byte length>\n<logFile>\0<argv0>\0<argv1>...`, read as bytes and handed
 * to exec unchanged. On its stdout, one line per request in order, `p <pid>` or `e <reason>`,
 * and `x <pid> <wait status>` whenever it reaps a monitor. It exits at EOF (the daemon went),
 * leaving the monitors to init like any orphan.
 */
export const SPAWNER_SCRIPT = String.raw`
use strict; use warnings; use POSIX ();
$SIG{PIPE} = 'IGNORE';
# A line is < PIPE_BUF, so a pipe write is all or nothing; a signal (SIGCHLD) may interrupt one
# blocked on a full pipe, with nothing written: write it again.
sub say_line { my $l = shift; for (;;) { my $w = syswrite(STDOUT, $l); return if defined $w || !$!{EINTR} } }
$SIG{CHLD} = sub { local ($!, $?); while ((my $p = waitpid(-1, POSIX::WNOHANG())) > 0) { say_line("x $p $?\n") } };
my $buf = '';
for (;;) {
  my $n = sysread(STDIN, $buf, 65536, length $buf);
  if (!defined $n) { next if $!{EINTR}; last }
  last if $n == 0;
  while ($buf =~ /\A(\d+)\n/ && length($buf) >= length($1) + 1 + $1) {
    my $head = length($1) + 1; my $len = $1;
    my $rec = substr($buf, $head, $len); substr($buf, 0, $head + $len, '');
    my ($log, @argv) = split /\0/, $rec, -1;
    my $pid = fork();
    if (!defined $pid) { my $e = "$!"; $e =~ s/\n/ /g; say_line("e fork: $e\n"); next }
    if ($pid == 0) {
      $SIG{CHLD} = 'DEFAULT';
      POSIX::setsid();
      open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null');
      open(STDERR, '>>', $log) or open(STDERR, '>', '/dev/null');
      { no warnings 'exec'; exec { $argv[0] } @argv; }
      print STDERR "legacyd spawner: cannot run $argv[0]: $!\n";
      POSIX::_exit(127);
    }
    say_line("p $pid\n");
  }
}
`;

interface Pending {
  resolve: (p: SpawnedProcess) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class HelperSpawner implements MonitorSpawner {
  readonly kind = 'helper';
  private child: ChildProcess | undefined;
  private pending: Pending[] = [];
  private readonly exits = new Map<number, () => void>();
  /** Exits reaped before their `p` line was read (a monitor that died at once). */
  private readonly early = new Set<number>();
  private closed = false;

  /**
   * `answerMs`: a helper that has not answered a request by then is taken for wedged (stopped,
   * or its pipe stuck): it is killed, what it held fails, and the next request starts a new one.
   */
  constructor(
    private readonly perl = 'perl',
    private readonly answerMs = 10_000,
  ) {}

  /** Starts the helper and checks it answers; rejects (e.g. no perl) so the caller can fall back. */
  static async start(perl = 'perl', answerMs?: number): Promise<HelperSpawner> {
    const s = new HelperSpawner(perl, answerMs);
    await s.spawn(['/bin/sh', '-c', ':'], '/dev/null'); // an answer proves perl and its POSIX module run
    return s;
  }

  spawn(argv: string[], logFile: string): Promise<SpawnedProcess> {
    if (this.closed) return Promise.reject(new Error('monitor spawner closed'));
    if (argv.length === 0 || [logFile, ...argv].some((a) => a.includes('\0'))) {
      return Promise.reject(new Error('monitor argv is empty or holds a NUL byte'));
    }
    const child = this.ensure();
    const body = Buffer.from([logFile, ...argv].join('\0'));
    return new Promise<SpawnedProcess>((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), this.answerMs);
      timer.unref();
      this.pending.push({ resolve, reject, timer });
      hold(child, true);
      child.stdin!.write(Buffer.concat([Buffer.from(`${body.length}\n`), body]));
    });
  }

  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    // Its own session: a terminal's Ctrl-C to the daemon's group does not reach it.
    const child = spawn(this.perl, ['-e', SPAWNER_SCRIPT], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    this.child = child;
    let rest = '';
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      rest += chunk;
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        this.onLine(rest.slice(0, nl));
        rest = rest.slice(nl + 1);
      }
    });
    child.stdin!.on('error', () => undefined); // EPIPE when it died: reported through 'exit'
    const gone = (why: string): void => {
      if (this.child === child) this.child = undefined;
      const err = new Error(`monitor spawner (${this.perl}) ${why}`);
      for (const p of this.pending.splice(0)) {
        clearTimeout(p.timer);
        p.reject(err);
      }
      // Monitors it started live on (re-parented to init); their exits come from their exit files.
      this.exits.clear();
      this.early.clear();
    };
    child.once('error', (e) => gone(`failed: ${e.message}`));
    child.once('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    hold(child, false);
    return child;
  }

  private onLine(line: string): void {
    const [kind, a] = line.split(' ', 2);
    if (kind === 'x') {
      const pid = Number(a);
      const done = this.exits.get(pid);
      if (done) {
        this.exits.delete(pid);
        done();
      } else this.early.add(pid);
      return;
    }
    const p = this.pending.shift();
    if (this.child && this.pending.length === 0) hold(this.child, false);
    if (!p) return;
    clearTimeout(p.timer);
    if (kind !== 'p') {
      p.reject(new Error(`monitor spawner: ${line.slice(2)}`));
      return;
    }
    const pid = Number(a);
    const exited = new Promise<void>((resolve) => {
      if (this.early.delete(pid)) resolve();
      else this.exits.set(pid, resolve);
    });
    p.resolve({ pid, exited });
  }
}

/** The helper keeps the daemon's event loop alive only while a request waits for its answer. */
function hold(child: ChildProcess, on: boolean): void {
  type Refable = { ref?: () => void; unref?: () => void };
  for (const h of [child, child.stdout, child.stdin] as (Refable | null)[]) {
    if (on) h?.ref?.();
    else h?.unref?.();
  }
}

/** The helper when perl runs here, else direct forks; `why` says which and why. */
export async function startMonitorSpawner(perl = 'perl'): Promise<{ spawner: MonitorSpawner; why: string }> {
  try {
    return { spawner: await HelperSpawner.start(perl), why: `monitors forked by a ${perl} helper` };
  } catch (e) {
    return { spawner: new DirectSpawner(), why: `monitors forked by the daemon (${perl} helper unavailable: ${(e as Error).message})` };
  }
}
