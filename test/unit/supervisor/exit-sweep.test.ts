/** The reconcile sweep against real runc containers (needs root and runc). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAN_RUN_RUNC, exitEvent, startedSupervisor } from '../../helpers/runc-supervisor';

describe.skipIf(!CAN_RUN_RUNC)('exit reconcile sweep (real runc)', () => {
  const started = startedSupervisor('sweep', () => ({ reconcileIntervalMs: 100 }));
  const create = (id: string): Promise<number> => started.scratch().create(started.sup(), id);

  it('a monitor killed by hand, then its process, is reported as exit 255 (no exit file will ever come)', async () => {
    const sub = started.sup().subscribe();
    const pid = await create('sweep-lost');
    const mon = JSON.parse(fs.readFileSync(path.join(started.sup().stateDir.processDir('sweep-lost', 'init'), 'monitor.json'), 'utf8')) as { pid: number };
    expect(mon.pid).toBeGreaterThan(0);
    process.kill(mon.pid, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    const exit = await exitEvent(sub, 'sweep-lost');
    expect(exit).toMatchObject({ type: 'exit', id: 'sweep-lost', pid, status: 255 });
    expect(started.sup().has('sweep-lost')).toBe(false);
    sub.end();
  }, 30_000);

  it('a live container is left alone by many sweeps, and its real exit status still arrives', async () => {
    const sub = started.sup().subscribe();
    const pid = await create('sweep-live');
    // Long enough for every process's staggered full check (15 sweeps of 100 ms) to have run.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(started.sup().list().find((c) => c.id === 'sweep-live')?.processes.map((p) => p.pid)).toEqual([pid]);
    process.kill(pid, 'SIGKILL'); // a container's init ignores signals it has no handler for, but not this one
    const exit = await exitEvent(sub, 'sweep-live');
    expect(exit).toMatchObject({ pid, status: 128 + os.constants.signals.SIGKILL });
    sub.end();
  }, 30_000);
});
