import { Fields, JsonObject, at, int64Cmp, show, sub } from './json-fields';
import type {
  Int64,
  OciBlockIO,
  OciCpu,
  OciHugepageLimit,
  OciMemory,
  OciNetwork,
  OciResources,
  OciThrottleDevice,
  OciWeightDevice,
} from './oci-types';

/**
 * runtime.json linux.resources (0.2.0) → OCI 1.0 linux.resources, without the device rules
 * (those come with linux.devices). 0.2.0 had no "unset": Go wrote 0 for every absent number and
 * old runc skipped zeros, so 0 reads as unset here; -1 ("unlimited") is kept where runc takes it.
 */
export function convertResources(f: Fields, value: unknown, field: string): Omit<OciResources, 'devices'> {
  const r = f.object(value, field);
  if (!r) return {};
  f.keys(r, field, ['disableOOMKiller', 'memory', 'cpu', 'pids', 'blockIO', 'hugepageLimits', 'network']);
  const out: Omit<OciResources, 'devices'> = {};

  const memory = convertMemory(f, r.memory, sub(field, 'memory'));
  if (f.bool(r.disableOOMKiller, sub(field, 'disableOOMKiller'))) memory.disableOOMKiller = true;
  if (Object.keys(memory).length > 0) out.memory = memory;

  const cpu = convertCpu(f, r.cpu, sub(field, 'cpu'));
  if (Object.keys(cpu).length > 0) out.cpu = cpu;

  const pids = f.object(r.pids, sub(field, 'pids'));
  if (pids) {
    f.keys(pids, sub(field, 'pids'), ['limit']);
    const limit = positiveOrUnlimited(f, pids.limit, sub(field, 'pids.limit'), true);
    if (limit !== undefined) out.pids = { limit };
  }

  const blockIO = convertBlockIO(f, r.blockIO, sub(field, 'blockIO'));
  if (Object.keys(blockIO).length > 0) out.blockIO = blockIO;

  const hugepages = convertHugepages(f, r.hugepageLimits, sub(field, 'hugepageLimits'));
  if (hugepages.length > 0) out.hugepageLimits = hugepages;

  const network = convertNetwork(f, r.network, sub(field, 'network'));
  if (Object.keys(network).length > 0) out.network = network;
  return out;
}

/** 0 → unset; a positive value is kept; -1 only where `unlimited` is meaningful. */
function positiveOrUnlimited(f: Fields, value: unknown, field: string, unlimited: boolean): Int64 | undefined {
  const n = f.int64(value, field);
  if (n === undefined || int64Cmp(n, 0) === 0) return undefined;
  if (int64Cmp(n, 0) < 0) {
    if (unlimited && int64Cmp(n, -1) === 0) return -1;
    return f.error(field, `${show(n)} cannot be converted (only positive values${unlimited ? ' or -1 for unlimited' : ''})`);
  }
  return n;
}

function convertMemory(f: Fields, value: unknown, field: string): OciMemory {
  const m = f.object(value, field);
  const out: OciMemory = {};
  if (!m) return out;
  f.keys(m, field, ['limit', 'reservation', 'swap', 'kernel', 'swappiness']);
  for (const key of ['limit', 'reservation', 'swap', 'kernel'] as const) {
    const v = positiveOrUnlimited(f, m[key], sub(field, key), true);
    if (v !== undefined) out[key] = v;
  }
  // runc spec of 2015 wrote -1 for "unset"; 0..100 is a real setting (old runc wrote 0 too).
  const swappiness = f.int(m.swappiness, sub(field, 'swappiness'), -1, 100);
  if (swappiness !== undefined && swappiness >= 0) out.swappiness = swappiness;
  return out;
}

function convertCpu(f: Fields, value: unknown, field: string): OciCpu {
  const c = f.object(value, field);
  const out: OciCpu = {};
  if (!c) return out;
  f.keys(c, field, ['shares', 'quota', 'period', 'realtimeRuntime', 'realtimePeriod', 'cpus', 'mems']);
  for (const key of ['shares', 'quota', 'period', 'realtimeRuntime', 'realtimePeriod'] as const) {
    const v = positiveOrUnlimited(f, c[key], sub(field, key), key === 'quota');
    if (v !== undefined) out[key] = v;
  }
  for (const key of ['cpus', 'mems'] as const) {
    const v = f.string(c[key], sub(field, key));
    if (v) out[key] = v;
  }
  return out;
}

function convertBlockIO(f: Fields, value: unknown, field: string): OciBlockIO {
  const b = f.object(value, field);
  const out: OciBlockIO = {};
  if (!b) return out;
  const throttles = {
    blkioThrottleReadBpsDevice: 'throttleReadBpsDevice',
    blkioThrottleWriteBpsDevice: 'throttleWriteBpsDevice',
    blkioThrottleReadIOPSDevice: 'throttleReadIOPSDevice',
    blkioThrottleWriteIOPSDevice: 'throttleWriteIOPSDevice',
  } as const;
  f.keys(b, field, ['blkioWeight', 'blkioLeafWeight', 'blkioWeightDevice', ...Object.keys(throttles)]);

  const weight = (v: unknown, name: string): number | undefined => {
    const w = f.int(v, name, 0, 1000);
    if (w === undefined || w === 0) return undefined;
    if (w < 10) return f.error(name, `${w} cannot be converted (blkio weights are 10 to 1000)`);
    return w;
  };
  const w = weight(b.blkioWeight, sub(field, 'blkioWeight'));
  if (w !== undefined) out.weight = w;
  const lw = weight(b.blkioLeafWeight, sub(field, 'blkioLeafWeight'));
  if (lw !== undefined) out.leafWeight = lw;

  const wdField = sub(field, 'blkioWeightDevice');
  const weightDevices: OciWeightDevice[] = (f.array(b.blkioWeightDevice, wdField) ?? []).map((v, i) => {
    const name = at(wdField, i);
    const d = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
    f.keys(d, name, ['major', 'minor', 'weight', 'leafWeight']);
    const dev: OciWeightDevice = deviceNumbers(f, d, name);
    const dw = weight(d.weight, sub(name, 'weight'));
    if (dw !== undefined) dev.weight = dw;
    const dlw = weight(d.leafWeight, sub(name, 'leafWeight'));
    if (dlw !== undefined) dev.leafWeight = dlw;
    return dev;
  });
  if (weightDevices.length > 0) out.weightDevice = weightDevices;

  for (const [legacy, oci] of Object.entries(throttles) as [keyof typeof throttles, (typeof throttles)[keyof typeof throttles]][]) {
    const tField = sub(field, legacy);
    const list: OciThrottleDevice[] = (f.array(b[legacy], tField) ?? []).map((v, i) => {
      const name = at(tField, i);
      const d = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
      f.keys(d, name, ['major', 'minor', 'rate']);
      const rate = f.int64(d.rate, sub(name, 'rate'), true) ?? f.error(sub(name, 'rate'), 'is missing');
      return { ...deviceNumbers(f, d, name), rate };
    });
    if (list.length > 0) out[oci] = list;
  }
  return out;
}

function deviceNumbers(f: Fields, d: JsonObject, field: string): { major: number; minor: number } {
  const major = f.int(d.major, sub(field, 'major'), 0, 0xffff_ffff) ?? f.error(sub(field, 'major'), 'is missing');
  const minor = f.int(d.minor, sub(field, 'minor'), 0, 0xffff_ffff) ?? f.error(sub(field, 'minor'), 'is missing');
  return { major, minor };
}

function convertHugepages(f: Fields, value: unknown, field: string): OciHugepageLimit[] {
  return (f.array(value, field) ?? []).map((v, i) => {
    const name = at(field, i);
    const h = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
    f.keys(h, name, ['pageSize', 'limit']);
    const pageSize = f.string(h.pageSize, sub(name, 'pageSize'));
    if (!pageSize) return f.error(sub(name, 'pageSize'), 'is missing');
    const limit = f.int64(h.limit, sub(name, 'limit'), true) ?? f.error(sub(name, 'limit'), 'is missing');
    return { pageSize, limit };
  });
}

function convertNetwork(f: Fields, value: unknown, field: string): OciNetwork {
  const n = f.object(value, field);
  const out: OciNetwork = {};
  if (!n) return out;
  f.keys(n, field, ['classId', 'priorities']);
  // 0.2.0 wrote the net_cls.classid text; OCI 1.0 wants the number (the kernel read decimal or 0x hex).
  const classId = f.string(n.classId, sub(field, 'classId'));
  if (classId) {
    const num = /^(0x[0-9a-f]+|\d+)$/i.test(classId) ? Number(classId) : NaN;
    if (!Number.isSafeInteger(num) || num > 0xffff_ffff) {
      f.error(sub(field, 'classId'), `${show(classId)} cannot be converted (want a 32-bit number, decimal or 0x hex)`);
    }
    out.classID = num;
  }
  const pField = sub(field, 'priorities');
  const priorities = (f.array(n.priorities, pField) ?? []).map((v, i) => {
    const name = at(pField, i);
    const p = f.object(v, name) ?? f.error(name, 'must be an object (got null)');
    f.keys(p, name, ['name', 'priority']);
    const ifName = f.string(p.name, sub(name, 'name'));
    if (!ifName) return f.error(sub(name, 'name'), 'is missing');
    const priority = f.uint32(p.priority, sub(name, 'priority')) ?? 0;
    return { name: ifName, priority };
  });
  if (priorities.length > 0) out.priorities = priorities;
  return out;
}
