import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isMonitorAlive, processStartTime, spawnMonitor } from '../../../src/supervisor/monitor';
import { DirectSpawner, HelperSpawner, type MonitorSpawner } from '../../../src/supervisor/monitor-spawner';
import type { StdioSpec } from '../../../src/supervisor/stdio';

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

const helper = new HelperSpawner();
afterAll(() => helper.close());
const spawners: [string, MonitorSpawner][] = [
  ['forked by the daemon', new DirectSpawner()],
  ['forked by the perl helper', helper],
];

// The monitor runs any argv in the foreground; a shell stands in for runc here.
describe.each(spawners)('per-process monitor (the sh that outlives the daemon), %s', (_name, spawner) => {
  it('records the exact exit status of what it runs, atomically, with no temp file left', async () => {
    const dir = tmp();
    const stdio: StdioSpec = { stdin: none, stdout: none, stderr: none };
    await spawnMonitor(spawner, dir, stdio, ['sh', '-c', 'exit 7']);
    expect(await exitOf(dir)).toBe('7');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports 128+signal for a killed process', async () => {
    const dir = tmp();
    await spawnMonitor(spawner, dir, { stdin: none, stdout: none, stderr: none }, ['sh', '-c', 'kill -9 $$']);
    expect(await exitOf(dir)).toBe('137');
  });

  it('feeds a stdin fifo opened late by the client, and its close is EOF; stdout appends to a file', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'in');
    execFileSync('mkfifo', [fifo]);
    const out = path.join(dir, 'out.txt');
    await spawnMonitor(spawner, dir, { stdin: { path: fifo, mode: 'fifo' }, stdout: { path: out, mode: 'file' }, stderr: none }, ['sh', '-c', 'cat; echo done; exit 4']);
    // The client writes only now; the monitor must not have blocked on it.
    execFileSync('sh', ['-c', `printf 'ping\\n' > ${fifo}`]);
    expect(await exitOf(dir)).toBe('4');
    expect(fs.readFileSync(out, 'utf8')).toBe('ping\ndone\n');
  });

  it('caller input never reaches the script text: arguments with quotes and $ stay literal', async () => {
    const dir = tmp();
    const out = path.join(dir, 'out.txt');
    await spawnMonitor(spawner, dir, { stdin: none, stdout: { path: out, mode: 'file' }, stderr: none }, ['printf', '%s', '$(touch /tmp/pwned-legacyd); "\'']);
    expect(await exitOf(dir)).toBe('0');
    expect(fs.readFileSync(out, 'utf8')).toBe('$(touch /tmp/pwned-legacyd); "\'');
    expect(fs.existsSync('/tmp/pwned-legacyd')).toBe(false);
  });

  it('tells a live monitor from a dead one by pid and start time', async () => {
    const dir = tmp();
    const m = await spawnMonitor(spawner, dir, { stdin: none, stdout: none, stderr: none }, ['sleep', '30']);
    expect(isMonitorAlive('/proc', m)).toBe(true);
    expect(isMonitorAlive('/proc', { pid: m.pid, startTime: '1' })).toBe(false);
    expect(processStartTime('/proc', m.pid)).toBe(m.startTime);
    // Its own session (setsid, right after the fork that gave the pid): field 6 of /proc/<pid>/stat.
    const session = (): string => {
      const stat = fs.readFileSync(`/proc/${m.pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]!;
    };
    for (let i = 0; i < 100 && session() !== String(m.pid); i++) await new Promise((r) => setTimeout(r, 10));
    expect(session()).toBe(String(m.pid));
    process.kill(-m.pid, 'SIGKILL');
    await m.exited;
    expect(isMonitorAlive('/proc', m)).toBe(false);
  });
});
