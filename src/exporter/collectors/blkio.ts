import type { Collector, CollectorContext } from '../collector';
import { esc, num } from '../collector';
import { Families } from '../family';
import type { Snapshot } from '../source';

/** Block I/O from the blkio lists (v1) or io.stat (v2); device = "major:minor". */
export function blkioCollector(ctx: CollectorContext): Collector {
  const f = new Families(ctx.exposition);
  const readBytes = f.counter('container_fs_reads_bytes_total', 'Cumulative count of bytes read.');
  const writeBytes = f.counter('container_fs_writes_bytes_total', 'Cumulative count of bytes written.');
  const reads = f.counter('container_fs_reads_total', 'Cumulative count of reads completed.');
  const writes = f.counter('container_fs_writes_total', 'Cumulative count of writes completed.');
  const usage = f.counter('container_blkio_device_usage_total', 'Blkio device bytes usage.');
  return {
    name: 'blkio',
    begin: () => f.begin(),
    add(s: Snapshot) {
      const b = s.stats.blkio;
      if (!b) return;
      const l = ctx.labels(s);
      for (const e of b.ioServiceBytesRecursive) {
        const dl = `${l},device="${e.major}:${e.minor}"`;
        if (e.op === 'Read') readBytes.add(dl, num(e.value));
        if (e.op === 'Write') writeBytes.add(dl, num(e.value));
        usage.add(`${dl},major="${e.major}",minor="${e.minor}",operation="${esc(e.op)}"`, num(e.value));
      }
      for (const e of b.ioServicedRecursive) {
        const dl = `${l},device="${e.major}:${e.minor}"`;
        if (e.op === 'Read') reads.add(dl, num(e.value));
        if (e.op === 'Write') writes.add(dl, num(e.value));
      }
    },
  };
}
