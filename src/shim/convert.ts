import type { Event } from '../proto/generated/types/Event';
import type { Process } from '../proto/generated/types/Process';
import type { Container } from '../proto/generated/types/Container';
import type { Machine } from '../proto/generated/types/Machine';
import type { ContainerView, DomainEvent, MachineInfo, ProcessView } from '../supervisor';

/** Domain → wire messages. uint64 fields go out as decimal strings (never lossy Numbers). */
export function processMsg(p: ProcessView): Process {
  return {
    pid: p.pid,
    terminal: p.terminal,
    user: { uid: p.user.uid, gid: p.user.gid, additionalGids: p.user.additionalGids },
    args: p.args,
    env: p.env,
    cwd: p.cwd,
  };
}

export function containerMsg(c: ContainerView): Container {
  return { id: c.id, name: c.id, bundlePath: c.bundlePath, status: c.status, processes: c.processes.map(processMsg) };
}

export function machineMsg(m: MachineInfo): Machine {
  return { id: m.hostname, cpus: m.cpus, memory: String(m.memoryBytes) };
}

export function eventMsg(e: DomainEvent): Event {
  const msg: Event = { type: e.type, id: e.id };
  if (e.pid !== undefined) msg.pid = e.pid;
  if (e.status !== undefined) msg.status = e.status;
  if (e.bundlePath !== undefined) msg.bundlePath = e.bundlePath;
  if (e.process) msg.process = processMsg(e.process);
  if (e.checkpoint) msg.checkpoint = { ...e.checkpoint };
  return msg;
}
