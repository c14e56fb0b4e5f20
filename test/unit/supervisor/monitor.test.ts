import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isMonitorAlive, processStartTime, spawnMonitor } from '../../../src/supervisor/monitor';
import { DirectSpawner } from '../../../src/supervisor/direct-spawner';
import { HelperSpawner } from '../../../src/supervisor/helper-spawner';
import type { MonitorSpawner } from '../../../src/supervisor/monitor-spawner';
import type { StdioSpec } from '../../../src/supervisor/stdio';
import { fillWith, mountTmpfs, unmount } from '../../helpers/disk';
import { runcStandIn } from '../../helpers/detached-runc';
import { mustBeBuilt } from '../../helpers/native';
import { statOf } from '../../helpers/proc';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-mon-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const none = { path: '', mode: 'none' } as const;

async function exitOf(dir: string, ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      return fs.readFileSync(path.join(dir, 'exit'), 'utf8').trim();
    } catch {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  throw new Error('no exit file');
}

const reaping = new HelperSpawner();
const foreground = new HelperSpawner({ subreaper: false });
const native = mustBeBuilt();
const nativeReaping = new HelperSpawner({ native });
const nativeForeground = new HelperSpawner({ native, subreaper: false });
// An arch whose syscall numbers legacyd does not know: perl's POSIX module for _exit.
const unknownArch = new HelperSpawner({ arch: 'sparc' });
afterAll(() => {
  reaping.close();
  foreground.close();
  unknownArch.close();
  nativeReaping.close();
  nativeForeground.close();
});
const spawners: [string, MonitorSpawner][] = [
  ['sh forked by the daemon, runc in the foreground', new DirectSpawner()],
  ['perl forked by the helper, runc in the foreground', foreground],
  ['perl forked by the helper on an unknown arch (POSIX module), runc in the foreground', unknownArch],
  ['perl forked by the helper, reaping a detached runc\'s process', reaping],
  ['the native helper\'s fork, runc in the foreground', nativeForeground],
  ['the native helper\'s fork, reaping a detached runc\'s process', nativeReaping],
];

it('on this machine (x86_64 or arm64) the helper reaps; without a subreaper it does not', () => {
  expect(reaping.detached).toBe(true);
  expect(nativeReaping.detached).toBe(true);
  expect(nativeForeground.detached).toBe(false);
  expect(foreground.detached).toBe(false);
  expect(unknownArch.detached).toBe(false);
  expect(new DirectSpawner().detached).toBe(false);
});

// A shell stands in for the process, and runc is left out (foreground) or stood in for (detached).
describe.each(spawners)('per-process monitor (outlives the daemon), %s', (_name, spawner) => {
  const start = (dir: string, stdio: StdioSpec, argv: string[]): ReturnType<typeof spawnMonitor> => spawnMonitor(spawner, dir, stdio, runcStandIn(spawner, dir, argv));

  it('records the exact exit status of what it runs, atomically, with no temp file left', async () => {
    const dir = tmp();
    const stdio: StdioSpec = { stdin: none, stdout: none, stderr: none };
    await start(dir, stdio, ['sh', '-c', 'exit 7']);
    expect(await exitOf(dir)).toBe('7');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports 128+signal for a killed process', async () => {
    const dir = tmp();
    await start(dir, { stdin: none, stdout: none, stderr: none }, ['sh', '-c', 'kill -9 $$']);
    expect(await exitOf(dir)).toBe('137');
  });

  it('feeds a stdin fifo opened late by the client, and its close is EOF; stdout appends to a file', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'in');
    execFileSync('mkfifo', [fifo]);
    const out = path.join(dir, 'out.txt');
    await start(dir, { stdin: { path: fifo, mode: 'fifo' }, stdout: { path: out, mode: 'file' }, stderr: none }, ['sh', '-c', 'cat; echo done; exit 4']);
    // The client writes only now; the monitor must not have blocked on it.
    execFileSync('sh', ['-c', `printf 'ping\\n' > ${fifo}`]);
    expect(await exitOf(dir)).toBe('4');
    expect(fs.readFileSync(out, 'utf8')).toBe('ping\ndone\n');
  });

  it('caller input never reaches the script text: arguments with quotes and $ stay literal', async () => {
    const dir = tmp();
    const out = path.join(dir, 'out.txt');
    await start(dir, { stdin: none, stdout: { path: out, mode: 'file' }, stderr: none }, ['printf', '%s', '$(touch /tmp/pwned-legacyd); "\'']);
    expect(await exitOf(dir)).toBe('0');
    expect(fs.readFileSync(out, 'utf8')).toBe('$(touch /tmp/pwned-legacyd); "\'');
    expect(fs.existsSync('/tmp/pwned-legacyd')).toBe(false);
  });

  it.skipIf(process.getuid?.() !== 0)('a filesystem that filled up while the process ran does not lose its exit status', async () => {
    const dir = tmp();
    mountTmpfs(dir, '256k');
    try {
      const ready = path.join(dir, 'ready');
      const go = path.join(dir, 'go');
      await start(dir, { stdin: none, stdout: none, stderr: none }, ['sh', '-c', ': > "$0"; while [ ! -e "$1" ]; do sleep 0.02; done; exit 9', ready, go]);
      for (let i = 0; i < 500 && !fs.existsSync(ready); i++) await new Promise((r) => setTimeout(r, 10));
      fillWith(path.join(dir, 'filler'));
      expect(() => fs.writeFileSync(path.join(dir, 'probe'), 'x')).toThrow(/ENOSPC/); // full indeed
      fs.writeFileSync(go, ''); // an inode, no data
      expect(await exitOf(dir)).toBe('9');
    } finally {
      unmount(dir);
    }
  });

  it('tells a live monitor from a dead one by pid and start time', async () => {
    const dir = tmp();
    const m = await start(dir, { stdin: none, stdout: none, stderr: none }, ['sleep', '30']);
    expect(isMonitorAlive('/proc', m)).toBe(true);
    expect(isMonitorAlive('/proc', { pid: m.pid, startTime: '1' })).toBe(false);
    expect(processStartTime('/proc', m.pid)).toBe(m.startTime);
    // Its own process group (setpgid or setsid, right after the fork that gave the pid): field 5 of /proc/<pid>/stat.
    const group = (): string => statOf(m.pid)[2]!;
    for (let i = 0; i < 100 && group() !== String(m.pid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(group()).toBe(String(m.pid));
    process.kill(-m.pid, 'SIGKILL');
    await m.exited;
    expect(isMonitorAlive('/proc', m)).toBe(false);
  });
});

describe('the perl monitor', () => {
  const quiet: StdioSpec = { stdin: none, stdout: none, stderr: none };

  it('reaping: the process is re-parented to the monitor once runc has left, and its exact status is recorded', async () => {
    const dir = tmp();
    const ready = path.join(dir, 'ready');
    const m = await spawnMonitor(reaping, dir, quiet, runcStandIn(reaping, dir, ['sh', '-c', ': > "$0"; read x < /dev/zero; sleep 30', ready]));
    while (!fs.existsSync(ready) || !fs.existsSync(path.join(dir, 'pid'))) await new Promise((r) => setTimeout(r, 10));
    const pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
    const parent = (): number => Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
    for (let i = 0; i < 100 && parent() !== m.pid; i++) await new Promise((r) => setTimeout(r, 10));
    expect(parent()).toBe(m.pid);
    process.kill(pid, 'SIGTERM');
    expect(await exitOf(dir)).toBe('143');
  });

  it('reaping: a runc that fails (no pid) gives its own status', async () => {
    const dir = tmp();
    await spawnMonitor(reaping, dir, quiet, ['sh', '-c', 'echo "container exists" >&2; exit 1']);
    expect(await exitOf(dir)).toBe('1');
  });

  it('reaping: a runc that exits 0 but names no process gives 255 and says so', async () => {
    const dir = tmp();
    await spawnMonitor(reaping, dir, quiet, ['true']);
    expect(await exitOf(dir)).toBe('255');
    expect(fs.readFileSync(path.join(dir, 'monitor.log'), 'utf8')).toMatch(/runc exited 0 but left no pid/);
  });

  it.each([
    ['reaping', reaping],
    ['foreground', foreground],
  ])('%s: a stream it cannot open gives 127 and the reason in monitor.log, and runc never runs', async (_n, spawner) => {
    const dir = tmp();
    const marker = path.join(dir, 'ran');
    const stdio: StdioSpec = { stdin: none, stdout: { path: path.join(dir, 'no', 'such', 'dir', 'out'), mode: 'file' }, stderr: none };
    await spawnMonitor(spawner, dir, stdio, runcStandIn(spawner, dir, ['sh', '-c', ': > "$0"', marker]));
    expect(await exitOf(dir)).toBe('127');
    expect(fs.readFileSync(path.join(dir, 'monitor.log'), 'utf8')).toMatch(/cannot open stdout .*\/no\/such\/dir\/out: No such file or directory/);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('reaping: once runc has left, only the process holds the stdout fifo: its reader sees EOF when the process closes it', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'out');
    execFileSync('mkfifo', [fifo]);
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      // Writes, closes its stdout, then lives on: EOF must come now, not at its exit.
      await spawnMonitor(reaping, dir, { stdin: none, stdout: { path: fifo, mode: 'fifo' }, stderr: none },
        runcStandIn(reaping, dir, ['sh', '-c', 'echo hello; exec >&-; sleep 30']));
      const got: Buffer[] = [];
      const deadline = Date.now() + 10_000;
      for (;;) {
        const buf = Buffer.alloc(64);
        let n: number;
        try {
          n = fs.readSync(reader, buf);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          if (Date.now() > deadline) throw new Error(`no EOF; read so far: ${Buffer.concat(got).toString()}`);
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        if (n === 0 && got.length > 0) break;
        if (n === 0) {
          await new Promise((r) => setTimeout(r, 20)); // no writer yet
          continue;
        }
        got.push(buf.subarray(0, n));
      }
      expect(Buffer.concat(got).toString()).toBe('hello\n');
      expect(fs.existsSync(path.join(dir, 'exit'))).toBe(false);
    } finally {
      fs.closeSync(reader);
      const pid = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8'));
      process.kill(pid, 'SIGKILL');
      expect(await exitOf(dir)).toBe('137');
    }
  });
});
