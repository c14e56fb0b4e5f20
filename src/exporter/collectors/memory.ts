import type { Collector, CollectorContext } from '../collector';
import { num } from '../collector';
import { Families } from '../family';
import type { Snapshot } from '../source';

export function memoryCollector(ctx: CollectorContext): Collector {
  const f = new Families(ctx.exposition);
  const usage = f.gauge('container_memory_usage_bytes', 'Current memory usage in bytes, including all memory regardless of when it was accessed.');
  const maxUsage = f.gauge('container_memory_max_usage_bytes', 'Maximum memory usage recorded in bytes.');
  const workingSet = f.gauge('container_memory_working_set_bytes', 'Current working set in bytes (usage minus inactive file).');
  const rss = f.gauge('container_memory_rss', 'Size of RSS in bytes.');
  const cache = f.gauge('container_memory_cache', 'Number of bytes of page cache memory.');
  const swap = f.gauge('container_memory_swap', 'Container swap usage in bytes.');
  const mapped = f.gauge('container_memory_mapped_file', 'Size of memory mapped files in bytes.');
  const kernel = f.gauge('container_memory_kernel_usage', 'Size of kernel memory allocated in bytes.');
  const failcnt = f.gauge('container_memory_failcnt', 'Number of memory usage hits limits.');
  const failures = f.counter('container_memory_failures_total', 'Cumulative count of memory allocation failures.');
  const oom = f.counter('container_oom_events_total', 'Count of out of memory events observed for the container.');
  return {
    name: 'memory',
    begin: () => f.begin(),
    add(s: Snapshot) {
      const m = s.stats.memory;
      if (!m) return;
      const l = ctx.labels(s);
      usage.add(l, num(m.usage.usage));
      if (m.usage.maxUsage !== undefined) maxUsage.add(l, num(m.usage.maxUsage));
      workingSet.add(l, num(m.workingSet));
      rss.add(l, num(m.rss));
      cache.add(l, num(m.cache));
      if (m.swap !== undefined) swap.add(l, num(m.swap));
      mapped.add(l, num(m.mappedFile));
      if (m.kernelUsage) kernel.add(l, num(m.kernelUsage.usage));
      failcnt.add(l, num(m.usage.failcnt));
      for (const scope of ['container', 'hierarchy'] as const) {
        failures.add(`${l},failure_type="pgfault",scope="${scope}"`, num(m.failures[scope].pgfault));
        failures.add(`${l},failure_type="pgmajfault",scope="${scope}"`, num(m.failures[scope].pgmajfault));
      }
      if (m.oomKills !== undefined) oom.add(l, num(m.oomKills));
    },
  };
}
