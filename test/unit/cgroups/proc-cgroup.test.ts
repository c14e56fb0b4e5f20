import { describe, expect, it } from 'vitest';
import { buildMountTable, joinCgroupPath, parseProcCgroup, resolveCgroup, resolveCgroupPath } from '../../../src/cgroups';
import { caught, fixtureText } from './helpers';

const ROOT = '/fx/sys/fs/cgroup';

/** The directories of container c1 (cgroupsPath /legacyd/c1) in the v1-nested fixture, whose mounts have nested roots. */
const V1_NESTED_C1 = {
  cpu: `${ROOT}/cpu,cpuacct/legacyd/c1`,
  cpuacct: `${ROOT}/cpu,cpuacct/legacyd/c1`,
  memory: `${ROOT}/memory/legacyd/c1`,
  blkio: `${ROOT}/blkio/legacyd/c1`,
  pids: `${ROOT}/pids/legacyd/c1`,
  hugetlb: `${ROOT}/hugetlb/legacyd/c1`,
};

describe('parseProcCgroup', () => {
  it('reads v1 controller lists, name= hierarchies and the v2 line', () => {
    expect(parseProcCgroup('9:name=systemd:/a\n2:cpu,cpuacct:/a\n0::/a:b\n')).toEqual([
      { hierarchyId: 9, controllers: ['name=systemd'], path: '/a' },
      { hierarchyId: 2, controllers: ['cpu', 'cpuacct'], path: '/a' },
      { hierarchyId: 0, controllers: [], path: '/a:b' },
    ]);
  });

  it('rejects a line that is not id:controllers:path', () => {
    expect(caught(() => parseProcCgroup('garbage\n', '/proc/1/cgroup'))).toMatchObject({
      kind: 'failed-precondition',
      message: '/proc/1/cgroup: line "garbage" is not "id:controllers:path"',
    });
  });
});

describe('joinCgroupPath: the mount root (mountinfo field 4) is stripped before joining', () => {
  it('joins under a "/" root as is', () => {
    expect(joinCgroupPath({ root: '/', dir: '/m' }, '/a/b')).toBe('/m/a/b');
    expect(joinCgroupPath({ root: '/', dir: '/m' }, '/')).toBe('/m');
  });

  it('strips a nested root', () => {
    expect(joinCgroupPath({ root: '/docker/abc', dir: '/m' }, '/docker/abc/legacyd/c1')).toBe('/m/legacyd/c1');
    expect(joinCgroupPath({ root: '/docker/abc', dir: '/m' }, '/docker/abc')).toBe('/m');
  });

  it('refuses a path beside the root that only shares a prefix', () => {
    expect(joinCgroupPath({ root: '/docker/abc', dir: '/m' }, '/docker/abcdef/x')).toBeUndefined();
    expect(joinCgroupPath({ root: '/docker/abc', dir: '/m' }, '/other')).toBeUndefined();
  });
});

describe('resolveCgroup', () => {
  it('hybrid host (captured): uses the v1 controllers, memory nested under a parent path, not .../unified', () => {
    const table = buildMountTable(fixtureText('hybrid-runc', 'proc/self/mountinfo'), ROOT);
    const r = resolveCgroup('9:name=systemd:/c\n8:pids:/c\n7:blkio:/c\n4:memory:/process_api/92769593772fabc32728f36954f2acd3/c\n2:cpuacct:/c\n1:cpu:/c\n0::/c\n', table);
    expect(r).toEqual({
      version: 1,
      path: '/c',
      dirs: {
        cpu: `${ROOT}/cpu/c`,
        cpuacct: `${ROOT}/cpuacct/c`,
        memory: `${ROOT}/memory/process_api/92769593772fabc32728f36954f2acd3/c`,
        blkio: `${ROOT}/blkio/c`,
        pids: `${ROOT}/pids/c`,
      },
    });
  });

  it('v1 with nested mount roots and a shared cpu,cpuacct hierarchy', () => {
    const table = buildMountTable(fixtureText('v1-nested', 'proc/self/mountinfo'), ROOT);
    const r = resolveCgroup(fixtureText('v1-nested', 'proc/77/cgroup'), table);
    expect(r).toEqual({ version: 1, path: '/docker/legacyd/c1', dirs: V1_NESTED_C1 });
  });

  it('v2: the 0:: line under the cgroup2 mount', () => {
    const table = buildMountTable(fixtureText('v2', 'proc/self/mountinfo'), ROOT);
    expect(resolveCgroup('0::/legacyd/web\n', table)).toEqual({ version: 2, path: '/legacyd/web', dir: `${ROOT}/legacyd/web` });
  });

  it('v2 with a nested cgroup2 mount root', () => {
    const table = buildMountTable('30 22 0:26 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n', ROOT);
    expect(resolveCgroup('0::/kubepods/pod1/ctr\n', table)).toEqual({ version: 2, path: '/kubepods/pod1/ctr', dir: `${ROOT}/ctr` });
  });

  it('fails clearly when the path is outside every mount root', () => {
    const table = buildMountTable(fixtureText('v1-nested', 'proc/self/mountinfo'), ROOT);
    expect(caught(() => resolveCgroup('2:memory:/elsewhere/c1\n', table))).toMatchObject({
      kind: 'failed-precondition',
      message: 'memory: cgroup path "/elsewhere/c1" is not under any mount root (/docker/abc)',
    });
  });

  it('never reads outside the mount for a path from another cgroup namespace', () => {
    const table = buildMountTable(fixtureText('v2', 'proc/self/mountinfo'), ROOT);
    expect(caught(() => resolveCgroup('0::/../../etc\n', table))).toMatchObject({
      kind: 'failed-precondition',
      message: 'v2 cgroup path "/../../etc" is outside this cgroup namespace',
    });
  });

  it('leaves out controllers the process is in but this mount namespace does not mount', () => {
    const table = buildMountTable(fixtureText('hybrid-runc', 'proc/self/mountinfo'), ROOT);
    const r = resolveCgroup('10:hugetlb:/c\n1:cpu:/c\n', table);
    expect(r).toEqual({ version: 1, path: '/c', dirs: { cpu: `${ROOT}/cpu/c` } });
  });

  it('a v2 host needs the 0:: line', () => {
    const table = buildMountTable(fixtureText('v2', 'proc/self/mountinfo'), ROOT);
    expect(caught(() => resolveCgroup('1:cpu:/c\n', table))).toMatchObject({ kind: 'failed-precondition' });
  });
});

describe('resolveCgroupPath: a container cgroup named by its absolute cgroupsPath, with no process', () => {
  it('v1: the path under each controller\'s mount point, as runc\'s cgroupfs driver creates it', () => {
    const table = buildMountTable(fixtureText('hybrid-runc', 'proc/self/mountinfo'), ROOT);
    expect(resolveCgroupPath('/legacyd/c1', table)).toEqual({
      version: 1,
      path: '/legacyd/c1',
      dirs: {
        cpu: `${ROOT}/cpu/legacyd/c1`,
        cpuacct: `${ROOT}/cpuacct/legacyd/c1`,
        memory: `${ROOT}/memory/legacyd/c1`,
        blkio: `${ROOT}/blkio/legacyd/c1`,
        pids: `${ROOT}/pids/legacyd/c1`,
      },
    });
  });

  it('v1 with nested mount roots: under the mount point whatever its root (runc joins the mount point and the path); path as /proc/<pid>/cgroup shows it', () => {
    const table = buildMountTable(fixtureText('v1-nested', 'proc/self/mountinfo'), ROOT);
    // The same directories as the process in that cgroup resolves to (resolveCgroup above).
    expect(resolveCgroupPath('/legacyd/c1', table)).toEqual({ version: 1, path: '/docker/legacyd/c1', dirs: V1_NESTED_C1 });
  });

  it('v2: under the cgroup2 mount point', () => {
    const table = buildMountTable(fixtureText('v2', 'proc/self/mountinfo'), ROOT);
    expect(resolveCgroupPath('/legacyd/web', table)).toEqual({ version: 2, path: '/legacyd/web', dir: `${ROOT}/legacyd/web` });
    const nested = buildMountTable('30 22 0:26 /kubepods/pod1 /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n', ROOT);
    expect(resolveCgroupPath('/ctr', nested)).toEqual({ version: 2, path: '/kubepods/pod1/ctr', dir: `${ROOT}/ctr` });
  });

  it('refuses a relative path and one that climbs with ".." (never a directory outside the mount)', () => {
    const table = buildMountTable(fixtureText('v2', 'proc/self/mountinfo'), ROOT);
    for (const bad of ['legacyd/c1', '/legacyd/../../etc']) {
      expect(caught(() => resolveCgroupPath(bad, table))).toMatchObject({
        kind: 'failed-precondition',
        message: `cgroup path ${JSON.stringify(bad)} is not an absolute path without ".."`,
      });
    }
  });

  it('says so when none of the v1 controllers it reads is mounted', () => {
    const table = buildMountTable('36 31 0:33 / /sys/fs/cgroup/devices rw - cgroup cgroup rw,devices\n', ROOT);
    expect(caught(() => resolveCgroupPath('/c', table))).toMatchObject({
      kind: 'failed-precondition',
      message: 'mountinfo: none of the v1 controllers cpu, cpuacct, memory, blkio, hugetlb, pids is mounted',
    });
  });
});
