import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { killGroup, MAX_STDERR, type CommandLauncher, type LaunchResult } from '../runtime';
import type { MonitorSpawner, MonitorSpec, SpawnedProcess } from './monitor-spawner';
import { unlinkIfThere } from './state-dir';

/**
 * The helper: a small process that forks the monitors for the daemon and IS their code: a fork of
 * it, already loaded, monitors one process with no exec of its own. It is the native program in
 * native/legacyd-helper.c where the build made it (HelperOptions.native), else the Perl script
 * below (perl-base is Essential on Debian), which is also its specification: both speak the
 * protocol below and make the same monitors. What follows describes both; the native one needs no
 * syscall numbers, always reaps where the kernel allows, and starts runc with posix_spawn.
 * Node's spawn forks the whole daemon (~1–2 ms of page-table copying on the event loop at 80 MB
 * RSS, more as it grows); forking the 6 MB Perl helper costs a tenth of that, off the loop, and
 * the native one less again (its fork and monitor 0.58 ms of CPU per create against Perl's 2.0).
 *
 * A monitor makes itself its process's child subreaper (prctl) and runs runc DETACHED: runc
 * exits once the process runs, the process is re-parented to the monitor, which waits for it
 * and writes its exact status (128+signal when killed) atomically to `exit`, over 16 bytes it
 * took before the process started (a filesystem that filled up meanwhile cannot lose the
 * status). So what stays per process is one forked perl (~0.45 MB PSS, one thread), not a shell
 * plus a foreground runc (~2.3 MB PSS, ten threads; both measured with 20–30 containers).
 * Without a subreaper (prctl's number unknown for this arch) a monitor runs runc in the
 * foreground instead and takes runc's own status.
 *
 * stdin from a fifo goes through a private pipe fed by a forked copier, so a client that opens
 * its end late cannot block the start, and its close still gives the process EOF. A monitor
 * that cannot set up (stdio, fork, subreaper) says why in monitor.log and records 127; one
 * that loses its process after runc started it records 255.
 *
 * Protocol on its stdin, read as bytes and handed to exec unchanged:
 *   `<byte length>\n` then `x\0<stdout file>\0<stderr file>\0<argv0>\0<argv1>...` (run argv,
 *   both files appended to), or
 *   `m\0<detached 0|1>\0<dir>\0<in>\0<in mode>\0<out>\0<out mode>\0<err>\0<err mode>\0<runc argv...>`.
 * On its stdout: first `h <1 when it can be a child subreaper, else 0> 1` (the 1: its reaping
 * monitors report their starts); then one line per request in order, `p <pid>` or `e <reason>`
 * (for a monitor `p <pid> <start time>`, field 22 of its /proc stat, which spares the daemon a read);
 * `x <pid> <wait status>` whenever it reaps a child; and from a reaping monitor, once runc has
 * exited 0 and left its process running, `s <monitor pid> <process pid>`, sent on a copy of the
 * helper's stdout it keeps until then (non-blocking, no SIGPIPE; the daemon also polls the pid
 * file, so a report that cannot go is only slower news). The daemon answers a create on that line
 * instead of watching the process's dir with inotify. It exits at EOF (the daemon went), leaving
 * the monitors to init like any orphan.
 * ps shows it as `legacyd-helper` and each monitor as `legacyd-monitor <its process's state dir>`.
 * Each fork (a monitor, a command) is the leader of its own process group, so the daemon can kill
 * it with all it started, in the helper's session: the helper has one of its own (a detached
 * spawn), without a terminal, so the daemon's terminal and its signals never reach them. Not a
 * session per fork: each new session is a scheduler autogroup, and runc started in one took
 * ~1 ms more CPU per create (perf, interleaved against the same monitors in one session).
 * Its arguments are the numbers of the syscalls prctl, exit_group, rt_sigprocmask and signalfd4
 * here (0: unknown). Where exit_group's is known it does without the POSIX module: that module
 * is 1.2 MB of the helper's 2.1 MB of heap, which every fork copies the page tables of, and
 * without it the helper and its monitor cost 0.2–0.3 ms less CPU per create (perf).
 *
 * It learns of its children's exits through a signalfd where it knows those numbers. Perl runs a
 * %SIG handler only between its own ops, so a SIGCHLD that came just before the helper blocked in
 * read was not handled until the next request came: 1 exit in ~6000 went unreported that long (a
 * runc verb through the helper could then wait for its whole timeout). Elsewhere the handler stays,
 * and the helper also looks for exited children once a second.
 */
export const SPAWNER_SCRIPT = String.raw`
use strict; use warnings;
my ($PRCTL, $EXIT, $SIGMASK, $SIGNALFD) = map { $_ || 0 } @ARGV[0 .. 3];
require POSIX unless $EXIT;
# _exit(2): a fork leaves without perl's teardown. Numbers go to syscall as numbers (+ 0).
sub quit { $EXIT ? syscall($EXIT, $_[0] + 0) : POSIX::_exit($_[0]) }
# What ps shows instead of this script (perl also sets comm from it).
$0 = 'legacyd-helper';
$SIG{PIPE} = 'IGNORE';
# A line is < PIPE_BUF, so a pipe write is all or nothing; a signal (SIGCHLD) may interrupt one
# blocked on a full pipe, with nothing written: write it again.
sub say_line { my $l = shift; for (;;) { my $w = syswrite(STDOUT, $l); return if defined $w || !$!{EINTR} } }
sub status_of { my $st = shift; return ($st & 127) ? 128 + ($st & 127) : ($st >> 8) }
# PR_GET_CHILD_SUBREAPER (37) answers 0 only where the number is prctl's and the kernel has it.
my $can_reap = 0;
if ($PRCTL) { my $v = pack('i', -1); $can_reap = 1 if syscall($PRCTL, 37, $v) == 0 && unpack('i', $v) >= 0 }

my ($dir, $log, $feeder, $exitfh, $report) = ('', undef, 0, undef, undef);
# The status into exit.tmp, written over the room the monitor took at its start (a full filesystem
# then cannot lose it; a new file if there is none), then renamed to exit.
sub record {
  my $line = "$_[0]\n";
  my $fh = $exitfh;
  unless ($fh && sysseek($fh, 0, 0)) { open($fh, '>', "$dir/exit.tmp") or return 0 }
  my $w = syswrite($fh, $line);
  return defined $w && $w == length($line) && truncate($fh, length $line) && close($fh) && rename("$dir/exit.tmp", "$dir/exit");
}
sub finish {
  my $status = shift;
  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null'); open(STDERR, '>', '/dev/null');
  kill('KILL', $feeder) if $feeder;
  quit(0) if record($status);
  print $log "legacyd monitor: cannot record exit status $status: $!\n";
  quit(1);
}
sub fail { print $log "legacyd monitor: $_[0]\n"; finish(127) }
sub reopen {
  my ($fh, $name, $path, $mode) = @_;
  my $ok = $mode eq 'fifo' ? open($fh, '+<', $path) : $mode eq 'file' ? open($fh, '>>', $path) : open($fh, '>', '/dev/null');
  fail("cannot open $name $path: $!") unless $ok;
}
# "s <monitor> <pid>" to the daemon, then the copy of its socket goes. 0x4040: MSG_DONTWAIT |
# MSG_NOSIGNAL; on a pipe (not Node's socket pair) a plain write, SIGPIPE ignored (runc has run).
sub report_started {
  return unless $report;
  my $line = "s $$ $_[0]\n";
  my $sent;
  do { $sent = send($report, $line, 0x4040) } while (!defined $sent && $!{EINTR});
  if (!defined $sent && $!{ENOTSOCK}) { local $SIG{PIPE} = 'IGNORE'; syswrite($report, $line) }
  close($report); $report = undef;
}
sub monitor {
  (my $detached, $dir, my ($in, $inm, $out, $outm, $err, $errm, @argv)) = @_;
  $0 = "legacyd-monitor $dir";
  # The line that tells the daemon its process runs goes where the helper's lines go (close-on-exec: fd > $^F).
  open($report, '>&', \*STDOUT) or $report = undef if $detached;
  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null'); open(STDERR, '>', '/dev/null');
  open($log, '>>', "$dir/monitor.log") or open($log, '>', '/dev/null');
  select((select($log), $| = 1)[0]);
  # Room for the exit status, taken before the process starts (16 bytes: any status fits).
  open($exitfh, '+>', "$dir/exit.tmp") && (syswrite($exitfh, (' ' x 15) . "\n") // 0) == 16 or fail("cannot make $dir/exit.tmp: $!");
  fail("cannot become a child subreaper: $!") if $detached && syscall($PRCTL, 36, 1) != 0;
  if ($inm eq 'fifo') {
    pipe(my $r, my $w) or fail("pipe: $!");
    $feeder = fork();
    fail("fork: $!") unless defined $feeder;
    if ($feeder == 0) {
      close $r;
      close($report) if $report;
      my $src; open($src, '<', $in) or quit(0);
      my $b;
      for (;;) {
        my $n = sysread($src, $b, 65536);
        if (!defined $n) { next if $!{EINTR}; last }
        last if $n == 0;
        for (my $o = 0; $o < $n;) { my $k = syswrite($w, $b, $n - $o, $o); if (!defined $k) { next if $!{EINTR}; quit(0) } $o += $k }
      }
      quit(0);
    }
    close $w;
    open(STDIN, '<&', $r) or fail("stdin pipe: $!");
    close $r;
  } elsif ($inm eq 'file') {
    open(STDIN, '<', $in) or fail("cannot open stdin $in: $!");
  }
  reopen(\*STDOUT, 'stdout', $out, $outm);
  reopen(\*STDERR, 'stderr', $err, $errm);
  my $runc = fork();
  fail("fork: $!") unless defined $runc;
  if ($runc == 0) {
    { no warnings 'exec'; exec { $argv[0] } @argv; }
    print $log "legacyd monitor: cannot run $argv[0]: $!\n";
    quit(127);
  }
  my $st;
  for (;;) { my $w = waitpid($runc, 0); if ($w == $runc) { $st = $?; last } next if $!{EINTR}; fail("lost runc ($runc): $!") }
  finish(status_of($st)) if !$detached || $st != 0;
  # runc started the process and left; the process is this monitor's child now. Only it holds the stdio.
  open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null'); open(STDERR, '>', '/dev/null');
  my ($pf, $pid);
  $pid = <$pf> if open($pf, '<', "$dir/pid");
  if (!defined $pid || $pid !~ /\A\s*(\d+)\s*\z/ || $1 == 0) { print $log "legacyd monitor: runc exited 0 but left no pid in $dir/pid\n"; finish(255) }
  $pid = $1;
  report_started($pid);
  for (;;) {
    my $w = waitpid(-1, 0);
    finish(status_of($?)) if $w == $pid;
    next if $w > 0 || $!{EINTR};
    print $log "legacyd monitor: lost process $pid (not re-parented here): $!\n";
    finish(255);
  }
}

say_line("h $can_reap 1\n");
# 1: WNOHANG, on every Linux.
sub reap { local ($!, $?); while ((my $p = waitpid(-1, 1)) > 0) { say_line("x $p $?\n") } }
# SIGCHLD (17 here: x86_64 and asm-generic) blocked and read from a signalfd (non-blocking,
# close-on-exec), so select() wakes for it; else the handler and a look once a second.
my $CHLD = pack('Q<', 1 << 16);
my ($sigfh, $sigfd) = (undef, -1);
if ($SIGMASK && $SIGNALFD && syscall($SIGMASK, 0, $CHLD, 0, 8) == 0) {
  $sigfd = syscall($SIGNALFD, -1, $CHLD, 8, 0x800 | 0x80000);
  $sigfd = -1 unless $sigfd >= 0 && open($sigfh, '<&=', $sigfd);
  syscall($SIGMASK, 1, $CHLD, 0, 8) if $sigfd < 0;
}
$SIG{CHLD} = \&reap if $sigfd < 0;
my $rin = '';
vec($rin, fileno(STDIN), 1) = 1;
vec($rin, $sigfd, 1) = 1 if $sigfd >= 0;
my $buf = '';
for (;;) {
  my $rout = $rin;
  my $ready = select($rout, undef, undef, $sigfd >= 0 ? undef : 1);
  if ($ready < 0) { next if $!{EINTR}; last }
  if ($sigfd < 0) { reap() }
  elsif (vec($rout, $sigfd, 1)) { my $info; 1 while sysread($sigfh, $info, 1024); reap() }
  next unless vec($rout, fileno(STDIN), 1);
  my $n = sysread(STDIN, $buf, 65536, length $buf);
  if (!defined $n) { next if $!{EINTR}; last }
  last if $n == 0;
  while ($buf =~ /\A(\d+)\n/ && length($buf) >= length($1) + 1 + $1) {
    my $head = length($1) + 1; my $len = $1;
    my $rec = substr($buf, $head, $len); substr($buf, 0, $head + $len, '');
    my ($kind, @f) = split /\0/, $rec, -1;
    my $pid = fork();
    if (!defined $pid) { my $e = "$!"; $e =~ s/\n/ /g; say_line("e fork: $e\n"); next }
    if ($pid == 0) {
      # perl starts with SIGFPE ignored, and the helper ignores SIGPIPE and blocks SIGCHLD: what it
      # runs gets none of that.
      if ($sigfd >= 0) { close($sigfh); syscall($SIGMASK, 1, $CHLD, 0, 8) }
      $SIG{CHLD} = 'DEFAULT'; $SIG{PIPE} = 'DEFAULT'; $SIG{FPE} = 'DEFAULT';
      setpgrp(0, 0);
      monitor(@f) if $kind eq 'm';
      my ($outFile, $errFile, @argv) = @f;
      open(STDIN, '<', '/dev/null');
      open(STDOUT, '>>', $outFile) or open(STDOUT, '>', '/dev/null');
      open(STDERR, '>>', $errFile) or open(STDERR, '>', '/dev/null');
      { no warnings 'exec'; exec { $argv[0] } @argv; }
      print STDERR "legacyd spawner: cannot run $argv[0]: $!\n";
      quit(127);
    }
    # A monitor's start time (field 22 of its stat), which the daemon keeps to know it again.
    my $start = '';
    if ($kind eq 'm' && open(my $st, '<', "/proc/$pid/stat")) {
      my $l = <$st>; close($st);
      if (defined $l && (my $i = rindex($l, ')')) >= 0) { my @x = split / /, substr($l, $i + 2); $start = " $x[19]" if defined $x[19] && $x[19] =~ /\A\d+\z/ }
    }
    say_line("p $pid$start\n");
  }
}
`;

/**
 * Syscall numbers by Node's process.arch (arm64, riscv64 and loong64 use asm-generic's). On
 * another arch the helper uses Perl's POSIX module, and its monitors run runc in the foreground.
 */
const SYSCALLS: Partial<Record<string, Syscalls>> = {
  x64: { prctl: 157, exitGroup: 231, sigprocmask: 14, signalfd4: 289 },
  arm64: { prctl: 167, exitGroup: 94, sigprocmask: 135, signalfd4: 74 },
  riscv64: { prctl: 167, exitGroup: 94, sigprocmask: 135, signalfd4: 74 },
  loong64: { prctl: 167, exitGroup: 94, sigprocmask: 135, signalfd4: 74 },
};

interface Syscalls {
  prctl: number;
  exitGroup: number;
  /** rt_sigprocmask */
  sigprocmask: number;
  signalfd4: number;
}

interface Pending {
  /** A reaping monitor's request: its answer gets a `started`. */
  reaping: boolean;
  resolve: (p: SpawnedProcess) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export interface HelperOptions {
  /** The perl to run the script with (default `perl` on PATH); unused with `native`. */
  perl?: string;
  /**
   * The native helper to run instead of the script: native/legacyd-helper.c built (same protocol
   * and monitors, no syscall table needed; see that file).
   */
  native?: string;
  /**
   * A helper that has not answered a request by then (default 10 s) is taken for wedged
   * (stopped, or its pipe stuck): it is killed, what it held fails, and the next request starts
   * a new one.
   */
  answerMs?: number;
  /** false makes its monitors run runc in the foreground even where they could reap. */
  subreaper?: boolean;
  /** The arch whose syscall numbers it uses (default process.arch); one not in the table gets the POSIX module and foreground monitors. */
  arch?: string;
  /** Where commands run through `launch` leave their output (a tmpfs dir); without it `launch` refuses. */
  scratchDir?: string;
}

/** Filler argv for the native helper, overwritten with `legacyd-monitor <dir>` in each monitor (a page: what the kernel shows of a rewritten argv). */
const TITLE_ROOM = '-'.repeat(4000);

const SIGNAL_NAMES = new Map<number, NodeJS.Signals>(Object.entries(os.constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

export class HelperSpawner implements MonitorSpawner, CommandLauncher {
  readonly kind = 'helper';
  private child: ChildProcess | undefined;
  private pending: Pending[] = [];
  /** Its children's exits (wait status), by pid; one may come before its `p` line (a child that died at once). */
  private readonly exits = new Reports<number>();
  /** Reaping monitors' starts (their process's pid), by monitor pid; likewise. */
  private readonly starts = new Reports<number>();
  /** Whether the running helper's reaping monitors report their starts (its `h` line says). */
  private reports = false;
  /** Pids of `launch`ed commands: the daemon waits for these, so a helper gone mid-run must end the wait. */
  private readonly commands = new Set<number>();
  private closed = false;
  private reaps: boolean;
  private seq = 0;
  /** The running helper's first line (`h`): whether it can be a child subreaper. */
  private hello: Promise<boolean> | undefined;
  /** What runs as the helper, for messages: the perl or the native binary. */
  private readonly program: string;
  private readonly native: string | undefined;
  private readonly perl: string;
  private readonly answerMs: number;
  private readonly scratchDir: string | undefined;
  private readonly syscalls: Syscalls | undefined;

  constructor(opts: HelperOptions = {}) {
    this.perl = opts.perl ?? 'perl';
    this.native = opts.native;
    this.program = opts.native ?? this.perl;
    this.answerMs = opts.answerMs ?? 10_000;
    this.scratchDir = opts.scratchDir;
    this.syscalls = SYSCALLS[opts.arch ?? process.arch];
    // The native helper asks libc, not a table, and its first line says whether the kernel lets it reap.
    this.reaps = (opts.subreaper ?? true) && (this.native !== undefined || this.syscalls !== undefined);
  }

  /**
   * Starts the helper and waits for its first line, which proves perl runs the script
   * and says whether it can be a child subreaper (if not, its monitors run runc in the
   * foreground); rejects (e.g. no perl) so the caller can fall back.
   */
  static async start(opts: HelperOptions = {}): Promise<HelperSpawner> {
    const s = new HelperSpawner(opts);
    s.ensure();
    const timer = setTimeout(() => s.child?.kill('SIGKILL'), s.answerMs);
    try {
      if (!(await s.hello)) s.reaps = false;
    } catch (e) {
      s.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
    return s;
  }

  get detached(): boolean {
    return this.reaps;
  }

  monitor(spec: MonitorSpec): Promise<SpawnedProcess> {
    const { dir, stdio } = spec;
    return this.request('m', [this.reaps ? '1' : '0', dir,
      stdio.stdin.path, stdio.stdin.mode, stdio.stdout.path, stdio.stdout.mode, stdio.stderr.path, stdio.stderr.mode,
      ...spec.runcArgv], spec.runcArgv.length);
  }

  spawn(argv: string[], logFile: string): Promise<SpawnedProcess> {
    return this.request('x', ['/dev/null', logFile, ...argv], argv.length);
  }

  /**
   * Runs a command (a runc verb) as the helper's child, not the daemon's: no fork of the daemon
   * on its event loop. Its stdout and stderr go to files in the scratch dir, read once it has
   * exited and removed.
   */
  async launch(file: string, args: readonly string[], timeoutMs: number | undefined): Promise<LaunchResult> {
    if (!this.scratchDir) throw new Error('this helper runs no commands (no scratch dir)');
    const base = path.join(this.scratchDir, `c${++this.seq}`);
    const outFile = `${base}.out`;
    const errFile = `${base}.err`;
    try {
      const child = await this.request('x', [outFile, errFile, file, ...args], 1 + args.length, true);
      let timedOut = false;
      const timer = timeoutMs !== undefined && timeoutMs > 0 ? setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, timeoutMs) : undefined;
      const status = await child.exited;
      if (timer) clearTimeout(timer);
      if (status === undefined) throw new Error(`monitor spawner (${this.program}) went away while ${file} ran; its outcome is unknown`);
      const sig = status & 0x7f;
      return {
        code: sig ? null : status >> 8,
        signal: sig ? (SIGNAL_NAMES.get(sig) ?? null) : null,
        stdout: readOutput(outFile, Infinity),
        stderr: readOutput(errFile, MAX_STDERR),
        timedOut,
      };
    } finally {
      unlinkIfThere(outFile);
      unlinkIfThere(errFile);
    }
  }

  private request(kind: 'x' | 'm', fields: string[], argc: number, command = false): Promise<SpawnedProcess> {
    if (this.closed) return Promise.reject(new Error('monitor spawner closed'));
    if (argc === 0 || fields.some((a) => a.includes('\0'))) {
      return Promise.reject(new Error('monitor argv is empty or holds a NUL byte'));
    }
    const child = this.ensure();
    const body = Buffer.from([kind, ...fields].join('\0'));
    return new Promise<SpawnedProcess>((resolve, reject) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), this.answerMs);
      timer.unref();
      this.pending.push({ reaping: kind === 'm' && this.reaps, resolve: command ? (p) => resolve(this.asCommand(p)) : resolve, reject, timer });
      this.holdWhileBusy();
      child.stdin!.write(Buffer.concat([Buffer.from(`${body.length}\n`), body]));
    });
  }

  /** Marks a started command, so the helper stays referenced until its exit and a helper gone ends its wait. */
  private asCommand(p: SpawnedProcess): SpawnedProcess {
    this.commands.add(p.pid);
    this.holdWhileBusy();
    const exited = p.exited.then((status) => {
      this.commands.delete(p.pid);
      this.holdWhileBusy();
      return status;
    });
    return { pid: p.pid, exited };
  }

  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
    this.child = undefined;
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    const n = this.syscalls;
    const numbers = [this.reaps && n ? n.prctl : 0, n?.exitGroup ?? 0, n?.sigprocmask ?? 0, n?.signalfd4 ?? 0].map(String);
    // The native helper's second argument is room for what ps shows of it and of its monitors.
    const [file, args] = this.native !== undefined ? [this.native, [this.reaps ? '1' : '0', TITLE_ROOM]] : [this.perl, ['-e', SPAWNER_SCRIPT, ...numbers]];
    // Its own session, which its forks share: a terminal's Ctrl-C or hangup to the daemon does not reach them.
    const child = spawn(file, args, { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
    this.child = child;
    let greeted: (reaps: boolean) => void = () => undefined;
    let refused: (e: Error) => void = () => undefined;
    this.hello = new Promise<boolean>((resolve, reject) => {
      greeted = resolve;
      refused = reject;
    });
    this.hello.catch(() => undefined);
    let rest = '';
    /** Set once its exit (or spawn failure) has been handled. */
    let ended = false;
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      // Lines read after its exit was handled (Node may emit 'exit' before the last data) answer
      // what `gone` already failed or ended; a late `p` must not take the next helper's request.
      if (ended) return;
      rest += chunk;
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl);
        rest = rest.slice(nl + 1);
        if (line.startsWith('h ')) {
          const [, reaps, reports] = line.split(' ');
          this.reports = reports === '1';
          greeted(reaps === '1');
        } else this.onLine(line);
      }
    });
    child.stdin!.on('error', () => undefined); // EPIPE when it died: reported through 'exit'
    const gone = (why: string): void => {
      ended = true;
      if (this.child === child) this.child = undefined;
      const err = new Error(`monitor spawner (${this.program}) ${why}`);
      refused(err);
      for (const p of this.pending.splice(0)) {
        clearTimeout(p.timer);
        p.reject(err);
      }
      // Monitors it started live on (re-parented to init): their exits, unknown from now on, will
      // come from their exit files. Commands' outcomes are lost. All their waits end now.
      this.exits.endAll();
      // Their reports can no longer come: the launches look at the pid files.
      this.starts.endAll();
    };
    child.once('error', (e) => gone(`failed: ${e.message}`));
    child.once('exit', (code, signal) => gone(`exited (${signal ?? code})`));
    hold(child, false);
    return child;
  }

  private onLine(line: string): void {
    const [kind, a, b] = line.split(' ', 3);
    if (kind === 'x') {
      const pid = Number(a);
      const status = Number(b);
      // A monitor that exits has reported its start, or never will.
      this.starts.end(pid);
      this.exits.put(pid, status);
      return;
    }
    if (kind === 's') {
      this.starts.put(Number(a), Number(b));
      return;
    }
    const p = this.pending.shift();
    this.holdWhileBusy();
    if (!p) return;
    clearTimeout(p.timer);
    if (kind !== 'p') {
      p.reject(new Error(`monitor spawner: ${line.slice(2)}`));
      return;
    }
    const pid = Number(a);
    // A monitor's start time, from helpers that send it (an older build's `p` has none).
    const startTime = b !== undefined && /^\d+$/.test(b) ? b : undefined;
    let started: Promise<number | undefined> | undefined;
    if (p.reaping && this.reports) {
      // A monitor that exited before this line either reported its start already or never will.
      started = this.exits.came(pid) && !this.starts.came(pid) ? Promise.resolve(undefined) : this.starts.take(pid);
    }
    const exited = this.exits.take(pid);
    p.resolve({ pid, exited, ...(started ? { started } : {}), ...(startTime !== undefined ? { startTime } : {}) });
  }

  /** The helper keeps the daemon's event loop alive only while a request waits for its answer or a command runs. */
  private holdWhileBusy(): void {
    if (this.child) hold(this.child, this.pending.length > 0 || this.commands.size > 0);
  }
}

/** Values the helper reports by pid, which may come before or after the wait for them begins. */
class Reports<T> {
  private readonly waiting = new Map<number, (v: T | undefined) => void>();
  private readonly early = new Map<number, T>();

  /** A report: to its waiter, else kept for the wait to come. */
  put(pid: number, v: T): void {
    const w = this.waiting.get(pid);
    if (w) {
      this.waiting.delete(pid);
      w(v);
    } else this.early.set(pid, v);
  }

  /** Whether the report for `pid` came before anyone waited for it. */
  came(pid: number): boolean {
    return this.early.has(pid);
  }

  /** The report for `pid`; undefined when it will not come (end, endAll). */
  take(pid: number): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve) => {
      if (this.early.has(pid)) {
        const v = this.early.get(pid);
        this.early.delete(pid);
        resolve(v);
      } else this.waiting.set(pid, resolve);
    });
  }

  /** The wait for `pid` ends: its report will not come. */
  end(pid: number): void {
    this.waiting.get(pid)?.(undefined);
    this.waiting.delete(pid);
  }

  /** Every wait ends (the helper went), and what came early is dropped. */
  endAll(): void {
    for (const w of this.waiting.values()) w(undefined);
    this.waiting.clear();
    this.early.clear();
  }
}

function hold(child: ChildProcess, on: boolean): void {
  type Refable = { ref?: () => void; unref?: () => void };
  for (const h of [child, child.stdout, child.stdin] as (Refable | null)[]) {
    if (on) h?.ref?.();
    else h?.unref?.();
  }
}

/** A command's output file, at most `max` bytes of it ('' when it is missing). */
function readOutput(file: string, max: number): string {
  try {
    const buf = fs.readFileSync(file);
    return buf.subarray(0, Math.min(buf.length, max)).toString('utf8');
  } catch {
    return '';
  }
}
