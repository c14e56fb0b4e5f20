/** Supervisors over real runc (root): a scratch dir with a busybox bundle, and its cleanup. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../src/log';
import { Runc } from '../../src/runtime';
import type { DomainEvent } from '../../src/supervisor/events';
import { RuncAdapter } from '../../src/supervisor/runc-adapter';
import { Supervisor, type SupervisorOptions } from '../../src/supervisor/supervisor';
import { makeBundle } from './bundle';
import { cleanupRunc, removeCgroupParent } from './runc';
import { removeDir, tempDir } from './tmp';

/** Whether this machine can run these (root, runc). */
export const CAN_RUN_RUNC = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/runc');

export interface RuncScratch {
  work: string;
  /** A busybox bundle running `sleep 3600`. */
  bundle: string;
  stateDir: string;
  /** A new supervisor on the state dir (runc's root in it, the containers under their own cgroup parent). */
  supervisor(opts?: Partial<SupervisorOptions>): Supervisor;
  /** CreateContainer of the bundle, no stdio. */
  create(sup: Supervisor, id: string): Promise<number>;
  /** Kills and deletes what runc still runs there, removes the dir and the cgroup parent (every v1 controller, or v2). */
  dispose(): Promise<void>;
}

/** `name` names the dir and the cgroup parent (with this process's pid). */
export async function runcScratch(name: string): Promise<RuncScratch> {
  const work = await tempDir(`legacyd-${name}`);
  const bundle = await makeBundle(['sleep', '3600']);
  const stateDir = path.join(work, 'state');
  const cgroupParent = `/legacyd-${name}-${process.pid}`;
  return {
    work,
    bundle,
    stateDir,
    supervisor: (opts = {}) =>
      new Supervisor({
        stateDir,
        runtime: new RuncAdapter(new Runc({ root: path.join(stateDir, 'runc'), timeoutMs: 60_000 })),
        machine: { hostname: 'test', cpus: 1, memoryBytes: 1 },
        cgroupParent,
        logger: silentLogger,
        ...opts,
      }),
    create: (sup, id) => sup.create({ id, bundlePath: bundle, stdin: '', stdout: '', stderr: '', console: '', checkpoint: '' }),
    dispose: async () => {
      await cleanupRunc(path.join(stateDir, 'runc'));
      await removeDir(work);
      removeCgroupParent(cgroupParent);
    },
  };
}

/** The next `exit` event of container `id` on the subscription (others are passed over). */
export async function exitEvent(sub: { next(): Promise<DomainEvent | undefined> }, id: string): Promise<DomainEvent> {
  for (;;) {
    const e = await sub.next();
    if (!e) throw new Error('event stream ended');
    if (e.type === 'exit' && e.id === id) return e;
  }
}

/**
 * Registers a describe's hooks: before its tests a scratch (runcScratch(name)) and a started
 * supervisor on it, with `opts()`; after them, the supervisor shut down and the scratch disposed.
 */
export function startedSupervisor(name: string, opts: () => Promise<Partial<SupervisorOptions>> | Partial<SupervisorOptions> = () => ({})): { scratch: () => RuncScratch; sup: () => Supervisor } {
  let scratch: RuncScratch | undefined;
  let sup: Supervisor | undefined;
  beforeAll(async () => {
    scratch = await runcScratch(name);
    sup = scratch.supervisor(await opts());
    await sup.start();
  }, 60_000);
  afterAll(async () => {
    await sup?.shutdown();
    await scratch?.dispose();
  }, 60_000);
  return { scratch: () => scratch!, sup: () => sup! };
}
