import type { ServerWritableStream } from '@grpc/grpc-js';
import type { CgroupReader } from '../../cgroups';
import type { Supervisor } from '../../supervisor';
import { checkContainerId } from '../../supervisor';
import type { StatsRequest__Output } from '../../proto/generated/types/StatsRequest';
import type { Stats } from '../../proto/generated/types/Stats';
import { statsMsg } from '../stats-convert';
import { StreamedCgroups } from './stats-cgroups';
import { serverStream, writeMessage, type HandlerContext } from '../wrap';

/**
 * GetStats: the first message at once (the 2015 original waited a tick), then one per
 * interval; the stream ends OK when the container is gone, the client cancels or the daemon
 * stops. Nothing is read, or kept open, for containers nobody watches.
 */
export function getStats(ctx: HandlerContext, sup: Supervisor, cgroups: CgroupReader, intervalMs: number) {
  const streamed = new StreamedCgroups(cgroups);
  return serverStream<StatsRequest__Output, Stats>(ctx, 'GetStats', async (call: ServerWritableStream<StatsRequest__Output, Stats>) => {
    const id = checkContainerId(call.request.id);
    const { pid } = sup.get(id); // NOT_FOUND for an unknown container
    const cgroup = await streamed.acquire(id, pid);
    const stop = new AbortController();
    const onStop = (): void => stop.abort();
    call.on('cancelled', onStop);
    sup.stopped.addEventListener('abort', onStop);
    try {
      while (!stop.signal.aborted && alive(sup, id, pid)) {
        const [cg, net] = await Promise.all([cgroup.stats(), cgroups.readNetDev(pid).catch(() => [])]);
        // The container may have gone while we read: then its stats are not sent.
        if (!alive(sup, id, pid) || stop.signal.aborted) return;
        await writeMessage(call, statsMsg(cg, net));
        await sleep(intervalMs, stop.signal);
      }
    } finally {
      sup.stopped.removeEventListener('abort', onStop);
      streamed.release(id, pid);
    }
  });
}

function alive(sup: Supervisor, id: string, pid: number): boolean {
  if (!sup.has(id)) return false;
  try {
    return sup.get(id).pid === pid;
  } catch {
    return false;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
