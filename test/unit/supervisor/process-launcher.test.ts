import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MonitorSpawner, SpawnedProcess } from '../../../src/supervisor/monitor-spawner';
import { launchProcess } from '../../../src/supervisor/process-launcher';
import type { ProcessRecord } from '../../../src/supervisor/records';
import { useTempDirs } from '../../helpers/tmp';

const tmp = useTempDirs('legacyd-launch');

const NONE = { path: '', mode: 'none' } as const;
const RECORD: ProcessRecord = {
  key: 'init',
  kind: 'init',
  terminal: false,
  user: { uid: 0, gid: 0, additionalGids: [] },
  args: ['true'],
  env: [],
  cwd: '/',
  stdio: { stdin: NONE, stdout: NONE, stderr: NONE },
};

/**
 * A spawner whose one "monitor" is this test: it exits when told, with the status given; with
 * `reports`, it also reports the start when told (a pid, or undefined: no report will come).
 */
function fakeSpawner(reports = false): { spawner: MonitorSpawner; exit: (status: number | undefined) => void; start: (pid: number | undefined) => void } {
  let exit: (status: number | undefined) => void = () => undefined;
  let start: (pid: number | undefined) => void = () => undefined;
  const exited = new Promise<number | undefined>((resolve) => (exit = resolve));
  const started = new Promise<number | undefined>((resolve) => (start = resolve));
  const child: SpawnedProcess = reports ? { pid: process.pid, exited, started } : { pid: process.pid, exited };
  const spawner: MonitorSpawner = {
    kind: 'direct',
    detached: false,
    monitor: async () => child,
    spawn: async () => child,
    close: () => undefined,
  };
  return { spawner, exit: (s) => exit(s), start: (p) => start(p) };
}

async function launch(spawner: MonitorSpawner, dir: string) {
  return launchProcess(dir, RECORD, () => ['runc', 'run', 'x'], 'runc run x', 60_000, spawner);
}

describe('launchProcess: waits for the pid or the recorded outcome', () => {
  it('resolves with the pid runc wrote', async () => {
    const dir = tmp();
    const { spawner } = fakeSpawner();
    const launched = launch(spawner, dir);
    fs.writeFileSync(path.join(dir, 'pid'), '4242');
    expect((await launched).pid).toBe(4242);
  });

  it('an exit recorded with no pid fails with runc\'s own reason and status', async () => {
    const dir = tmp();
    const { spawner, exit } = fakeSpawner();
    const launched = launch(spawner, dir);
    fs.writeFileSync(path.join(dir, 'runc.log'), '{"level":"error","msg":"container_linux.go: bad config"}\n');
    fs.writeFileSync(path.join(dir, 'exit'), '1\n');
    exit(0);
    await expect(launched).rejects.toThrow('runc run x failed: container_linux.go: bad config (runc exit status 1)');
  });

  it('a monitor gone with neither pid nor exit recorded (a full filesystem) fails at once, with what its log says', async () => {
    const dir = tmp();
    const { spawner, exit } = fakeSpawner();
    const launched = launch(spawner, dir);
    fs.writeFileSync(path.join(dir, 'monitor.log'), 'legacyd monitor: cannot record exit status 1: No space left on device\n');
    exit(1);
    // Not the 60 s start timeout's "did not start the process".
    await expect(launched).rejects.toThrow('runc run x failed, and its monitor could not record how: legacyd monitor: cannot record exit status 1: No space left on device');
  });

  it('a monitor whose status is unknown (its helper died) may live on: the launch keeps waiting for the pid', async () => {
    const dir = tmp();
    const { spawner, exit } = fakeSpawner();
    const launched = launch(spawner, dir);
    exit(undefined);
    await new Promise((r) => setTimeout(r, 200));
    fs.writeFileSync(path.join(dir, 'pid'), '4343');
    expect((await launched).pid).toBe(4343);
  });
});

describe('launchProcess with a monitor that reports the start', () => {
  it('takes the reported pid, with no pid file looked at or watched', async () => {
    const dir = tmp();
    const { spawner, start } = fakeSpawner(true);
    const launched = launch(spawner, dir);
    start(4545);
    expect((await launched).pid).toBe(4545);
    expect(fs.existsSync(path.join(dir, 'pid'))).toBe(false);
  });

  it('a report that cannot come (its helper went) leaves the pid file to tell', async () => {
    const dir = tmp();
    const { spawner, start } = fakeSpawner(true);
    const launched = launch(spawner, dir);
    start(undefined);
    fs.writeFileSync(path.join(dir, 'pid'), '4646');
    expect((await launched).pid).toBe(4646);
  });

  it('a runc that failed is reported by its recorded exit, as without reports', async () => {
    const dir = tmp();
    const { spawner, start, exit } = fakeSpawner(true);
    const launched = launch(spawner, dir);
    fs.writeFileSync(path.join(dir, 'runc.log'), '{"level":"error","msg":"no such bundle"}\n');
    fs.writeFileSync(path.join(dir, 'exit'), '1\n');
    start(undefined);
    exit(0);
    await expect(launched).rejects.toThrow('runc run x failed: no such bundle (runc exit status 1)');
  });
});
