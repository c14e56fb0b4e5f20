import * as path from 'node:path';
import type { Logger } from '../log';
import { Backlog } from './backlog';
import { ContainerEntry } from './container-entry';
import type { BacklogEvent } from './event-bus';
import { isValidName } from './ids';
import { isMonitorAlive, isPidAlive } from './monitor';
import { ProcessEntry } from './process-entry';
import { EXIT_FILE, PID_FILE } from './process-launcher';
import { isContainerRecord, isMonitorIdentity, isProcessRecord } from './records';
import type { RuntimePort } from './runtime-port';
import { readInt, readJson, type StateDir } from './state-dir';

export interface RecoveryInput {
  stateDir: StateDir;
  runtime: RuntimePort;
  procRoot: string;
  log: Logger;
}

export interface Recovered {
  containers: ContainerEntry[];
  backlog: BacklogEvent[];
  cleaned: number;
}

/** A process dir as found on disk. */
type Found =
  | { kind: 'live'; entry: ProcessEntry }
  | { kind: 'exited'; entry: ProcessEntry; status: number }
  | { kind: 'unstarted' };

/**
 * Rebuilds the table from the state dir: live monitors are re-adopted; exits recorded while
 * the daemon was down go to the backlog (delivered to the first subscribers); entries that
 * never finished starting, or whose files are unreadable, are cleaned. Never throws for bad
 * files: a torn state must not stop the daemon from starting.
 */
export async function recoverState(input: RecoveryInput): Promise<Recovered> {
  const { stateDir, runtime, log } = input;
  const backlog = new Backlog(stateDir.root);
  const torn = await backlog.load();
  if (torn) log.warn('backlog file unreadable; skipped', { reason: torn });
  const containers: ContainerEntry[] = [];
  let cleaned = 0;

  const clean = async (id: string, reason: string): Promise<void> => {
    log.warn('cleaning stale container state', { id, reason });
    cleaned++;
    if (isValidName(id)) {
      try {
        await runtime.kill(id, 9);
      } catch {
        /* not running */
      }
      try {
        await runtime.delete(id, true);
      } catch {
        /* unknown to runc */
      }
    }
    await stateDir.removeContainer(id);
  };

  // One `runc list` for every container's status, not a `runc state` each (~6 ms apiece here,
  // which made a restart with 100 containers take 0.6 s longer); per container if it fails.
  const known = await runtime.list().catch((e: unknown) => {
    log.warn('runc list failed; asking runc about each container', { err: e as Error });
    return undefined;
  });

  for (const id of await stateDir.listContainerIds()) {
    try {
      const rec = await readJson(path.join(stateDir.containerDir(id), 'container.json'), isContainerRecord);
      if (rec.kind !== 'ok' || rec.value.id !== id) {
        await clean(id, rec.kind === 'corrupt' ? rec.reason : 'no container.json');
        continue;
      }
      const init = await readProcess(input, id, 'init');
      if (init.kind === 'unstarted') {
        await clean(id, 'its init never started');
        continue;
      }
      const execs: Found[] = [];
      for (const key of await stateDir.listProcessKeys(id)) {
        if (key !== 'init') execs.push(await readProcess(input, id, key));
      }
      if (init.kind === 'exited') {
        // The container ended while we were down: its exec processes' exits first, then the init's.
        for (const e of execs) {
          if (e.kind !== 'unstarted') backlog.add({ type: 'exit', id, pid: e.entry.pid, status: e.kind === 'exited' ? e.status : 137 });
        }
        backlog.add({ type: 'exit', id, pid: init.entry.pid, status: init.status });
        try {
          await runtime.delete(id, true);
        } catch {
          /* runc run deleted it already */
        }
        await stateDir.removeContainer(id);
        continue;
      }
      const entry = new ContainerEntry(rec.value, init.entry);
      const st = known ? known.get(id) : await runtime.state(id).catch(() => undefined);
      entry.status = st?.status === 'paused' ? 'paused' : 'running';
      for (const e of execs) {
        if (e.kind === 'live') entry.execs.set(e.entry.key, e.entry);
        else if (e.kind === 'exited') {
          backlog.add({ type: 'exit', id, pid: e.entry.pid, status: e.status });
          await stateDir.removeProcess(id, e.entry.key);
        }
      }
      containers.push(entry);
    } catch (e) {
      log.error('recovery of a container failed; leaving its state dir untouched', { id, err: e as Error });
    }
  }
  await backlog.persist();
  return { containers, backlog: backlog.pending(), cleaned };
}

async function readProcess(input: RecoveryInput, id: string, key: string): Promise<Found> {
  const dir = input.stateDir.processDir(id, key);
  const rec = await readJson(path.join(dir, 'process.json'), isProcessRecord);
  const pid = await readInt(path.join(dir, PID_FILE));
  if (rec.kind !== 'ok' || pid.kind !== 'ok') {
    if (key !== 'init') await input.stateDir.removeProcess(id, key);
    return { kind: 'unstarted' };
  }
  const entry = new ProcessEntry(rec.value, dir);
  entry.pid = pid.value;
  const exit = await readInt(path.join(dir, EXIT_FILE));
  if (exit.kind === 'ok') return { kind: 'exited', entry, status: exit.value };
  const mon = await readJson(path.join(dir, 'monitor.json'), isMonitorIdentity);
  if (mon.kind === 'ok') entry.monitor = mon.value;
  const monitorAlive = mon.kind === 'ok' && isMonitorAlive(input.procRoot, mon.value);
  if (monitorAlive || isPidAlive(entry.pid)) {
    entry.status = 'running';
    if (!monitorAlive) input.log.warn('process outlived its monitor; its exit status will be unknown (255)', { id, pid: entry.pid });
    return { kind: 'live', entry };
  }
  // The monitor may have written the exit file between our two reads.
  const late = await readInt(path.join(dir, EXIT_FILE));
  if (late.kind === 'ok') return { kind: 'exited', entry, status: late.value };
  input.log.warn('process and its monitor are gone without an exit status; reporting 255', { id, pid: entry.pid });
  return { kind: 'exited', entry, status: 255 };
}
