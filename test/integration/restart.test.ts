import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { beforeEach, describe, expect, it } from 'vitest';
import { integrationPrerequisites } from '../helpers/ci';
import { exitOf, findContainer } from '../helpers/client';
import { useDaemon } from '../helpers/fixture';
import { runcState } from '../helpers/runc';
import { eventually, pidAlive, waitPidGone, withTimeout } from '../helpers/wait';

const ready = integrationPrerequisites();

const EXEC = { env: ['PATH=/bin'], cwd: '/' };

describe.skipIf(!ready)('restarts: containers and exit statuses outlive the daemon', () => {
  const t = useDaemon();

  // A test that failed with the daemon down must not take the next one with it.
  beforeEach(async () => {
    if (t.daemon.exited()) t.use(await t.daemon.restart());
  });

  const pids = (id: string, state: Awaited<ReturnType<typeof t.api.state>>) => findContainer(state, id)?.processes.map((p) => p.pid);

  it('after kill -9 of the daemon: exits that happened while it was down arrive with exact statuses, survivors are re-adopted', async () => {
    const a = await t.start('rs-a');
    const b = await t.start('rs-b');
    const c = await t.start('rs-c');
    const exec1 = await t.api.addProcess({ id: 'rs-a', args: ['sleep', '300'], ...EXEC });
    const exec2 = await t.api.addProcess({ id: 'rs-a', args: ['sleep', '300'], ...EXEC });
    const subscriber = await t.events();

    await t.daemon.kill9();
    await withTimeout(subscriber.ended, 15_000, 'the Events stream of the killed daemon to end');
    // While it is down: one container init and one exec process die.
    process.kill(b.pid, 'SIGKILL');
    process.kill(exec1.pid, 'SIGTERM');
    await waitPidGone(b.pid);
    await waitPidGone(exec1.pid);
    t.use(await t.daemon.restart());

    const events = await t.events();
    expect((await events.waitFor(exitOf('rs-b', b.pid))).status).toBe(137);
    expect((await events.waitFor(exitOf('rs-a', exec1.pid))).status).toBe(143);

    await eventually(async () => expect(findContainer(await t.api.state(), 'rs-b')).toBeUndefined());
    const state = await t.api.state();
    expect(findContainer(state, 'rs-a')?.status).toBe('running');
    expect(findContainer(state, 'rs-c')?.status).toBe('running');
    expect(pids('rs-a', state)).toEqual([a.pid, exec2.pid]); // init first, the dead exec gone
    expect(pids('rs-c', state)).toEqual([c.pid]);

    await t.api.signal({ id: 'rs-c', pid: c.pid, signal: 9 });

    expect((await events.waitFor(exitOf('rs-c', c.pid))).status).toBe(137);
  });

  it('a torn container record written while the daemon was down does not stop it from starting', async () => {
    const { pid } = await t.start('rs-survivor');
    expect(await t.daemon.stop()).toBe(0);
    const containers = path.join(t.daemon.stateDir, 'containers');
    expect(fs.existsSync(path.join(containers, 'rs-survivor'))).toBe(true); // the records live where we tear them
    fs.mkdirSync(path.join(containers, 'rs-torn'));
    fs.writeFileSync(path.join(containers, 'rs-torn', 'container.json'), '{"id":');
    fs.mkdirSync(path.join(containers, 'rs-empty'));
    fs.writeFileSync(path.join(containers, 'rs-empty', 'container.json'), '');

    t.use(await t.daemon.restart());

    const state = await t.api.state();
    expect(findContainer(state, 'rs-torn')).toBeUndefined();
    expect(findContainer(state, 'rs-empty')).toBeUndefined();
    expect(pids('rs-survivor', state)).toEqual([pid]);
  });

  it('SIGTERM: exit 0, Events streams end cleanly, containers keep running and the next daemon re-adopts them', async () => {
    const { pid } = await t.start('rs-term');
    const subscriber = await t.events();

    expect(await t.daemon.stop('SIGTERM')).toBe(0);

    expect((await withTimeout(subscriber.ended, 15_000, 'the Events stream to end')).code).toBe(grpc.status.OK);
    expect(pidAlive(pid)).toBe(true);
    expect((await runcState(t.daemon.runcRoot, 'rs-term'))?.status).toBe('running');

    t.use(await t.daemon.restart());

    expect(pids('rs-term', await t.api.state())).toEqual([pid]);
    const events = await t.events();
    await t.api.signal({ id: 'rs-term', pid, signal: 9 });
    expect((await events.waitFor(exitOf('rs-term', pid))).status).toBe(137);
  });

  it('a paused container is re-adopted paused, its neighbour running, and resumes after the restart', async () => {
    const paused = await t.start('rs-paused');
    const running = await t.start('rs-running');
    await t.api.updateContainer({ id: 'rs-paused', status: 'paused' });

    await t.daemon.kill9();
    t.use(await t.daemon.restart());

    const state = await t.api.state();
    expect(findContainer(state, 'rs-paused')?.status).toBe('paused');
    expect(findContainer(state, 'rs-running')?.status).toBe('running');
    expect(pids('rs-paused', state)).toEqual([paused.pid]);
    expect(pids('rs-running', state)).toEqual([running.pid]);
    await t.api.updateContainer({ id: 'rs-paused', status: 'running' });
    expect(findContainer(await t.api.state(), 'rs-paused')?.status).toBe('running');
    expect((await runcState(t.daemon.runcRoot, 'rs-paused'))?.status).toBe('running');
  });

  it('a second SIGTERM during shutdown does not crash it (the original daemon did): exit 0, containers live on', async () => {
    const { pid } = await t.start('rs-term2');

    t.daemon.proc.kill('SIGTERM');
    t.daemon.proc.kill('SIGTERM');

    expect(await t.daemon.waitExit()).toBe(0);
    expect(pidAlive(pid)).toBe(true);
    t.use(await t.daemon.restart());
    expect(pids('rs-term2', await t.api.state())).toEqual([pid]);
  });
});
