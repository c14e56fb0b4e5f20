import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBundle } from '../helpers/bundle';
import { integrationPrerequisites } from '../helpers/ci';
import { useDaemon } from '../helpers/fixture';
import { generatePythonStubs, runPython } from '../helpers/python';

const ready = integrationPrerequisites({ python: true });

const CLIENT = path.join(__dirname, 'python', 'interop_client.py');

/** What interop_client.py prints. */
interface Summary {
  create_pid: number;
  exec_pid: number;
  exit: { id: string; pid: number; status: number };
  events_seen: string[];
  containers: Array<{ id: string; status: string; bundlePath: string; pids: number[] }>;
  machine: { id: string; cpus: number; memory: number };
}

describe.skipIf(!ready)('interop: a Python client built from api.proto with grpc_tools', () => {
  const t = useDaemon();

  it('creates a container, sees its exec process exit with status 5, and reads State', async () => {
    const stubs = await generatePythonStubs();
    const bundle = await makeBundle(['sleep', '3600']);
    const id = t.track('py-interop');

    const stdout = await runPython(CLIENT, ['--address', t.daemon.address, '--stubs', stubs, '--id', id, '--bundle', bundle]);
    const summary = JSON.parse(stdout.trim().split('\n').pop()!) as Summary;

    expect(summary.create_pid).toBeGreaterThan(0);
    expect(summary.exec_pid).toBeGreaterThan(0);
    expect(summary.exit).toEqual({ id, pid: summary.exec_pid, status: 5 });
    const container = summary.containers.find((c) => c.id === id);
    expect(container).toMatchObject({ status: 'running', bundlePath: bundle });
    expect(container!.pids[0]).toBe(summary.create_pid);
    // Memory in bytes (the original put the cpu count there).
    expect(summary.machine.memory).toBe(os.totalmem());
    expect(summary.machine.cpus).toBe(os.cpus().length);
  });
});
