/**
 * Cgroup.sample() (the exporter's read) against stats() (GetStats's, exact u64): with a blocking
 * reader sample() parses bytes (sample-v1.ts, scan-bytes.ts); it must give stats()'s values as
 * numbers and fail exactly the groups stats() fails, with the same errors.
 */
import { readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CgroupReader, createSyncFileReader, netDevSampleOf, sampleOf, type CgroupRoots } from '../../../src/cgroups';
import { EVERY_GROUP_MISSING, rootsOf, scratchTrees } from './helpers';

const trees = scratchTrees('cgroups-sample-');
afterAll(() => trees.remove());
const copyTree = trees.copy;
const scratch = trees.dir;

const pidsOf = (roots: CgroupRoots): number[] => readdirSync(roots.procRoot).filter((p) => /^\d+$/.test(p)).map(Number);

/** sample() twice (the first v1 read takes stats()'s blkio path, later ones the byte parser) against stats() as numbers, for every process of the tree. */
async function expectSameAsStats(roots: CgroupRoots): Promise<void> {
  for (const pid of pidsOf(roots)) {
    const reader = new CgroupReader({ ...roots, io: 'sync' });
    const cg = await reader.forPid(pid);
    const want = sampleOf(await cg.stats());
    expect(await cg.sample()).toEqual(want);
    expect(await cg.sample()).toEqual(want);
    // And through the async reader (stats() as numbers there).
    expect(await (await new CgroupReader(roots).forPid(pid)).sample()).toEqual(want);
    expect(await reader.sampleNetDev(pid)).toEqual(netDevSampleOf(await reader.readNetDev(pid)));
  }
}

describe('sample() = stats() as numbers', () => {
  for (const tree of ['hybrid-runc', 'v1-nested', 'v2', 'v2-broken']) {
    it(`on the ${tree} fixture`, async () => {
      await expectSameAsStats(rootsOf(tree));
    });
  }

  it('hybrid-runc holds real values: a limit, "max" limits and the counters', async () => {
    const roots = rootsOf('hybrid-runc');
    const r = new CgroupReader({ ...roots, io: 'sync' });
    const samples = await Promise.all(pidsOf(roots).map(async (pid) => (await r.forPid(pid)).sample()));
    expect(samples.some((s) => s.memory!.limit === 'max')).toBe(true);
    expect(samples.some((s) => typeof s.memory!.limit === 'number')).toBe(true);
    for (const s of samples) {
      expect(s.errors).toEqual([]);
      expect(s.cpu!.usage!.total).toBeGreaterThan(0);
    }
  });
});

describe('sample() on damaged v1 trees fails what stats() fails', () => {
  const cases: Array<[string, (dir: (c: string) => string) => void]> = [
    ['a missing cpuacct.usage and a garbage pids.max', (dir) => {
      unlinkSync(join(dir('cpu,cpuacct'), 'cpuacct.usage'));
      writeFileSync(join(dir('pids'), 'pids.max'), 'unlimited\n');
    }],
    ['a malformed memory.stat line', (dir) => writeFileSync(join(dir('memory'), 'memory.stat'), 'cache 1\nfoo\n')],
    ['a memory.stat without rss', (dir) => writeFileSync(join(dir('memory'), 'memory.stat'), 'cache 1\ninactive_file 0\nmapped_file 0\npgfault 0\npgmajfault 0\n')],
    ['counters past 2^53 and an unlimited v1 limit', (dir) => {
      writeFileSync(join(dir('memory'), 'memory.usage_in_bytes'), '18446744073709551615\n');
      writeFileSync(join(dir('memory'), 'memory.limit_in_bytes'), '9223372036854771712\n');
      writeFileSync(join(dir('cpu,cpuacct'), 'cpuacct.usage'), '9007199254740993\n');
      writeFileSync(join(dir('cpu,cpuacct'), 'cpu.cfs_quota_us'), '-1\n');
      writeFileSync(join(dir('cpu,cpuacct'), 'cpuacct.stat'), 'user 900719925474099\nsystem 9007199254740993\n'); // ticks x 1e7 rounded once
    }],
    ['a garbage per-CPU list', (dir) => writeFileSync(join(dir('cpu,cpuacct'), 'cpuacct.usage_percpu'), '1 two 3\n')],
    ['memsw usage without its failcnt', (dir) => {
      writeFileSync(join(dir('memory'), 'memory.memsw.usage_in_bytes'), '5\n');
      writeFileSync(join(dir('memory'), 'memory.memsw.max_usage_in_bytes'), '6\n');
    }],
    ['kmem files, one malformed', (dir) => {
      writeFileSync(join(dir('memory'), 'memory.kmem.usage_in_bytes'), '5\n');
      writeFileSync(join(dir('memory'), 'memory.kmem.max_usage_in_bytes'), '6\n');
      writeFileSync(join(dir('memory'), 'memory.kmem.failcnt'), 'none\n');
    }],
    ['kmem files, all well-formed', (dir) => {
      writeFileSync(join(dir('memory'), 'memory.kmem.usage_in_bytes'), '5\n');
      writeFileSync(join(dir('memory'), 'memory.kmem.max_usage_in_bytes'), '6\n');
      writeFileSync(join(dir('memory'), 'memory.kmem.failcnt'), '0\n');
    }],
    ['a missing hugetlb file', (dir) => unlinkSync(join(dir('hugetlb'), 'hugetlb.2MB.failcnt'))],
    ['a missing memory.oom_control', (dir) => unlinkSync(join(dir('memory'), 'memory.oom_control'))],
  ];
  cases.forEach(([what, damage], i) => {
    it(what, async () => {
      const t = copyTree('v1-nested', `v1-${i}`);
      damage((c) => join(t.cgroupRoot, c, 'legacyd/c1'));
      await expectSameAsStats(t);
    });
  });

  it('throttle files (no CFQ): devices, then a malformed line', async () => {
    const t = copyTree('v1-nested', 'no-cfq');
    const dir = join(t.cgroupRoot, 'blkio/legacyd/c1');
    for (const f of readdirSync(dir)) if (f.endsWith('_recursive')) unlinkSync(join(dir, f));
    writeFileSync(join(dir, 'blkio.throttle.io_service_bytes'), '8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n');
    const reader = new CgroupReader({ ...t, io: 'sync' });
    const cg = await reader.forPid(77);
    await cg.sample(); // learns there is no CFQ: later reads parse the throttle files' bytes
    const s = await cg.sample();
    expect(s.blkio!.ioServiceBytesRecursive).toEqual([
      { major: 8, minor: 0, op: 'Read', value: 4096 },
      { major: 8, minor: 0, op: 'Write', value: 8192 },
      { major: 8, minor: 0, op: 'Total', value: 12288 },
    ]);
    expect(s).toEqual(sampleOf(await cg.stats()));
    writeFileSync(join(dir, 'blkio.throttle.io_serviced'), '8:0 Read\n');
    const bad = await cg.sample();
    expect(bad.blkio).toBeUndefined();
    expect(bad.errors).toEqual((await cg.stats()).errors);
    expect(bad.errors[0]).toMatchObject({ group: 'blkio', kind: 'malformed' });
    unlinkSync(join(dir, 'blkio.throttle.io_serviced'));
    expect((await cg.sample()).errors).toEqual((await cg.stats()).errors);
  });

  it('a removed cgroup: every group missing, as stats() says', async () => {
    const t = copyTree('v1-nested', 'removed');
    const cg = await new CgroupReader({ ...t, io: 'sync' }).forPid(77);
    await cg.sample();
    for (const c of readdirSync(t.cgroupRoot)) rmSync(join(t.cgroupRoot, c, 'legacyd/c1'), { recursive: true });
    const s = await cg.sample();
    expect(s.errors.map((e) => [e.group, e.kind])).toEqual(EVERY_GROUP_MISSING);
    expect(s.errors).toEqual((await cg.stats()).errors);
  });
});

describe('sample() on damaged v2 trees fails what stats() fails', () => {
  const cases: Array<[string, (dir: string) => void]> = [
    ['cpu.max "max 100000" and io.stat with iocost keys', (dir) => {
      writeFileSync(join(dir, 'cpu.max'), 'max 100000\n');
      writeFileSync(join(dir, 'io.stat'), '8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0 cost.vrate=1.00 cost.usage=7\n\n');
    }],
    ['cpu.max with one field', (dir) => writeFileSync(join(dir, 'cpu.max'), '50000\n')],
    ['an io.stat token without "="', (dir) => writeFileSync(join(dir, 'io.stat'), '8:0 rbytes=1 wbytes\n')],
    ['an io.stat integer key holding a non-integer', (dir) => writeFileSync(join(dir, 'io.stat'), '8:0 rbytes=1.5\n')],
    ['an io.stat device that is not major:minor', (dir) => writeFileSync(join(dir, 'io.stat'), 'sda rbytes=1\n')],
    ['a memory.stat without anon', (dir) => writeFileSync(join(dir, 'memory.stat'), 'file 1\ninactive_file 0\nfile_mapped 0\npgfault 0\npgmajfault 0\n')],
    ['no memory.peak, no memory.swap.current, memory.events without oom_kill', (dir) => {
      unlinkSync(join(dir, 'memory.peak'));
      unlinkSync(join(dir, 'memory.swap.current'));
      writeFileSync(join(dir, 'memory.events'), 'low 0\nhigh 0\nmax 3\noom 1\n');
    }],
    ['memory.events without max', (dir) => writeFileSync(join(dir, 'memory.events'), 'low 0\n')],
    ['a memory.max past 2^53 and a cpu.stat usage past 2^53', (dir) => {
      writeFileSync(join(dir, 'memory.max'), '18446744073709551615\n');
      writeFileSync(join(dir, 'cpu.stat'), 'usage_usec 9007199254740993\nuser_usec 1\nsystem_usec 2\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n');
    }],
    ['a malformed hugetlb events file', (dir) => writeFileSync(join(dir, 'hugetlb.2MB.events'), 'max x\n')],
    ['a cgroup directory that is removed', (dir) => rmSync(dir, { recursive: true })],
  ];
  cases.forEach(([what, damage], i) => {
    it(what, async () => {
      const t = copyTree('v2', `v2-${i}`);
      const reader = new CgroupReader({ ...t, io: 'sync' });
      const cg = await reader.forPid(4242);
      damage(join(t.cgroupRoot, 'legacyd/web'));
      const want = sampleOf(await cg.stats());
      expect(await cg.sample()).toEqual(want);
      expect(await cg.sample()).toEqual(want);
    });
  });
});

describe('readBytes of the blocking reader', () => {
  it('gives the bytes read() gives, for small files and one bigger than the scratch buffer', async () => {
    const f = createSyncFileReader();
    const small = join(scratch, 'small');
    const big = join(scratch, 'big');
    writeFileSync(small, 'cache 1\n');
    writeFileSync(big, 'x'.repeat(100_000) + 'é\n');
    for (const p of [small, big, small]) {
      const b = f.readBytes!(p, false);
      expect(b.buf.toString('utf8', 0, b.len)).toBe(await f.read(p));
    }
    expect(() => f.readBytes!(join(scratch, 'absent'), false)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });
});
