import type { Collector, CollectorContext } from '../collector';
import { num } from '../collector';
import { Families } from '../family';
import type { Snapshot } from '../source';

/** pids.current counts tasks (threads); pids.max "max" is reported as 0, as cAdvisor does. */
export function processesCollector(ctx: CollectorContext): Collector {
  const f = new Families(ctx.exposition);
  const procs = f.gauge('container_processes', 'Number of processes running inside the container.');
  const threads = f.gauge('container_threads', 'Number of threads running inside the container.');
  const threadsMax = f.gauge('container_threads_max', 'Maximum number of threads allowed inside the container, 0 if unlimited.');
  return {
    name: 'processes',
    begin: () => f.begin(),
    add(s: Snapshot) {
      const p = s.stats.pids;
      if (!p) return;
      const l = ctx.labels(s);
      procs.add(l, num(p.current));
      threads.add(l, num(p.current));
      threadsMax.add(l, p.limit === 'max' ? 0 : num(p.limit));
    },
  };
}
