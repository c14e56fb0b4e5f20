import * as fs from 'node:fs';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle } from '../helpers/bundle';
import { integrationPrerequisites } from '../helpers/ci';
import { fillWith, mountTmpfs, unmount } from '../helpers/disk';
import { connect, EventCollector, exitOf, expectCode, findContainer, type ApiClient } from '../helpers/client';
import { startDaemon, type DaemonHandle } from '../helpers/daemon';
import { runcList } from '../helpers/runc';
import { removeDir, tempDir } from '../helpers/tmp';
import { eventually } from '../helpers/wait';

const ready = integrationPrerequisites();

describe.skipIf(!ready)('a full state filesystem', () => {
  let stateDir: string;
  let daemon: DaemonHandle;
  let api: ApiClient;

  beforeAll(async () => {
    // A small tmpfs of its own as the state dir (runc's root is inside it too).
    stateDir = await tempDir('legacyd-full');
    mountTmpfs(stateDir, '1m', '0711');
    daemon = await startDaemon({ stateDir });
    api = connect(daemon.address);
  });

  afterAll(async () => {
    api?.close();
    await daemon?.destroy();
    if (stateDir) {
      unmount(stateDir);
      await removeDir(stateDir);
    }
  });

  it('fails creates and execs with RESOURCE_EXHAUSTED, leaves nothing half-made, and loses no exit status', async () => {
    const bundle = await makeBundle(['sleep', '3600']);
    const events = await EventCollector.open(api);
    const { pid: init } = await api.createContainer({ id: 'full-a', bundlePath: bundle });
    const { pid: exec } = await api.addProcess({ id: 'full-a', args: ['sleep', '3600'], env: ['PATH=/bin'], cwd: '/' });
    const filler = path.join(stateDir, 'filler');
    fillWith(filler);

    const create = await expectCode(api.createContainer({ id: 'full-b', bundlePath: bundle }), grpc.status.RESOURCE_EXHAUSTED);
    expect(create.details).toMatch(/full-b.*no space left on device/i);
    const add = await expectCode(api.addProcess({ id: 'full-a', args: ['true'], env: ['PATH=/bin'], cwd: '/' }), grpc.status.RESOURCE_EXHAUSTED);
    expect(add.details).toMatch(/no space left on device/i);
    const state = await api.state();
    expect(findContainer(state, 'full-b')).toBeUndefined();
    expect(findContainer(state, 'full-a')?.processes.map((p) => p.pid)).toEqual([init, exec]);
    expect(fs.readdirSync(path.join(stateDir, 'containers'))).toEqual(['full-a']);
    expect((await runcList(daemon.runcRoot)).map((c) => c.id)).toEqual(['full-a']);

    // Exits while it is full: their exact statuses (the monitors took the room for them at the start).
    process.kill(exec, 'SIGTERM');
    expect((await events.waitFor(exitOf('full-a', exec))).status).toBe(143);
    await api.signal({ id: 'full-a', pid: init, signal: 9 });
    expect((await events.waitFor(exitOf('full-a', init))).status).toBe(137);

    // With room again, it works as before.
    fs.rmSync(filler);
    const { pid: again } = await api.createContainer({ id: 'full-c', bundlePath: bundle });
    await api.signal({ id: 'full-c', pid: again, signal: 9 });
    expect((await events.waitFor(exitOf('full-c', again))).status).toBe(137);
    await eventually(async () => expect((await api.state()).containers).toEqual([]));
    events.close();
  });
});
