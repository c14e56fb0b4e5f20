/** Failure paths: one bad file costs its group only; gone processes and bad input are typed errors. */
import { cpSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CgroupReader, readNetDev } from '../../../src/cgroups';
import { EVERY_GROUP_MISSING, FIXTURES, rootsOf, scratchTrees } from './helpers';

const trees = scratchTrees('cgroups-errors-');
afterAll(() => trees.remove());
const copyTree = trees.copy;

describe('a malformed or missing file fails its group, not the read', () => {
  it('v2: malformed memory.stat and missing io.stat are reported; cpu and pids still come back', async () => {
    const roots = rootsOf('v2-broken');
    const s = await (await new CgroupReader(roots).forPid(5000)).stats();
    expect(s.errors).toEqual([
      { group: 'memory', kind: 'malformed', message: 'memory.stat: line 3 "foo" is not "key value"' },
      { group: 'blkio', kind: 'missing', message: `io.stat: not found (${roots.cgroupRoot}/legacyd/broken/io.stat)` },
    ]);
    expect(s.memory).toBeUndefined();
    expect(s.blkio).toBeUndefined();
    expect(s.cpu).toEqual({
      usage: { total: 2000000n, user: 1500000n, kernel: 500000n },
      throttling: { periods: 0n, throttledPeriods: 0n, throttledTime: 0n },
      spec: { quotaUs: 'max', periodUs: 100000n, weight: 100n },
    });
    expect(s.pids).toEqual({ current: 2n, limit: 100n });
  });

  it('v1: a missing cpuacct.usage and a garbage pids.max fail cpu and pids; memory, blkio, hugetlb come back', async () => {
    const t = copyTree('v1-nested', 'v1-damaged');
    const dir = (c: string) => join(t.cgroupRoot, c, 'legacyd/c1');
    unlinkSync(join(dir('cpu,cpuacct'), 'cpuacct.usage'));
    writeFileSync(join(dir('pids'), 'pids.max'), 'unlimited\n');
    const s = await (await new CgroupReader(t).forPid(77)).stats();
    expect(s.errors).toEqual([
      { group: 'cpu', kind: 'missing', message: `cpuacct.usage: not found (${dir('cpu,cpuacct')}/cpuacct.usage)` },
      { group: 'pids', kind: 'malformed', message: 'pids.max: "unlimited" is not an unsigned integer or "max"' },
    ]);
    expect(s.cpu).toBeUndefined();
    expect(s.pids).toBeUndefined();
    expect(s.memory!.usage.usage).toBe(33554432n);
    expect(s.blkio!.ioServiceBytesRecursive).toHaveLength(5);
    expect(Object.keys(s.hugetlb!)).toEqual(['2MB', '1GB']);
  });

  it('v1: memsw usage without its failcnt is an error, not a half-filled swap', async () => {
    const t = copyTree('hybrid-runc', 'half-memsw');
    const r = new CgroupReader(t);
    const pid = Number(/memlimit_PID=(\d+)/.exec(readFileSync(join(t.base, 'containers.env'), 'utf8'))![1]);
    const cg = await r.forPid(pid);
    unlinkSync(join(cg.dirs.memory!, 'memory.memsw.failcnt'));
    const s = await cg.stats();
    expect(s.memory).toBeUndefined();
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]).toMatchObject({ group: 'memory', kind: 'missing' });
    expect(s.errors[0]!.message).toMatch(/^memory\.memsw\.failcnt: not found while memory\.memsw\.usage_in_bytes exists/);
    expect(s.cpu).toBeDefined();
  });

  it('a memory.stat without a required key names the key', async () => {
    const t = copyTree('v2', 'no-anon');
    const stat = join(t.cgroupRoot, 'legacyd/web/memory.stat');
    writeFileSync(stat, 'file 1\ninactive_file 0\nfile_mapped 0\npgfault 0\npgmajfault 0\n');
    const s = await (await new CgroupReader(t).forPid(4242)).stats();
    expect(s.errors).toEqual([{ group: 'memory', kind: 'malformed', message: 'memory.stat: no "anon" line' }]);
  });

  it('a removed cgroup reports every group missing and still resolves', async () => {
    const t = copyTree('v2', 'removed');
    const cg = await new CgroupReader(t).forPid(4242);
    rmSync(join(t.cgroupRoot, 'legacyd/web'), { recursive: true });
    const s = await cg.stats();
    expect(s.errors.map((e) => [e.group, e.kind])).toEqual(EVERY_GROUP_MISSING);
    await expect(cg.oomKills()).rejects.toMatchObject({ kind: 'missing', file: 'memory.events' });
  });
});

describe('v1 blkio source', () => {
  it('falls back to blkio.throttle.* when the CFQ files exist but hold no device', async () => {
    const t = copyTree('v1-nested', 'cfq-empty');
    const dir = join(t.cgroupRoot, 'blkio/legacyd/c1');
    for (const f of ['io_service_bytes', 'io_serviced', 'io_queued', 'io_service_time', 'io_wait_time', 'io_merged']) {
      writeFileSync(join(dir, `blkio.${f}_recursive`), 'Total 0\n');
    }
    writeFileSync(join(dir, 'blkio.time_recursive'), '');
    writeFileSync(join(dir, 'blkio.sectors_recursive'), '');
    const b = (await (await new CgroupReader(t).forPid(77)).stats()).blkio!;
    expect(b.ioServiceBytesRecursive.find((e) => e.op === 'Read')).toEqual({ major: 8, minor: 0, op: 'Read', value: 999n });
    expect(b.ioServicedRecursive.find((e) => e.op === 'Total')).toEqual({ major: 8, minor: 0, op: 'Total', value: 18n });
    expect(b.ioTimeRecursive).toEqual([]);
  });
});

describe('nothing but the mount table is cached', () => {
  it('every stats() reads the files again', async () => {
    const t = copyTree('v2', 'fresh');
    const cg = await new CgroupReader(t).forPid(4242);
    expect((await cg.stats()).memory!.usage.usage).toBe(104857600n);
    writeFileSync(join(t.cgroupRoot, 'legacyd/web/memory.current'), '1\n');
    expect((await cg.stats()).memory!.usage.usage).toBe(1n);
  });

  it('the mount table is read once per reader until refresh()', async () => {
    const t = copyTree('v2', 'remount');
    const r = new CgroupReader(t);
    expect(await r.mode()).toBe('v2');
    cpSync(join(FIXTURES, 'v1-nested/proc/self/mountinfo'), join(t.procRoot, 'self/mountinfo'));
    expect(await r.mode()).toBe('v2');
    r.refresh();
    expect(await r.mode()).toBe('v1');
  });
});

describe('typed errors for processes and input', () => {
  const roots = rootsOf('v2');

  it('forPid of a gone process is not-found', async () => {
    await expect(new CgroupReader(roots).forPid(999999)).rejects.toMatchObject({
      name: 'LegacydError',
      kind: 'not-found',
      message: `process 999999 not found (${roots.procRoot}/999999/cgroup)`,
    });
  });

  it('forPid of a bad pid is invalid-argument', async () => {
    for (const pid of [0, -1, 1.5, Number.NaN]) {
      await expect(new CgroupReader(roots).forPid(pid)).rejects.toMatchObject({ kind: 'invalid-argument' });
    }
  });

  it('forPid on v2 whose cgroup directory is gone is not-found', async () => {
    const t = copyTree('v2', 'gone-dir');
    rmSync(join(t.cgroupRoot, 'legacyd/minimal'), { recursive: true });
    await expect(new CgroupReader(t).forPid(4343)).rejects.toMatchObject({
      kind: 'not-found',
      message: expect.stringContaining('cgroup /legacyd/minimal of process 4343 not found'),
    });
  });

  it('a missing mountinfo is not-found, and is not cached', async () => {
    const t = copyTree('v2', 'no-mountinfo');
    const mi = join(t.procRoot, 'self/mountinfo');
    const saved = readFileSync(mi);
    unlinkSync(mi);
    const r = new CgroupReader(t);
    await expect(r.mode()).rejects.toMatchObject({ kind: 'not-found', message: expect.stringContaining('self/mountinfo: ENOENT') });
    writeFileSync(mi, saved);
    expect(await r.mode()).toBe('v2');
  });

  it('readNetDev of a gone process is not-found; a malformed file is internal', async () => {
    await expect(readNetDev(roots.procRoot, 999999)).rejects.toMatchObject({ kind: 'not-found' });
    const t = copyTree('v2', 'bad-net');
    writeFileSync(join(t.procRoot, '4242/net/dev'), 'Inter-|\n face |\n  eth0: 1 2\n');
    await expect(readNetDev(t.procRoot, 4242)).rejects.toMatchObject({
      kind: 'internal',
      message: `${t.procRoot}/4242/net/dev: line 3 (eth0) has 2 counters, want 16`,
    });
  });
});
