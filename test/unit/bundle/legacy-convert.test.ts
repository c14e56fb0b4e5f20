import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LegacydError } from '../../../src/errors';
import { convertLegacySpec, loadBundle } from '../../../src/bundle';
import { FIXTURES, legacyDocs } from './helpers';

const CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];
const DEVICES = [
  ['/dev/null', 1, 3],
  ['/dev/random', 1, 8],
  ['/dev/full', 1, 7],
  ['/dev/tty', 5, 0],
  ['/dev/zero', 1, 5],
  ['/dev/urandom', 1, 9],
] as const;
const MASKED = [
  '/proc/acpi', '/proc/asound', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/sys/firmware', '/proc/scsi',
];
const READONLY = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** The error convertLegacySpec throws for these docs (fails the test if it does not throw). */
function conversionError(config: unknown, runtime: unknown): LegacydError {
  try {
    convertLegacySpec(config, runtime, '/x');
  } catch (err) {
    expect(err).toBeInstanceOf(LegacydError);
    return err as LegacydError;
  }
  throw new Error('conversion unexpectedly succeeded');
}

describe('the 2015 example bundle (legacy-0.2.0 fixture)', () => {
  it('converts to exactly this OCI 1.0.2 spec', async () => {
    const bundle = path.join(FIXTURES, 'legacy-0.2.0');
    const loaded = await loadBundle(bundle);
    expect(loaded.format).toBe('legacy-0.2.0');
    expect(loaded.needsRewrite).toBe(true);
    expect(loaded.spec).toStrictEqual({
      ociVersion: '1.0.2',
      process: {
        terminal: false,
        user: { uid: 0, gid: 0 },
        args: ['sleep', '300'],
        env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
        cwd: '/',
        capabilities: { bounding: CAPS, effective: CAPS, inheritable: CAPS, permitted: CAPS },
        rlimits: [{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }],
        noNewPrivileges: false,
      },
      root: { path: 'rootfs', readonly: false },
      hostname: 'peer',
      mounts: [
        { destination: '/proc', type: 'proc', source: 'proc' },
        { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
        {
          destination: '/dev/pts',
          type: 'devpts',
          source: 'devpts',
          options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
        },
        { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
        { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
        { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev'] },
      ],
      linux: {
        resources: {
          devices: [
            { allow: false, access: 'rwm' },
            ...DEVICES.map(([, major, minor]) => ({ allow: true, type: 'c', major, minor, access: 'rwm' })),
          ],
        },
        namespaces: [{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }],
        devices: DEVICES.map(([p, major, minor]) => ({ path: p, type: 'c', major, minor, fileMode: 0o666, uid: 0, gid: 0 })),
        maskedPaths: MASKED,
        readonlyPaths: READONLY,
      },
    });
  });

  it('reports the init process, rootfs image and no annotations', async () => {
    const bundle = path.join(FIXTURES, 'legacy-0.2.0');
    const loaded = await loadBundle(bundle);
    expect(loaded.bundlePath).toBe(bundle);
    expect(loaded.terminal).toBe(false);
    expect(loaded.process).toStrictEqual({
      terminal: false,
      user: { uid: 0, gid: 0, additionalGids: [] },
      args: ['sleep', '300'],
      env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm'],
      cwd: '/',
    });
    expect(loaded.rootfs).toBe(path.join(bundle, 'rootfs'));
    expect(loaded.image).toBe(path.join(bundle, 'rootfs'));
    expect(loaded.annotations).toStrictEqual({});
  });
});

describe('a 0.2.0 bundle as runc spec wrote it in 2015 (every field, zeros for unset)', () => {
  it('turns the harmless empties into nothing and keeps terminal=true', async () => {
    const loaded = await loadBundle(path.join(FIXTURES, 'legacy-0.2.0-runc-spec'));
    expect(loaded.terminal).toBe(true);
    expect(loaded.process.cwd).toBe('/');
    const { linux, hooks, root, mounts } = loaded.spec;
    expect(root).toStrictEqual({ path: 'rootfs', readonly: true });
    expect(hooks).toBeUndefined();
    expect(Object.keys(linux!.resources!)).toStrictEqual(['devices']);
    expect(linux!.seccomp).toBeUndefined();
    expect(linux!.cgroupsPath).toBeUndefined();
    expect(linux!.rootfsPropagation).toBeUndefined();
    expect(linux!.sysctl).toBeUndefined();
    expect(linux!.uidMappings).toBeUndefined();
    expect(linux!.namespaces).toStrictEqual([{ type: 'pid' }, { type: 'network' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }]);
    expect(loaded.spec.process!.apparmorProfile).toBeUndefined();
    expect(loaded.spec.process!.selinuxLabel).toBeUndefined();
    expect(loaded.spec.process!.user).toStrictEqual({ uid: 0, gid: 0 });
    expect(mounts!.at(-1)).toStrictEqual({
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: ['nosuid', 'noexec', 'nodev', 'relatime', 'ro'],
    });
  });
});

describe('variants', () => {
  it('carries resources over to OCI 1.0 names', async () => {
    const { config, runtime } = await legacyDocs();
    runtime.linux.resources = {
      disableOOMKiller: true,
      memory: { limit: 67108864, reservation: 33554432, swap: 134217728, kernel: 0, swappiness: 10 },
      cpu: { shares: 512, quota: 50000, period: 100000, realtimeRuntime: 0, realtimePeriod: 0, cpus: '0-1', mems: '0' },
      pids: { limit: 64 },
      blockIO: {
        blkioWeight: 500,
        blkioLeafWeight: 0,
        blkioWeightDevice: [{ major: 8, minor: 0, weight: 300, leafWeight: 0 }],
        blkioThrottleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }],
        blkioThrottleWriteBpsDevice: null,
        blkioThrottleReadIOPSDevice: [],
        blkioThrottleWriteIOPSDevice: [{ major: 8, minor: 16, rate: 100 }],
      },
      hugepageLimits: [{ pageSize: '2MB', limit: 209715200 }],
      network: { classId: '0x100001', priorities: [{ name: 'eth0', priority: 5 }] },
    };
    const spec = convertLegacySpec(config, runtime, '/x');
    const { devices, ...rest } = spec.linux!.resources!;
    expect(devices![0]).toStrictEqual({ allow: false, access: 'rwm' });
    expect(rest).toStrictEqual({
      memory: { limit: 67108864, reservation: 33554432, swap: 134217728, swappiness: 10, disableOOMKiller: true },
      cpu: { shares: 512, quota: 50000, period: 100000, cpus: '0-1', mems: '0' },
      pids: { limit: 64 },
      blockIO: {
        weight: 500,
        weightDevice: [{ major: 8, minor: 0, weight: 300 }],
        throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 1048576 }],
        throttleWriteIOPSDevice: [{ major: 8, minor: 16, rate: 100 }],
      },
      hugepageLimits: [{ pageSize: '2MB', limit: 209715200 }],
      network: { classID: 0x100001, priorities: [{ name: 'eth0', priority: 5 }] },
    });
  });

  it('keeps -1 (unlimited) for memory and pids, refuses other negatives', async () => {
    const { config, runtime } = await legacyDocs();
    runtime.linux.resources = { memory: { limit: -1, swap: -1 }, pids: { limit: -1 } };
    const spec = convertLegacySpec(config, runtime, '/x');
    expect(spec.linux!.resources!.memory).toStrictEqual({ limit: -1, swap: -1 });
    expect(spec.linux!.resources!.pids).toStrictEqual({ limit: -1 });

    runtime.linux.resources = { cpu: { shares: -5 } };
    expect(conversionError(config, runtime).message).toBe(
      'legacy bundle /x: runtime.json linux.resources.cpu.shares -5 cannot be converted (only positive values)',
    );
  });

  it('carries prestart, poststart and poststop hooks', async () => {
    const { config, runtime } = await legacyDocs();
    runtime.hooks = {
      prestart: [{ path: '/usr/bin/netns-setup', args: ['netns-setup', '--bridge', 'br0'], env: ['FOO=1'] }],
      poststart: [{ path: '/bin/true' }],
      poststop: [{ path: '/usr/bin/cleanup', args: null, env: null }],
    };
    expect(convertLegacySpec(config, runtime, '/x').hooks).toStrictEqual({
      prestart: [{ path: '/usr/bin/netns-setup', args: ['netns-setup', '--bridge', 'br0'], env: ['FOO=1'] }],
      poststart: [{ path: '/bin/true' }],
      poststop: [{ path: '/usr/bin/cleanup' }],
    });
    runtime.hooks = { prestart: [{ path: 'relative/hook' }] };
    expect(conversionError(config, runtime).message).toBe(
      'legacy bundle /x: runtime.json hooks.prestart[0].path "relative/hook" must be an absolute path',
    );
  });

  it('keeps a read-only root', async () => {
    const { config, runtime } = await legacyDocs();
    config.root.readonly = true;
    expect(convertLegacySpec(config, runtime, '/x').root).toStrictEqual({ path: 'rootfs', readonly: true });
  });

  it('keeps terminal=true and reports it', async () => {
    const { config, runtime } = await legacyDocs();
    config.process.terminal = true;
    expect(convertLegacySpec(config, runtime, '/x').process!.terminal).toBe(true);
  });

  it('carries a namespace path, and refuses a relative one', async () => {
    const { config, runtime } = await legacyDocs();
    runtime.linux.namespaces[1] = { type: 'network', path: '/var/run/netns/blue' };
    expect(convertLegacySpec(config, runtime, '/x').linux!.namespaces![1]).toStrictEqual({
      type: 'network',
      path: '/var/run/netns/blue',
    });
    runtime.linux.namespaces[1].path = 'netns/blue';
    expect(conversionError(config, runtime).message).toBe(
      'legacy bundle /x: runtime.json linux.namespaces[1].path "netns/blue" is not absolute',
    );
  });

  it('carries user, additional groups, env, cwd and args', async () => {
    const { config, runtime } = await legacyDocs();
    config.process.user = { uid: 1000, gid: 100, additionalGids: [10, 20] };
    config.process.cwd = '/tmp';
    config.process.args = ['sh', '-c', 'id'];
    config.process.env = ['A=b'];
    const p = convertLegacySpec(config, runtime, '/x').process!;
    expect(p.user).toStrictEqual({ uid: 1000, gid: 100, additionalGids: [10, 20] });
    expect([p.cwd, p.args, p.env]).toStrictEqual(['/tmp', ['sh', '-c', 'id'], ['A=b']]);
  });

  it('carries user namespaces with their mappings, and refuses one without', async () => {
    const { config, runtime } = await legacyDocs();
    runtime.linux.namespaces.push({ type: 'user' });
    runtime.linux.uidMappings = [{ hostID: 100000, containerID: 0, size: 65536 }];
    runtime.linux.gidMappings = [{ hostID: 100000, containerID: 0, size: 65536 }];
    const linux = convertLegacySpec(config, runtime, '/x').linux!;
    expect(linux.uidMappings).toStrictEqual([{ containerID: 0, hostID: 100000, size: 65536 }]);
    expect(linux.gidMappings).toStrictEqual([{ containerID: 0, hostID: 100000, size: 65536 }]);
    runtime.linux.uidMappings = null;
    expect(conversionError(config, runtime).message).toMatch(/runtime\.json linux\.namespaces has a new "user" namespace/);
  });

  it('carries sysctl, cgroupsPath, rootfsPropagation, apparmor and selinux labels', async () => {
    const { config, runtime } = await legacyDocs();
    Object.assign(runtime.linux, {
      sysctl: { 'net.ipv4.ip_forward': '1' },
      cgroupsPath: '/legacy/peer',
      rootfsPropagation: 'rslave',
      apparmorProfile: 'docker-default',
      selinuxProcessLabel: 'system_u:system_r:svirt_lxc_net_t:s0:c1,c2',
    });
    const spec = convertLegacySpec(config, runtime, '/x');
    expect(spec.linux!.sysctl).toStrictEqual({ 'net.ipv4.ip_forward': '1' });
    expect(spec.linux!.cgroupsPath).toBe('/legacy/peer');
    expect(spec.linux!.rootfsPropagation).toBe('rslave');
    expect(spec.process!.apparmorProfile).toBe('docker-default');
    expect(spec.process!.selinuxLabel).toBe('system_u:system_r:svirt_lxc_net_t:s0:c1,c2');
  });

  it('converts a seccomp filter (one name per syscall, args kept)', async () => {
    const { config, runtime } = await legacyDocs();
    runtime.linux.seccomp = {
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
      syscalls: [
        { name: 'kexec_load', action: 'SCMP_ACT_ERRNO', args: null },
        { name: 'personality', action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 8, valueTwo: 0, op: 'SCMP_CMP_NE' }] },
      ],
    };
    expect(convertLegacySpec(config, runtime, '/x').linux!.seccomp).toStrictEqual({
      defaultAction: 'SCMP_ACT_ALLOW',
      architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86'],
      syscalls: [
        { names: ['kexec_load'], action: 'SCMP_ACT_ERRNO' },
        { names: ['personality'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 8, valueTwo: 0, op: 'SCMP_CMP_NE' }] },
      ],
    });
  });

  it('maps block, fifo and unbuffered devices, and allows only what the cgroup governs', async () => {
    const { config, runtime } = await legacyDocs();
    runtime.linux.devices = [
      { path: '/dev/sda', type: 98, major: 8, minor: 0, permissions: 'r', fileMode: 0o660, uid: 0, gid: 6 },
      { path: '/dev/myfifo', type: 112, major: 0, minor: 0, permissions: 'rw', fileMode: 0o600, uid: 0, gid: 0 },
      { path: '/dev/ttyX', type: 117, major: 4, minor: 64, permissions: '', fileMode: 0, uid: 0, gid: 0 },
    ];
    const linux = convertLegacySpec(config, runtime, '/x').linux!;
    expect(linux.devices).toStrictEqual([
      { path: '/dev/sda', type: 'b', major: 8, minor: 0, fileMode: 0o660, uid: 0, gid: 6 },
      { path: '/dev/myfifo', type: 'p', fileMode: 0o600, uid: 0, gid: 0 },
      { path: '/dev/ttyX', type: 'u', major: 4, minor: 64, uid: 0, gid: 0 },
    ]);
    expect(linux.resources!.devices).toStrictEqual([
      { allow: false, access: 'rwm' },
      { allow: true, type: 'b', major: 8, minor: 0, access: 'r' },
      { allow: true, type: 'c', major: 4, minor: 64, access: 'rwm' },
    ]);
  });

  it('normalises capability names old tools wrote without the CAP_ prefix', async () => {
    const { config, runtime } = await legacyDocs();
    config.linux.capabilities = ['chown', 'NET_RAW', 'CAP_KILL', 'CAP_KILL'];
    expect(convertLegacySpec(config, runtime, '/x').process!.capabilities!.bounding).toStrictEqual([
      'CAP_CHOWN',
      'CAP_NET_RAW',
      'CAP_KILL',
    ]);
  });

  it('drops the capability sets to empty when none are listed', async () => {
    const { config, runtime } = await legacyDocs();
    delete config.linux;
    expect(convertLegacySpec(config, runtime, '/x').process!.capabilities).toStrictEqual({
      bounding: [],
      effective: [],
      inheritable: [],
      permitted: [],
    });
  });
});

describe('what cannot be converted is refused, naming the field', () => {
  const cases: [string, (c: any, r: any) => void, string][] = [
    [
      'an unknown seccomp action',
      (_c, r) => {
        r.linux.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ name: 'mount', action: 'SCMP_ACT_FOO' }] };
      },
      'runtime.json linux.seccomp.syscalls[0].action "SCMP_ACT_FOO" cannot be converted',
    ],
    [
      'a mount name missing from runtime.json',
      (c) => {
        c.mounts.splice(2, 0, { name: 'foo', path: '/foo' });
      },
      'config.json mounts[2] "foo" has no entry in runtime.json mounts',
    ],
    [
      'an unknown field',
      (_c, r) => {
        r.linux.mountLabel = 'x';
      },
      'runtime.json linux.mountLabel is not a legacy 0.2.0 field and cannot be converted',
    ],
    [
      'an unknown config.json field',
      (c) => {
        c.process.rlimits = [];
      },
      'config.json process.rlimits is not a legacy 0.2.0 field and cannot be converted',
    ],
    [
      'an unknown namespace type',
      (_c, r) => {
        r.linux.namespaces.push({ type: 'time' });
      },
      'runtime.json linux.namespaces[5].type "time" cannot be converted',
    ],
    [
      'a device type that is not c/b/u/p',
      (_c, r) => {
        r.linux.devices[3].type = 97;
      },
      "runtime.json linux.devices[3].type 97 cannot be converted (want 99 'c', 98 'b', 117 'u' or 112 'p')",
    ],
    [
      'a bad device permission',
      (_c, r) => {
        r.linux.devices[0].permissions = 'rx';
      },
      'runtime.json linux.devices[0].permissions "rx" cannot be converted (want letters of "rwm")',
    ],
    [
      'an unknown capability',
      (c) => {
        c.linux.capabilities.push('CAP_FLY');
      },
      'config.json linux.capabilities[3] "CAP_FLY" cannot be converted',
    ],
    [
      'an unknown rlimit',
      (_c, r) => {
        r.linux.rlimits.push({ type: 'RLIMIT_FOO', hard: 1, soft: 1 });
      },
      'runtime.json linux.rlimits[1].type "RLIMIT_FOO" cannot be converted',
    ],
    [
      'seccomp syscalls without a default action',
      (_c, r) => {
        r.linux.seccomp.syscalls = [{ name: 'mount', action: 'SCMP_ACT_ERRNO' }];
      },
      'runtime.json linux.seccomp.defaultAction "" cannot be converted: a filter with syscalls or architectures needs a default action',
    ],
    [
      'a hostname without a uts namespace',
      (_c, r) => {
        r.linux.namespaces = r.linux.namespaces.filter((n: any) => n.type !== 'uts');
      },
      'config.json hostname "peer" needs a "uts" namespace in runtime.json linux.namespaces',
    ],
    [
      'an empty args list',
      (c) => {
        c.process.args = [];
      },
      'config.json process.args must be a non-empty array of strings',
    ],
    [
      'a relative cwd',
      (c) => {
        c.process.cwd = 'work';
      },
      'config.json process.cwd "work" is not absolute',
    ],
    [
      'a non-linux platform',
      (c) => {
        c.platform.os = 'windows';
      },
      'config.json platform.os "windows" cannot be run by runc (linux only)',
    ],
    [
      'a uid of the wrong type',
      (c) => {
        c.process.user.uid = 'root';
      },
      'config.json process.user.uid must be an integer from 0 to 4294967295 (got "root")',
    ],
    [
      'a net_cls class id in tc notation',
      (_c, r) => {
        r.linux.resources = { network: { classId: '10:1' } };
      },
      'runtime.json linux.resources.network.classId "10:1" cannot be converted (want a 32-bit number, decimal or 0x hex)',
    ],
    [
      'a blkio weight below 10',
      (_c, r) => {
        r.linux.resources = { blockIO: { blkioWeight: 5 } };
      },
      'runtime.json linux.resources.blockIO.blkioWeight 5 cannot be converted (blkio weights are 10 to 1000)',
    ],
  ];
  it.each(cases)('%s', async (_name, mutate, message) => {
    const { config, runtime } = await legacyDocs();
    mutate(config, runtime);
    const err = conversionError(config, runtime);
    expect(err.kind).toBe('invalid-argument');
    expect(err.message).toBe(`legacy bundle /x: ${message}`);
  });
});
