import type { Collector, CollectorContext } from '../collector';
import { num } from '../collector';
import { Families } from '../family';
import type { Snapshot } from '../source';

const NS = 1e9;

export function cpuCollector(ctx: CollectorContext): Collector {
  const f = new Families(ctx.exposition);
  const usage = f.counter('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.');
  const user = f.counter('container_cpu_user_seconds_total', 'Cumulative user cpu time consumed in seconds.');
  const system = f.counter('container_cpu_system_seconds_total', 'Cumulative system cpu time consumed in seconds.');
  const periods = f.counter('container_cpu_cfs_periods_total', 'Number of elapsed enforcement period intervals.');
  const throttled = f.counter('container_cpu_cfs_throttled_periods_total', 'Number of throttled period intervals.');
  const throttledS = f.counter('container_cpu_cfs_throttled_seconds_total', 'Total time duration the container has been throttled.');
  return {
    name: 'cpu',
    begin: () => f.begin(),
    add(s: Snapshot) {
      const cpu = s.stats.cpu;
      if (!cpu) return;
      const l = ctx.labels(s);
      if (cpu.usage) {
        // cpu="total" only: per-cpu series too would double every sum() in the dashboards.
        usage.add(`${l},cpu="total"`, num(cpu.usage.total) / NS);
        user.add(l, num(cpu.usage.user) / NS);
        system.add(l, num(cpu.usage.kernel) / NS);
      }
      if (cpu.throttling) {
        periods.add(l, num(cpu.throttling.periods));
        throttled.add(l, num(cpu.throttling.throttledPeriods));
        throttledS.add(l, num(cpu.throttling.throttledTime) / NS);
      }
    },
  };
}
