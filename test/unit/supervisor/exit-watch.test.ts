/** How the supervisor learns of exits from monitors its helper started (needs root and runc). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HelperSpawner } from '../../../src/supervisor/helper-spawner';
import { requireOrFail } from '../../helpers/ci';
import { inotifyWatches } from '../../helpers/fds';
import { mustBeBuilt } from '../../helpers/native';
import { statOf } from '../../helpers/proc';
import { CAN_RUN_RUNC, exitEvent, startedSupervisor } from '../../helpers/runc-supervisor';

const canRun = requireOrFail('root and runc (exit watch with real containers)', CAN_RUN_RUNC);

// No reconcile sweep runs in these tests (an hour apart): only the reports and the watches can tell.
describe.skipIf(!canRun)('exits of monitors the helper started (real runc, no sweep)', () => {
  const started = startedSupervisor('exitwatch', async () => ({ reconcileIntervalMs: 3_600_000, spawner: await HelperSpawner.start({ native: mustBeBuilt() }) }));
  const create = (id: string): Promise<number> => started.scratch().create(started.sup(), id);
  const initDir = (id: string): string => started.sup().stateDir.processDir(id, 'init');

  it('needs no inotify watch on the process\'s dir: the helper\'s report of its monitor\'s exit brings the exact status', async () => {
    const sub = started.sup().subscribe();
    const pid = await create('ew-report');
    expect(inotifyWatches().includes(fs.statSync(initDir('ew-report')).ino)).toBe(false);
    process.kill(pid, 'SIGKILL');
    const exit = await exitEvent(sub, 'ew-report');
    expect(exit).toMatchObject({ pid, status: 137 });
    sub.end();
  }, 30_000);

  it('when the helper dies its monitors live on, and their dirs are watched from then on: the exit still comes', async () => {
    const sub = started.sup().subscribe();
    const pid = await create('ew-orphan');
    const dir = initDir('ew-orphan');
    const monitor = (JSON.parse(fs.readFileSync(path.join(dir, 'monitor.json'), 'utf8')) as { pid: number }).pid;
    const helperPid = Number(statOf(monitor)[1]);
    expect(fs.readFileSync(`/proc/${helperPid}/comm`, 'utf8').trim()).toBe('legacyd-helper');
    process.kill(helperPid, 'SIGKILL');
    const ino = fs.statSync(dir).ino;
    for (let i = 0; i < 500 && !inotifyWatches().includes(ino); i++) await new Promise((r) => setTimeout(r, 10));
    expect(inotifyWatches().includes(ino)).toBe(true);
    expect(fs.existsSync(`/proc/${monitor}`)).toBe(true);
    process.kill(pid, 'SIGTERM');
    process.kill(pid, 'SIGKILL');
    const exit = await exitEvent(sub, 'ew-orphan');
    expect(exit).toMatchObject({ pid, status: 137 });
    sub.end();
  }, 30_000);
});
