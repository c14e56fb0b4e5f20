import type { Collector, CollectorContext } from '../collector';
import { esc, num } from '../collector';
import { Families } from '../family';
import type { Snapshot } from '../source';

export function hugetlbCollector(ctx: CollectorContext): Collector {
  const f = new Families(ctx.exposition);
  const usage = f.gauge('container_hugetlb_usage_bytes', 'Current hugepage usage in bytes.');
  const max = f.gauge('container_hugetlb_max_usage_bytes', 'Maximum hugepage usage recorded in bytes.');
  const failcnt = f.gauge('container_hugetlb_failcnt', 'Number of hugepage usage hits limits.');
  return {
    name: 'hugetlb',
    begin: () => f.begin(),
    add(s: Snapshot) {
      for (const [pagesize, h] of Object.entries(s.stats.hugetlb ?? {})) {
        const l = `${ctx.labels(s)},pagesize="${esc(pagesize)}"`;
        usage.add(l, num(h.usage));
        if (h.maxUsage !== undefined) max.add(l, num(h.maxUsage));
        failcnt.add(l, num(h.failcnt));
      }
    },
  };
}
