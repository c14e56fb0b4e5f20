import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeBundle } from '../helpers/bundle';
import { integrationPrerequisites } from '../helpers/ci';
import { connect, EventCollector, exitOf, findContainer, type ApiClient } from '../helpers/client';
import { startDaemon, type DaemonHandle } from '../helpers/daemon';
import { cleanupAfterTest } from '../helpers/runc';

const ready = integrationPrerequisites();
const CTL = path.resolve(__dirname, '../../dist/src/cli/legacyctl.js');

describe.skipIf(!ready)('the API over TCP (--listen tcp://host:port)', () => {
  let daemon: DaemonHandle;
  let api: ApiClient;
  let url: string;

  beforeAll(async () => {
    // Port 0: the kernel picks one, and the ready line says which.
    daemon = await startDaemon({ extraArgs: ['--listen', 'tcp://127.0.0.1:0'] });
    url = /legacyd ready: serving (tcp:\/\/127\.0\.0\.1:\d+)/.exec(daemon.stderr())![1]!;
    api = connect(url.slice('tcp://'.length));
  });

  afterAll(async () => {
    api?.close();
    await daemon?.destroy();
  });

  it('serves create, State, events and signal to a grpc-js client, and legacyctl reaches it by its tcp:// address', async () => {
    const id = cleanupAfterTest(daemon.runcRoot, 'tcp-web');
    expect(url).not.toMatch(/:0$/);
    const events = await EventCollector.open(api);
    const { pid } = await api.createContainer({ id, bundlePath: await makeBundle(['sleep', '3600']) });
    expect(findContainer(await api.state(), id)?.processes.map((p) => p.pid)).toEqual([pid]);

    const listed = await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [CTL, '--address', url, 'containers', 'list', '--json'], { timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    expect((JSON.parse(listed) as { id: string }[]).map((c) => c.id)).toContain(id);

    await api.signal({ id, pid, signal: 9 });
    expect((await events.waitFor(exitOf(id, pid))).status).toBe(137);
    events.close();
  });
});
