import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { integrationPrerequisites } from '../helpers/ci';
import { EventCollector, exitOf } from '../helpers/client';
import { makeFifos, openReader } from '../helpers/fifo';
import { useDaemon } from '../helpers/fixture';
import { tempDir } from '../helpers/tmp';
import { eventually } from '../helpers/wait';

const ready = integrationPrerequisites();

/**
 * What a process holds open, as a sorted list: files by path, sockets, pipes and anonymous
 * inodes by kind (their inode numbers change with every connection and are not the point).
 */
function descriptors(pid: number): string[] {
  const dir = `/proc/${pid}/fd`;
  return fs
    .readdirSync(dir)
    .flatMap((fd) => {
      try {
        return [fs.readlinkSync(`${dir}/${fd}`).replace(/^(socket|pipe):\[\d+\]$/, '$1')];
      } catch {
        return []; // closed while listing
      }
    })
    .sort();
}

/** inotify watches a process holds, over all its inotify descriptors. */
function inotifyWatches(pid: number): number {
  let n = 0;
  for (const fd of fs.readdirSync(`/proc/${pid}/fdinfo`)) {
    try {
      n += fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8').split('\n').filter((l) => l.startsWith('inotify wd:')).length;
    } catch {
      // closed while listing
    }
  }
  return n;
}

describe.skipIf(!ready)('a long-running daemon gives back what its containers took', () => {
  const t = useDaemon({ extraArgs: ['--stats-interval', '200ms'] });

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
      await new Promise<void>((resolve, reject) => {
        const call = t.api.raw.getStats({ id });
        call.on('data', () => call.cancel());
        call.on('error', (e: grpc.ServiceError) => (e.code === grpc.status.CANCELLED ? resolve() : reject(e)));
        call.on('end', () => reject(new Error('GetStats ended before a message')));
      });
      await t.api.updateContainer({ id, status: 'paused' });
      await t.api.updateContainer({ id, status: 'running' });
      await t.api.signal({ id, pid, signal: 9 });
      expect((await events.waitFor(exitOf(id, pid))).status).toBe(137);
    } finally {
      events.close();
      out.close();
    }
  }

  it('after 24 containers lived and died, its descriptors and inotify watches are what they were', async () => {
    const pid = t.daemon.proc.pid!;
    const noContainers = async (): Promise<void> => {
      await eventually(async () => expect((await t.api.state()).containers).toEqual([]), 15_000);
    };
    // One life first: what is opened once and kept (the monitor helper's pipes, the cgroup
    // mounts) is then part of the baseline.
    await lifeOf('leak-warm');
    await noContainers();
    const fdsBefore = await eventually(() => {
      const a = descriptors(pid);
      expect(descriptors(pid)).toEqual(a); // settled
      return a;
    });
    const watchesBefore = inotifyWatches(pid);

    for (let round = 0; round < 6; round++) {
      await Promise.all(Array.from({ length: 4 }, (_, i) => lifeOf(`leak-${round}-${i}`)));
    }
    await noContainers();

    await eventually(() => {
      expect(descriptors(pid)).toEqual(fdsBefore);
      expect(inotifyWatches(pid)).toBe(watchesBefore);
      expect(fs.readdirSync(`${t.daemon.stateDir}/containers`)).toEqual([]);
    }, 10_000);
  });
});
