import * as os from 'node:os';
import * as si from 'systeminformation';
import type { MachineInfo } from '../supervisor';

/** Hostname, logical cpus and memory in BYTES (the 2015 original put the cpu count there). */
export async function readMachine(): Promise<MachineInfo> {
  const [mem, cpu, osInfo] = await Promise.all([si.mem(), si.cpu(), si.osInfo()]);
  return {
    hostname: osInfo.hostname || os.hostname(),
    cpus: cpu.cores || os.cpus().length,
    memoryBytes: mem.total || os.totalmem(),
  };
}
