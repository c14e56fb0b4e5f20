/** Supervisors over real runc (root): a scratch dir with a busybox bundle, and its cleanup. */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from 'vitest';
import { silentLogger } from '../../src/log';
import { Runc } from '../../src/runtime';
import type { DomainEvent } from '../../src/supervisor/events';
import { RuncAdapter } from '../../src/supervisor/runc-adapter';
import { Supervisor, type SupervisorOptions } from '../../src/supervisor/supervisor';

const run = promisify(execFile);
const MAKE_BUNDLE = path.resolve(__dirname, '../../scripts/make-bundle.sh');

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
  /** Deletes what runc still runs there, the dir, and the cgroup parent (every v1 controller, or v2). */
  dispose(): Promise<void>;
}

/** `name` names the dir and the cgroup parent (with this process's pid). */
export async function runcScratch(name: string): Promise<RuncScratch> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `legacyd-${name}-`));
  const bundle = path.join(work, 'bundle');
  const stateDir = path.join(work, 'state');
  const cgroupParent = `/legacyd-${name}-${process.pid}`;
  await run('sh', [MAKE_BUNDLE, bundle, 'sleep', '3600']);
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
      const root = path.join(stateDir, 'runc');
      const { stdout } = await run('runc', ['--root', root, 'list', '-q']).catch(() => ({ stdout: '' }));
      for (const id of stdout.split('\n').filter(Boolean)) await run('runc', ['--root', root, 'delete', '-f', id]).catch(() => undefined);
      fs.rmSync(work, { recursive: true, force: true });
      for (const dir of [path.join('/sys/fs/cgroup', cgroupParent), ...fs.readdirSync('/sys/fs/cgroup').map((c) => path.join('/sys/fs/cgroup', c, cgroupParent))]) {
        if (fs.existsSync(dir)) fs.rmdirSync(dir);
      }
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
