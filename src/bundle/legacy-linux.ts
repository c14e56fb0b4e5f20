import { Fields, at, show, sub } from './json-fields';
import {
  NAMESPACE_TYPES,
  RLIMITS,
  ROOTFS_PROPAGATIONS,
  SECCOMP_ACTIONS,
  SECCOMP_ARCHES,
  SECCOMP_OPERATORS,
} from './known-names';
import { convertResources } from './legacy-resources';
import type {
  OciDevice,
  OciDeviceCgroupRule,
  OciIdMapping,
  OciLinux,
  OciNamespace,
  OciNamespaceType,
  OciRlimit,
  OciSeccomp,
  OciSeccompSyscall,
} from './oci-types';

/** What runtime.json's `linux` object turns into: OCI linux plus the parts that moved to process. */
export interface ConvertedRuntimeLinux {
  linux: OciLinux;
  rlimits: OciRlimit[];
  apparmorProfile?: string;
  selinuxLabel?: string;
}

const RUNTIME_LINUX_KEYS = [
  'uidMappings', 'gidMappings', 'rlimits', 'sysctl', 'resources', 'cgroupsPath', 'namespaces',
  'devices', 'apparmorProfile', 'selinuxProcessLabel', 'seccomp', 'rootfsPropagation',
];

export function convertRuntimeLinux(f: Fields, value: unknown, field: string): ConvertedRuntimeLinux {
  const l = f.object(value, field) ?? {};
  f.keys(l, field, RUNTIME_LINUX_KEYS);
  const linux: OciLinux = {};
  const out: ConvertedRuntimeLinux = { linux, rlimits: convertRlimits(f, l.rlimits, sub(field, 'rlimits')) };

  const uidMappings = convertIdMappings(f, l.uidMappings, sub(field, 'uidMappings'));
  if (uidMappings.length > 0) linux.uidMappings = uidMappings;
  const gidMappings = convertIdMappings(f, l.gidMappings, sub(field, 'gidMappings'));
  if (gidMappings.length > 0) linux.gidMappings = gidMappings;

  const sysctl = convertSysctl(f, l.sysctl, sub(field, 'sysctl'));
  if (Object.keys(sysctl).length > 0) linux.sysctl = sysctl;

  const { devices, rules } = convertDevices(f, l.devices, sub(field, 'devices'));
  // Default deny, then allow what the bundle lists: the shape `runc spec` generates.
  linux.resources = {
    devices: [{ allow: false, access: 'rwm' }, ...rules],
    ...convertResources(f, l.resources, sub(field, 'resources')),
  };

  const cgroupsPath = f.string(l.cgroupsPath, sub(field, 'cgroupsPath'));
  if (cgroupsPath) linux.cgroupsPath = cgroupsPath;

  linux.namespaces = convertNamespaces(f, l.namespaces, sub(field, 'namespaces'));
  const userNs = linux.namespaces.find((ns) => ns.type === 'user');
  if (userNs && !userNs.path && (uidMappings.length === 0 || gidMappings.length === 0)) {
    f.error(sub(field, 'namespaces'), `has a new "user" namespace but ${field}.uidMappings/gidMappings are empty`);
  }
  if (devices.length > 0) linux.devices = devices;

  const apparmor = f.string(l.apparmorProfile, sub(field, 'apparmorProfile'));
  if (apparmor) out.apparmorProfile = apparmor;
  const selinux = f.string(l.selinuxProcessLabel, sub(field, 'selinuxProcessLabel'));
  if (selinux) out.selinuxLabel = selinux;

  const seccomp = convertSeccomp(f, l.seccomp, sub(field, 'seccomp'));
  if (seccomp) linux.seccomp = seccomp;

  const propagation = f.string(l.rootfsPropagation, sub(field, 'rootfsPropagation'));
  if (propagation) {
    if (!ROOTFS_PROPAGATIONS.includes(propagation)) f.error(sub(field, 'rootfsPropagation'), `${show(propagation)} cannot be converted`);
    linux.rootfsPropagation = propagation;
  }
  return out;
}

function convertRlimits(f: Fields, value: unknown, field: string): OciRlimit[] {
  const seen = new Set<string>();
  return (f.array(value, field) ?? []).map((v, i) => {
    const name = at(field, i);
    const r = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
    f.keys(r, name, ['type', 'hard', 'soft']);
    const type = f.string(r.type, sub(name, 'type')) ?? f.error(sub(name, 'type'), 'is missing');
    if (!RLIMITS.includes(type)) f.error(sub(name, 'type'), `${show(type)} cannot be converted`);
    if (seen.has(type)) f.error(sub(name, 'type'), `${show(type)} is listed twice`);
    seen.add(type);
    const hard = f.int64(r.hard, sub(name, 'hard'), true) ?? 0;
    const soft = f.int64(r.soft, sub(name, 'soft'), true) ?? 0;
    if (BigInt(soft) > BigInt(hard)) f.error(name, `soft limit ${soft} is above the hard limit ${hard}`);
    return { type, hard, soft };
  });
}

function convertIdMappings(f: Fields, value: unknown, field: string): OciIdMapping[] {
  return (f.array(value, field) ?? []).map((v, i) => {
    const name = at(field, i);
    const m = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
    f.keys(m, name, ['hostID', 'containerID', 'size']);
    const get = (key: string): number => f.uint32(m[key], sub(name, key)) ?? f.error(sub(name, key), 'is missing');
    return { containerID: get('containerID'), hostID: get('hostID'), size: get('size') };
  });
}

function convertSysctl(f: Fields, value: unknown, field: string): Record<string, string> {
  const s = f.object(value, field) ?? {};
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(s)) {
    if (typeof v !== 'string') f.error(sub(field, key), `must be a string (got ${show(v)})`);
    out[key] = v;
  }
  return out;
}

function convertNamespaces(f: Fields, value: unknown, field: string): OciNamespace[] {
  const seen = new Set<string>();
  return (f.array(value, field) ?? []).map((v, i) => {
    const name = at(field, i);
    const n = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
    f.keys(n, name, ['type', 'path']);
    const type = f.string(n.type, sub(name, 'type')) ?? f.error(sub(name, 'type'), 'is missing');
    if (!(NAMESPACE_TYPES as readonly string[]).includes(type)) f.error(sub(name, 'type'), `${show(type)} cannot be converted`);
    if (seen.has(type)) f.error(sub(name, 'type'), `${show(type)} is listed twice`);
    seen.add(type);
    const ns: OciNamespace = { type: type as OciNamespaceType };
    const nsPath = f.string(n.path, sub(name, 'path'));
    if (nsPath) {
      if (!nsPath.startsWith('/')) f.error(sub(name, 'path'), `${show(nsPath)} is not absolute`);
      ns.path = nsPath;
    }
    return ns;
  });
}

/** 0.2.0 wrote a Go rune: 'c' 99, 'b' 98, 'u' 117, 'p' 112. A one-letter string is taken too. */
const DEVICE_TYPES: Record<string, OciDevice['type']> = { '99': 'c', '98': 'b', '117': 'u', '112': 'p', c: 'c', b: 'b', u: 'u', p: 'p' };

function convertDevices(f: Fields, value: unknown, field: string): { devices: OciDevice[]; rules: OciDeviceCgroupRule[] } {
  const devices: OciDevice[] = [];
  const rules: OciDeviceCgroupRule[] = [];
  (f.array(value, field) ?? []).forEach((v, i) => {
    const name = at(field, i);
    const d = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
    f.keys(d, name, ['path', 'type', 'major', 'minor', 'permissions', 'fileMode', 'uid', 'gid']);
    const devPath = f.string(d.path, sub(name, 'path'));
    if (!devPath || !devPath.startsWith('/')) f.error(sub(name, 'path'), `${show(d.path)} must be an absolute path`);
    const type = typeof d.type === 'number' || typeof d.type === 'string' ? DEVICE_TYPES[String(d.type)] : undefined;
    if (!type) f.error(sub(name, 'type'), `${show(d.type)} cannot be converted (want 99 'c', 98 'b', 117 'u' or 112 'p')`);
    const dev: OciDevice = { path: devPath, type };
    const major = f.int(d.major, sub(name, 'major'), 0, 0xffff_ffff);
    const minor = f.int(d.minor, sub(name, 'minor'), 0, 0xffff_ffff);
    if (type !== 'p') {
      if (major === undefined) f.error(sub(name, 'major'), 'is missing');
      if (minor === undefined) f.error(sub(name, 'minor'), 'is missing');
      dev.major = major;
      dev.minor = minor;
    }
    const fileMode = f.int(d.fileMode, sub(name, 'fileMode'), 0, 0o7777);
    if (fileMode) dev.fileMode = fileMode;
    const uid = f.uint32(d.uid, sub(name, 'uid'));
    if (uid !== undefined) dev.uid = uid;
    const gid = f.uint32(d.gid, sub(name, 'gid'));
    if (gid !== undefined) dev.gid = gid;
    devices.push(dev);

    const permissions = f.string(d.permissions, sub(name, 'permissions')) || 'rwm';
    if (!/^(?!.*(.).*\1)[rwm]{1,3}$/.test(permissions)) f.error(sub(name, 'permissions'), `${show(permissions)} cannot be converted (want letters of "rwm")`);
    // Fifos are not governed by the device cgroup; 'u' (unbuffered char) is a 'c' there.
    if (type !== 'p') rules.push({ allow: true, type: type === 'b' ? 'b' : 'c', major, minor, access: permissions });
  });
  return { devices, rules };
}

function convertSeccomp(f: Fields, value: unknown, field: string): OciSeccomp | undefined {
  const s = f.object(value, field);
  if (!s) return undefined;
  f.keys(s, field, ['defaultAction', 'architectures', 'syscalls']);
  const defaultAction = f.string(s.defaultAction, sub(field, 'defaultAction')) ?? '';
  const architectures = f.stringArray(s.architectures, sub(field, 'architectures')) ?? [];
  const sysField = sub(field, 'syscalls');
  const rawSyscalls = f.array(s.syscalls, sysField) ?? [];
  if (defaultAction === '') {
    // runc spec of 2015 wrote an empty seccomp block meaning "no filter".
    if (rawSyscalls.length === 0 && architectures.length === 0) return undefined;
    return f.error(sub(field, 'defaultAction'), `"" cannot be converted: a filter with syscalls or architectures needs a default action`);
  }
  if (!SECCOMP_ACTIONS.includes(defaultAction)) f.error(sub(field, 'defaultAction'), `${show(defaultAction)} cannot be converted`);
  architectures.forEach((a, i) => {
    if (!SECCOMP_ARCHES.includes(a)) f.error(at(sub(field, 'architectures'), i), `${show(a)} cannot be converted`);
  });
  const syscalls: OciSeccompSyscall[] = rawSyscalls.map((v, i) => {
    const name = at(sysField, i);
    const sc = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
    f.keys(sc, name, ['name', 'action', 'args']);
    const sysName = f.string(sc.name, sub(name, 'name'));
    if (!sysName) return f.error(sub(name, 'name'), 'is missing');
    const action = f.string(sc.action, sub(name, 'action')) ?? '';
    if (!SECCOMP_ACTIONS.includes(action)) f.error(sub(name, 'action'), `${show(action)} cannot be converted`);
    const out: OciSeccompSyscall = { names: [sysName], action };
    const argsField = sub(name, 'args');
    const args = (f.array(sc.args, argsField) ?? []).map((av, j) => {
      const an = at(argsField, j);
      const a = f.object(av, an) ?? f.error(an, 'must be an object (got null)');
      f.keys(a, an, ['index', 'value', 'valueTwo', 'op']);
      const index = f.int(a.index, sub(an, 'index'), 0, 5) ?? 0;
      const op = f.string(a.op, sub(an, 'op')) ?? '';
      if (!SECCOMP_OPERATORS.includes(op)) f.error(sub(an, 'op'), `${show(op)} cannot be converted`);
      return {
        index,
        value: f.int64(a.value, sub(an, 'value'), true) ?? 0,
        valueTwo: f.int64(a.valueTwo, sub(an, 'valueTwo'), true) ?? 0,
        op,
      };
    });
    if (args.length > 0) out.args = args;
    return out;
  });
  const out: OciSeccomp = { defaultAction };
  if (architectures.length > 0) out.architectures = architectures;
  if (syscalls.length > 0) out.syscalls = syscalls;
  return out;
}
