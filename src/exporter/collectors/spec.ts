import type { Collector, CollectorContext } from '../collector';
import { num } from '../collector';
import { Families } from '../family';
import type { Snapshot } from '../source';

/** Limits and lifecycle. Unlimited ("max") limits are left out rather than reported as a number. */
export function specCollector(ctx: CollectorContext, now: () => number = Date.now): Collector {
  const f = new Families(ctx.exposition);
  const period = f.gauge('container_spec_cpu_period', 'CPU period of the container.');
  const quota = f.gauge('container_spec_cpu_quota', 'CPU quota of the container.');
  const shares = f.gauge('container_spec_cpu_shares', 'CPU share of the container.');
  const memLimit = f.gauge('container_spec_memory_limit_bytes', 'Memory limit for the container.');
  const start = f.gauge('container_start_time_seconds', 'Start time of the container since unix epoch in seconds.');
  const lastSeen = f.gauge('container_last_seen', 'Last time a container was seen by the exporter.');
  let seen = 0;
  return {
    name: 'spec',
    begin() {
      f.begin();
      // One container_last_seen value for the whole scrape.
      seen = Math.floor(now() / 1000);
    },
    add(s: Snapshot) {
      const l = ctx.labels(s);
      const cs = s.stats.cpu?.spec;
      if (cs) {
        period.add(l, num(cs.periodUs));
        if (cs.quotaUs !== 'max') quota.add(l, num(cs.quotaUs));
        if (cs.shares !== undefined) shares.add(l, num(cs.shares));
      }
      const lim = s.stats.memory?.limit;
      if (lim !== undefined && lim !== 'max') memLimit.add(l, num(lim));
      const t = Date.parse(s.meta.createdAt);
      if (Number.isFinite(t)) start.add(l, t / 1000);
      lastSeen.add(l, seen);
    },
  };
}
