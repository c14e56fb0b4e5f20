import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { integrationPrerequisites, requireOrFail } from '../helpers/ci';
import { EventCollector, exitOf } from '../helpers/client';
import { inotifyWatches, openPaths } from '../helpers/fds';
import { makeFifos, openReader } from '../helpers/fifo';
import { useDaemon } from '../helpers/fixture';
import { REPO_ROOT } from '../helpers/paths';
import { freePort } from '../helpers/ports';
import { monitorsUnder, processes } from '../helpers/proc';
import { tempDir } from '../helpers/tmp';
import { eventually } from '../helpers/wait';

const ready = integrationPrerequisites();
const CRIU = '/opt/legacyd-criu/bin/criu';
const criuReady = ready && requireOrFail(`CRIU at ${CRIU} (scripts/install-criu.sh)`, fs.existsSync(CRIU));

/**
 * What a process holds open, as a sorted list: files by path, sockets, pipes and anonymous
 * inodes by kind (their inode numbers change with every connection and are not the point).
 */
function descriptors(pid: number): string[] {
  return openPaths(pid)
    .map((l) => l.replace(/^(socket|pipe):\[\d+\]$/, '$1'))
    .sort();
}

/** The daemon's descendants (its helper, the helper's children...), as `state` letters by pid. */
function descendants(root: number): Map<number, string> {
  const all = processes();
  const out = new Map<number, string>();
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((p) => frontier.includes(p.ppid));
    for (const p of next) out.set(p.pid, p.state);
    frontier = next.map((p) => p.pid);
  }
  return out;
}

/** `read()` once it gives the same twice in a row. */
function settled<T>(read: () => T): Promise<T> {
  return eventually(() => {
    const now = read();
    expect(read()).toEqual(now);
    return now;
  });
}

describe.skipIf(!ready)('a long-running daemon gives back what its containers took', () => {
  const t = useDaemon({ extraArgs: ['--stats-interval', '200ms'] });

  /** Reads one GetStats message, then cancels the stream. */
  function oneStatsMessage(id: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const call = t.api.raw.getStats({ id });
      call.on('data', () => call.cancel());
      call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? resolve() : reject(e)));
      call.on('end', () => reject(new Error('GetStats ended before a message')));
    });
  }

  /** One container through the whole API: fifo output, an exec, stats, events, pause/resume, kill. */
  async function lifeOf(id: string): Promise<void> {
    const io = await makeFifos(await tempDir('legacyd-leak-fifos'));
    const out = openReader(io.stdout);
    const events = await EventCollector.open(t.api);
    try {
      const { pid } = await t.start(id, ['sh', '-c', 'echo up; exec sleep 600'], { stdout: io.stdout });
      await out.waitForText('up\n');
      const exec = await t.api.addProcess({ id, args: ['sh', '-c', 'exit 3'], env: ['PATH=/bin'], cwd: '/' });
      expect((await events.waitFor(exitOf(id, exec.pid))).status).toBe(3);
      await oneStatsMessage(id);
      await t.api.updateContainer({ id, status: 'paused' });
      await t.api.updateContainer({ id, status: 'running' });
      await t.api.signal({ id, pid, signal: 9 });
      expect((await events.waitFor(exitOf(id, pid))).status).toBe(137);
    } finally {
      events.close();
      out.close();
    }
  }

  /** One container checkpointed live, then with exit, restored from it, its checkpoints listed and deleted, killed. */
  async function checkpointedLifeOf(id: string): Promise<void> {
    const events = await EventCollector.open(t.api);
    try {
      const { bundle } = await t.start(id);
      await t.api.createCheckpoint({ id, checkpoint: { name: 'live', exit: false } });
      await t.api.createCheckpoint({ id, checkpoint: { name: 'final', exit: true } });
      const { pid } = await t.api.createContainer({ id, bundlePath: bundle, checkpoint: 'final' });
      expect((await t.api.listCheckpoint({ id })).checkpoints.map((c) => c.name).sort()).toEqual(['final', 'live']);
      for (const name of ['live', 'final']) await t.api.deleteCheckpoint({ id, name });
      await t.api.signal({ id, pid, signal: 9 });
      expect((await events.waitFor(exitOf(id, pid))).status).toBe(137);
    } finally {
      events.close();
    }
  }

  /** What the daemon holds once no container is left: descriptors, inotify watches, child processes. */
  async function holdings(): Promise<{ fds: string[]; watches: number; children: number[] }> {
    const pid = t.daemon.proc.pid!;
    await eventually(async () => {
      expect((await t.api.state()).containers).toEqual([]);
      expect(fs.readdirSync(`${t.daemon.stateDir}/containers`)).toEqual([]);
      expect(monitorsUnder(t.daemon.stateDir).size).toBe(0);
    }, 15_000);
    return settled(() => ({ fds: descriptors(pid), watches: inotifyWatches(pid).length, children: [...descendants(pid).keys()].sort() }));
  }

  /** Runs `lives` after one warm-up life, then expects the daemon to hold what it held between them. */
  async function givesBack(warm: () => Promise<void>, lives: () => Promise<void>): Promise<void> {
    // One life first: what is opened once and kept (the monitor helper's pipes, the cgroup
    // mounts, the stats reader's worker) is then part of the baseline.
    await warm();
    const before = await holdings();
    await lives();
    await eventually(async () => expect(await holdings()).toEqual(before), 10_000);
    // Nothing the daemon started is left unreaped.
    expect([...descendants(t.daemon.proc.pid!).values()]).not.toContain('Z');
  }

  it('after 24 containers lived and died, its descriptors, inotify watches and child processes are what they were', async () => {
    await givesBack(
      () => lifeOf('leak-warm'),
      async () => {
        for (let round = 0; round < 6; round++) await Promise.all(Array.from({ length: 4 }, (_, i) => lifeOf(`leak-${round}-${i}`)));
      },
    );
  });

  it.skipIf(!criuReady)('after 6 containers were checkpointed twice and restored, the same', async () => {
    await givesBack(
      () => checkpointedLifeOf('leak-ck-warm'),
      async () => {
        for (let round = 0; round < 3; round++) await Promise.all([0, 1].map((i) => checkpointedLifeOf(`leak-ck-${round}-${i}`)));
      },
    );
  });

  it('a client killed with Events and GetStats streams open: its streams, subscription and descriptors go', async () => {
    const port = await freePort();
    t.use(await t.daemon.restart({ extraArgs: ['--stats-interval', '200ms', '--metrics-listen', `127.0.0.1:${port}`] }));
    const subscribers = async (): Promise<number> => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      return Number(/^legacyd_event_subscribers (\d+)$/m.exec(text)?.[1]);
    };
    const { pid: init } = await t.start('leak-abrupt');
    const pid = t.daemon.proc.pid!;
    // A scrape first: the exporter keeps the live container's cgroup files open from then on. And
    // one stats stream: its reader's worker thread (its own event loop's descriptors) stays.
    expect(await subscribers()).toBe(0);
    await oneStatsMessage('leak-abrupt');
    const before = await settled(() => descriptors(pid));

    // Another process, as `docker stats` or a CLI would be: it says "open" once both streams run.
    const script = `
      const grpc = require('@grpc/grpc-js');
      const api = require(${JSON.stringify(`${REPO_ROOT}/dist/src/proto/load.js`)}).loadApi();
      const client = new api.types.API(${JSON.stringify(t.daemon.address)}, grpc.credentials.createInsecure());
      const ev = client.Events({}); ev.on('error', () => {}); ev.on('data', () => {});
      const st = client.GetStats({ id: 'leak-abrupt' }); st.on('error', () => {});
      st.once('data', () => console.log('open'));`;
    const child = spawn(process.execPath, ['-e', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout!.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`the client exited (${code}) before its streams opened`)));
      });
      expect(await subscribers()).toBe(1);
      expect(descriptors(pid).length).toBeGreaterThan(before.length); // its connection, the container's kept cgroup files
    } finally {
      child.kill('SIGKILL');
    }

    await eventually(async () => {
      expect(await subscribers()).toBe(0);
      expect(descriptors(pid)).toEqual(before);
    }, 10_000);
    const events = await EventCollector.open(t.api);
    await t.api.signal({ id: 'leak-abrupt', pid: init, signal: 9 });
    expect((await events.waitFor(exitOf('leak-abrupt', init))).status).toBe(137);
    events.close();
  });
});
