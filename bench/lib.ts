/** Shared bits of the benchmarks: timing, stats, a printed table and a JSON result file. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { procStatFields } from '../src/supervisor/monitor';

export const run = promisify(execFile);
export const REPO = path.resolve(__dirname, '..', '..');

/** Busy CPU time of the whole machine so far (ms): every process, kernel included, from /proc/stat. */
export function machineBusyMs(): number {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait
  const busy = f.slice(0, 8).reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0);
  return (busy * 1000) / 100; // USER_HZ is 100 on Linux
}

/** The number after `--<name>` on the command line, else `def`. */
export function arg(name: string, def: number): number {
  const v = strArg(name);
  return v === undefined ? def : Number(v);
}

/** The word after `--<name>` on the command line, if given. */
export function strArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** Busy CPU (ms) of one process so far, from /proc/<pid>/stat (utime + stime). */
export function processCpuMs(pid: number): number {
  const f = procStatFields('/proc', pid);
  if (f === undefined) throw new Error(`process ${pid} is gone`);
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
}

/** /dev/shm when it is a tmpfs (as /run is on a systemd host), else the temp dir. */
export function defaultStateBase(): string {
  try {
    const mounts = fs.readFileSync('/proc/self/mounts', 'utf8');
    if (mounts.split('\n').some((l) => l.split(' ')[1] === '/dev/shm' && l.split(' ')[2] === 'tmpfs')) return '/dev/shm';
  } catch {
    /* no /proc: fall through */
  }
  return os.tmpdir();
}

/**
 * Runs `fn` in a fresh work dir under `base`, removed afterwards whether `fn` succeeded or not
 * (on tmpfs a left-over bundle's rootfs holds memory until someone notices).
 */
export async function inWorkDir<T>(base: string, prefix: string, fn: (work: string) => Promise<T>): Promise<T> {
  const work = fs.mkdtempSync(path.join(base, prefix));
  try {
    return await fn(work);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

export function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  min: number;
  max: number;
}

export function summarize(ms: number[]): Summary {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { n: s.length, mean: s.reduce((a, b) => a + b, 0) / (s.length || 1), p50: q(0.5), p90: q(0.9), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * A distribution-free interval for the median of independent `xs`: the k-th smallest and k-th
 * largest values, k the largest with P(Binomial(n, 1/2) < k) <= (1 - level) / 2, so the interval
 * holds the true median with probability at least `level` whatever the values' distribution
 * (`coverage`: that probability, exact for values without ties). Undefined when there are too few
 * values for `level` (fewer than 6 for 95 %).
 */
export function medianInterval(xs: number[], level = 0.95): { low: number; high: number; coverage: number } | undefined {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  let k = 0;
  let below = 0; // P(B < k)
  let term = 0.5 ** n; // P(B = k)
  while (k < n && below + term <= (1 - level) / 2) {
    below += term;
    term = (term * (n - k)) / (k + 1);
    k++;
  }
  return k === 0 ? undefined : { low: s[k - 1]!, high: s[n - k]!, coverage: 1 - 2 * below };
}

/** Runs `tasks` with at most `parallel` in flight; returns each task's duration (ms). */
export async function pool(count: number, parallel: number, task: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      const t0 = now();
      await task(i);
      times[i] = now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return times;
}

export interface Row {
  [column: string]: string | number;
}

export function printTable(title: string, rows: Row[]): void {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: string | number | undefined): string => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : (v ?? ''));
  const width = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]): string => vals.map((v, i) => v.padEnd(width[i]!)).join('  ');
  console.log(`\n${title}`);
  console.log(line(cols));
  console.log(line(width.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(cols.map((c) => cell(r[c]))));
}

/** Writes bench/results/<name>-<timestamp>.json and <name>-latest.json. */
export function writeResult(name: string, data: object): string {
  const dir = path.join(REPO, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const body = JSON.stringify({ name, date: new Date().toISOString(), host: { cpus: os.cpus().length, kernel: os.release() }, ...data }, null, 2);
  const file = path.join(dir, `${name}-latest.json`);
  fs.writeFileSync(file, body + '\n');
  console.log(`\nwrote ${path.relative(REPO, file)}`);
  return file;
}

/** Runs a command with stdio ignored (a detached container would hold captured pipes open forever). */
export function runQuiet(file: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(file, args, { stdio: 'ignore' });
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${file} ${args.join(' ')} exited ${code}`))));
  });
}

/** A busybox bundle made by scripts/make-bundle.sh. */
export async function makeBundle(dir: string, args: string[]): Promise<string> {
  await run('sh', [path.join(REPO, 'scripts', 'make-bundle.sh'), dir, ...args]);
  return dir;
}

export interface BenchDaemon {
  address: string;
  stateDir: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts dist/src/cli/legacyd.js in a temp state dir and waits for its ready line. */
export async function startDaemon(work: string, extra: string[] = []): Promise<BenchDaemon> {
  const stateDir = path.join(work, 'state');
  const sock = path.join(work, 'd.sock');
  const address = `unix://${sock}`;
  const cgroupParent = `legacyd-bench-${process.pid}`;
  const proc = spawn(process.execPath, [path.join(REPO, 'dist', 'src', 'cli', 'legacyd.js'), '--listen', address, '--state-dir', stateDir,
    '--metrics-listen', '', '--cgroup-parent', `/${cgroupParent}`, '--log-level', 'warn', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  await new Promise<void>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('ready')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`legacyd exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error(`legacyd not ready: ${err}`)), 20_000).unref();
  });
  return {
    address,
    stateDir,
    proc,
    stop: async () => {
      await new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      });
      removeCgroupParent(cgroupParent);
    },
  };
}

/** rmdir of the daemon's (by then empty) cgroup parent in every v1 controller, or on v2; one still in use is left. */
function removeCgroupParent(name: string): void {
  const root = '/sys/fs/cgroup';
  let dirs: string[];
  try {
    dirs = [root, ...fs.readdirSync(root).map((c) => path.join(root, c))];
  } catch {
    return;
  }
  for (const d of dirs) {
    try {
      fs.rmdirSync(path.join(d, name));
    } catch {
      /* absent, not a cgroup hierarchy, or still holding a container */
    }
  }
}

/** Kills and deletes every container under a runc root. */
export async function cleanupRunc(root: string): Promise<void> {
  const { stdout } = await run('runc', ['--root', root, 'list', '-q']).catch(() => ({ stdout: '' }));
  await Promise.all(
    stdout.split('\n').filter(Boolean).map(async (id) => {
      await run('runc', ['--root', root, 'kill', id, 'KILL']).catch(() => undefined);
      await run('runc', ['--root', root, 'delete', '-f', id]).catch(() => undefined);
    }),
  );
}

/** What a set of processes holds: their count, proportional set size (MB) and threads. */
export interface Resident {
  processes: number;
  pssMb: number;
  threads: number;
}

/**
 * What stays resident besides the containers' own processes: every descendant of `rootPid`
 * (the daemon) except the daemon's direct children (its helper) and the processes `isContainer`
 * picks, from /proc/<pid>/smaps_rollup. Processes that go meanwhile are skipped.
 */
export function residentBelow(rootPid: number, isContainer: (argv: string[]) => boolean): Resident {
  const parentOf = (pid: string): string | undefined => procStatFields('/proc', Number(pid))?.[1];
  const children = new Map<string, string[]>();
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    const ppid = parentOf(pid);
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const total: Resident = { processes: 0, pssMb: 0, threads: 0 };
  const visit = (pid: string, depth: number): void => {
    for (const child of children.get(pid) ?? []) {
      visit(child, depth + 1);
      if (depth === 0) continue;
      try {
        const argv = fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0');
        if (isContainer(argv)) continue;
        const pss = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child}/smaps_rollup`, 'utf8'));
        const threads = fs.readdirSync(`/proc/${child}/task`).length;
        total.processes++;
        total.pssMb += Number(pss?.[1] ?? 0) / 1024;
        total.threads += threads;
      } catch {
        /* gone meanwhile */
      }
    }
  };
  visit(String(rootPid), 0);
  return total;
}
