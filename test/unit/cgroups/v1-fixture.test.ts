/** The hand-written pure v1 tree (test/fixtures/cgroups/v1-nested, see its README). */
import { describe, expect, it } from 'vitest';
import { CgroupReader } from '../../../src/cgroups';
import { rootsOf } from './helpers';

const roots = rootsOf('v1-nested');
const PID = 77;

async function statsOf() {
  return (await new CgroupReader(roots).forPid(PID)).stats();
}

const ops = (major: number, minor: number, read: bigint, write: bigint) => [
  { major, minor, op: 'Read', value: read },
  { major, minor, op: 'Write', value: write },
  { major, minor, op: 'Sync', value: write },
  { major, minor, op: 'Async', value: read },
  { major, minor, op: 'Total', value: read + write },
];

describe('pure v1 host with nested mount roots and cpu,cpuacct together', () => {
  it('is detected as v1', async () => {
    expect(await new CgroupReader(roots).mode()).toBe('v1');
  });

  it('reads cpu from the shared hierarchy; -1 quota is max', async () => {
    const s = await statsOf();
    expect(s.errors).toEqual([]);
    expect(s.cpu).toEqual({
      usage: {
        total: 5000000000n,
        perCpu: [1000000000n, 1500000000n, 2000000000n, 500000000n],
        user: 3000000000n,
        kernel: 1500000000n,
      },
      throttling: { periods: 0n, throttledPeriods: 0n, throttledTime: 0n },
      spec: { periodUs: 100000n, quotaUs: 'max', shares: 512n },
    });
  });

  it('reads memory from the nested mount; hierarchical totals for rss/mapped/working set', async () => {
    const m = (await statsOf()).memory!;
    expect(m.usage).toEqual({ usage: 33554432n, maxUsage: 41943040n, failcnt: 5n });
    expect(m.limit).toBe('max');
    expect(m.cache).toBe(16777216n);
    expect(m.rss).toBe(14680064n); // total_rss, not rss
    expect(m.mappedFile).toBe(6291456n); // total_mapped_file
    expect(m.workingSet).toBe(33554432n - 10485760n); // total_inactive_file
    expect(m.failures).toEqual({ container: { pgfault: 4000n, pgmajfault: 12n }, hierarchy: { pgfault: 4500n, pgmajfault: 13n } });
    expect(Object.keys(m.stats)).toHaveLength(33);
  });

  it('leaves swap, kernel usage and the OOM count absent without memsw, kmem and oom_kill', async () => {
    const cg = await new CgroupReader(roots).forPid(PID);
    const m = (await cg.stats()).memory!;
    expect(m.swapUsage).toBeUndefined();
    expect(m.kernelUsage).toBeUndefined();
    expect(m.swap).toBeUndefined();
    expect(m.oomKills).toBeUndefined();
    expect(await cg.oomKills()).toBeUndefined();
  });

  it('reads all eight CFQ recursive lists and ignores the throttle files when they have data', async () => {
    const b = (await statsOf()).blkio!;
    expect(b).toEqual({
      ioServiceBytesRecursive: ops(8, 0, 4096n, 8192n),
      ioServicedRecursive: ops(8, 0, 1n, 2n),
      ioQueuedRecursive: ops(8, 0, 0n, 0n),
      ioServiceTimeRecursive: ops(8, 0, 1000n, 2000n),
      ioWaitTimeRecursive: ops(8, 0, 10n, 20n),
      ioMergedRecursive: ops(8, 0, 0n, 1n),
      ioTimeRecursive: [{ major: 8, minor: 0, op: '', value: 42n }],
      sectorsRecursive: [{ major: 8, minor: 0, op: '', value: 24n }],
    });
  });

  it('reads hugetlb usage, max usage and failcnt per page size', async () => {
    expect((await statsOf()).hugetlb).toEqual({
      '2MB': { usage: 2097152n, maxUsage: 6291456n, failcnt: 1n },
      '1GB': { usage: 0n, maxUsage: 0n, failcnt: 0n },
    });
  });

  it('reads pids', async () => {
    expect((await statsOf()).pids).toEqual({ current: 3n, limit: 'max' });
  });

  it('reads every interface of net/dev', async () => {
    const devs = await new CgroupReader(roots).readNetDev(PID);
    expect(devs).toEqual([
      { name: 'lo', rxBytes: 100n, rxPackets: 1n, rxErrors: 0n, rxDropped: 0n, txBytes: 100n, txPackets: 1n, txErrors: 0n, txDropped: 0n },
      { name: 'eth0', rxBytes: 20000n, rxPackets: 200n, rxErrors: 1n, rxDropped: 2n, txBytes: 30000n, txPackets: 300n, txErrors: 3n, txDropped: 4n },
    ]);
  });
});
