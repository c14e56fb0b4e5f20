import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { integrationPrerequisites } from '../helpers/ci';
import { eventOf, exitOf } from '../helpers/client';
import { useDaemon } from '../helpers/fixture';
import type { Stats__Output } from '../../src/proto/generated/types/Stats';

const ready = integrationPrerequisites();

/** Reads `count` messages of a GetStats stream, then cancels it. */
function takeStats(t: ReturnType<typeof useDaemon>, id: string, count: number): Promise<Stats__Output[]> {
  return new Promise((resolve, reject) => {
    const got: Stats__Output[] = [];
    const call = t.api.raw.getStats({ id });
    const timer = setTimeout(() => {
      call.cancel();
      reject(new Error(`only ${got.length} of ${count} stats messages`));
    }, 20_000);
    call.on('data', (m: Stats__Output) => {
      got.push(m);
      if (got.length === count) {
        clearTimeout(timer);
        call.cancel();
        resolve(got);
      }
    });
    call.on('error', (e: grpc.ServiceError) => {
      if (e.code !== grpc.status.CANCELLED) reject(e);
    });
  });
}

describe.skipIf(!ready)('GetStats and OOM events on real containers', () => {
  const t = useDaemon({ extraArgs: ['--stats-interval', '500ms'] });

  it('streams cpu, memory and network stats; a cpu burner\'s total_usage grows between messages', async () => {
    await t.start('stats-burn', ['sh', '-c', 'while :; do :; done']);

    const [first, second] = await takeStats(t, 'stats-burn', 2);

    const cpu1 = BigInt(first!.cgroup_stats!.cpu_stats!.cpu_usage!.total_usage);
    const cpu2 = BigInt(second!.cgroup_stats!.cpu_stats!.cpu_usage!.total_usage);
    expect(cpu2).toBeGreaterThan(cpu1);
    expect(first!.cgroup_stats!.cpu_stats!.cpu_usage!.percpu_usage.length).toBeGreaterThan(0);
    const mem = first!.cgroup_stats!.memory_stats!;
    expect(BigInt(mem.usage!.usage)).toBeGreaterThan(0n);
    expect(Object.keys(mem.stats)).toContain('total_rss');
    expect(first!.network_stats.map((n) => n.name)).toContain('lo');
    // timestamp is Unix seconds (kept from the 2015 API)
    expect(Math.abs(Number(first!.timestamp) - Date.now() / 1000)).toBeLessThan(120);
  });

  it('GetStats of an unknown container is NOT_FOUND', async () => {
    const err = await new Promise<grpc.ServiceError>((resolve) => {
      const call = t.api.raw.getStats({ id: 'stats-nobody' });
      call.on('data', () => undefined);
      call.on('error', resolve);
    });
    expect(err.code).toBe(grpc.status.NOT_FOUND);
    expect(err.details).toContain('stats-nobody');
  });

  it('the stream ends (OK) once the container is killed', async () => {
    const { pid } = await t.start('stats-end');
    const call = t.api.raw.getStats({ id: 'stats-end' });
    const messages: Stats__Output[] = [];
    const ended = new Promise<grpc.StatusObject>((resolve, reject) => {
      call.on('data', (m: Stats__Output) => messages.push(m));
      call.on('status', resolve);
      call.on('error', (e: grpc.ServiceError) => reject(e));
    });
    await new Promise((r) => setTimeout(r, 300));

    await t.api.signal({ id: 'stats-end', pid, signal: 9 });

    const status = await ended;
    expect(status.code).toBe(grpc.status.OK);
    expect(messages.length).toBeGreaterThan(0);
  });

  it('a container that allocates past its memory limit produces an oom event and an exit', async () => {
    const events = await t.events();

    const { pid } = await t.start('stats-oom', ['sh', '-c', 'exec dd if=/dev/zero of=/dev/null bs=64M count=1'], {}, { memoryLimit: 16 * 1024 * 1024 });

    const oom = await events.waitFor(eventOf('oom', 'stats-oom'));
    const exit = await events.waitFor(exitOf('stats-oom', pid));
    expect(oom.pid).toBe(pid);
    expect(exit.status).toBe(137);
    expect(events.indexOf(eventOf('oom', 'stats-oom'))).toBeLessThan(events.indexOf(exitOf('stats-oom', pid)));
  });
});
