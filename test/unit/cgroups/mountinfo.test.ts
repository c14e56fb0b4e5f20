import { describe, expect, it } from 'vitest';
import { buildMountTable, detectMode, parseMountinfo, rebaseMountPoint } from '../../../src/cgroups';
import { caught, fixtureText } from './helpers';

const V1_ONLY = [
  '25 20 0:22 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755',
  '26 25 0:23 / /sys/fs/cgroup/systemd rw,nosuid shared:9 - cgroup cgroup rw,xattr,name=systemd',
  '27 25 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:10 - cgroup cgroup rw,cpu,cpuacct',
  '28 25 0:25 / /sys/fs/cgroup/memory rw,nosuid shared:11 - cgroup cgroup rw,memory',
].join('\n');

const V2_WITH_SYSTEMD_TRACKER = [
  '30 22 0:26 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw,nsdelegate',
  '31 30 0:27 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd',
].join('\n');

describe('detectMode (pure, from mountinfo text)', () => {
  it('v1: controllers on cgroup mounts, no cgroup2', () => {
    expect(detectMode(V1_ONLY)).toBe('v1');
  });

  it('hybrid: v1 controllers plus cgroup2 at .../unified (this machine, captured)', () => {
    expect(detectMode(fixtureText('hybrid-runc', 'proc/self/mountinfo'))).toBe('hybrid');
  });

  it('v2: cgroup2 at /sys/fs/cgroup', () => {
    expect(detectMode(fixtureText('v2', 'proc/self/mountinfo'))).toBe('v2');
  });

  it('v2 even with a controller-less name=systemd v1 mount', () => {
    expect(detectMode(V2_WITH_SYSTEMD_TRACKER)).toBe('v2');
  });

  it('v1 for the hand-written pure v1 tree', () => {
    expect(detectMode(fixtureText('v1-nested', 'proc/self/mountinfo'))).toBe('v1');
  });

  it('fails clearly with no cgroup filesystem at all', () => {
    expect(caught(() => detectMode('22 27 0:21 / /proc rw - proc proc rw\n'))).toMatchObject({
      kind: 'failed-precondition',
      message: 'mountinfo: no cgroup or cgroup2 filesystem is mounted',
    });
  });
});

describe('parseMountinfo', () => {
  it('reads root, mount point, type and super options past optional fields', () => {
    expect(parseMountinfo('606 604 0:29 /docker/abc /sys/fs/cgroup/memory rw,nosuid master:13 shared:2 - cgroup cgroup rw,memory\n')).toEqual([
      { root: '/docker/abc', mountPoint: '/sys/fs/cgroup/memory', fsType: 'cgroup', superOptions: ['rw', 'memory'] },
    ]);
  });

  it('unescapes octal escapes in paths', () => {
    const [m] = parseMountinfo('31 27 0:27 / /var/lib/with\\040space rw - tmpfs tmpfs rw\n');
    expect(m!.mountPoint).toBe('/var/lib/with space');
  });

  it('rejects a line without the "-" separator', () => {
    expect(() => parseMountinfo('1 2 3\n')).toThrow('mountinfo: line "1 2 3" has no "- fstype source options" part');
  });
});

describe('buildMountTable', () => {
  it('maps every v1 controller of a shared hierarchy and rebases mount points onto cgroupRoot', () => {
    const t = buildMountTable(V1_ONLY, '/fx/sys/fs/cgroup');
    expect(t.mode).toBe('v1');
    expect(t.v1.get('cpu')).toEqual([{ root: '/', dir: '/fx/sys/fs/cgroup/cpu,cpuacct' }]);
    expect(t.v1.get('cpuacct')).toEqual([{ root: '/', dir: '/fx/sys/fs/cgroup/cpu,cpuacct' }]);
    expect(t.v1.get('memory')).toEqual([{ root: '/', dir: '/fx/sys/fs/cgroup/memory' }]);
    expect(t.v1.has('name=systemd')).toBe(false);
    expect(t.v2).toEqual([]);
  });

  it('keeps the hybrid unified mount apart from the v1 controllers', () => {
    const t = buildMountTable(fixtureText('hybrid-runc', 'proc/self/mountinfo'), '/r');
    expect(t.v2).toEqual([{ root: '/', dir: '/r/unified' }]);
    expect(t.v1.get('cpu')).toEqual([{ root: '/', dir: '/r/cpu' }]);
    expect(t.v1.get('cpuacct')).toEqual([{ root: '/', dir: '/r/cpuacct' }]);
    expect(t.v1.has('hugetlb')).toBe(false);
  });
});

describe('rebaseMountPoint', () => {
  it('moves /sys/fs/cgroup and everything under it; leaves other paths alone', () => {
    expect(rebaseMountPoint('/sys/fs/cgroup', '/t/c')).toBe('/t/c');
    expect(rebaseMountPoint('/sys/fs/cgroup/memory', '/t/c')).toBe('/t/c/memory');
    expect(rebaseMountPoint('/sys/fs/cgroupx', '/t/c')).toBe('/sys/fs/cgroupx');
    expect(rebaseMountPoint('/cgroup/memory', '/t/c')).toBe('/cgroup/memory');
  });
});
