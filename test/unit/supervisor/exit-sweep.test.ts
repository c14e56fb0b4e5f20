/** The reconcile sweep against real runc containers (needs root and runc). */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log';
import { Runc } from '../../../src/runtime';
import type { DomainEvent } from '../../../src/supervisor/events';
import { RuncAdapter } from '../../../src/supervisor/runc-adapter';
import { Supervisor } from '../../../src/supervisor/supervisor';

const run = promisify(execFile);
const MAKE_BUNDLE = path.resolve(__dirname, '../../../scripts/make-bundle.sh');
const canRun = process.getuid?.() === 0 && fs.existsSync('/usr/sbin/runc');

async function nextMatching(sub: { next(): Promise<DomainEvent | undefined> }, want: (e: DomainEvent) => boolean): Promise<DomainEvent> {
  for (;;) {
    const e = await sub.next();
    if (!e) throw new Error('event stream ended');
    if (want(e)) return e;
  }
}

describe.skipIf(!canRun)('exit reconcile sweep (real runc)', () => {
  let work: string;
  let bundle: string;
  let sup: Supervisor;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-sweep-'));
    bundle = path.join(work, 'bundle');
    await run('sh', [MAKE_BUNDLE, bundle, 'sleep', '3600']);
    const stateDir = path.join(work, 'state');
    sup = new Supervisor({
      stateDir,
      runtime: new RuncAdapter(new Runc({ root: path.join(stateDir, 'runc'), timeoutMs: 60_000 })),
      machine: { hostname: 'test', cpus: 1, memoryBytes: 1 },
      cgroupParent: `/legacyd-sweep-${process.pid}`,
      logger: silentLogger,
      reconcileIntervalMs: 100,
    });
    await sup.start();
  }, 60_000);

  afterAll(async () => {
    const root = path.join(work, 'state', 'runc');
    const { stdout } = await run('runc', ['--root', root, 'list', '-q']).catch(() => ({ stdout: '' }));
    for (const id of stdout.split('\n').filter(Boolean)) await run('runc', ['--root', root, 'delete', '-f', id]).catch(() => undefined);
    await sup?.shutdown();
    fs.rmSync(work, { recursive: true, force: true });
    // The containers' parent cgroup, in every v1 controller (or the v2 root).
    for (const ctl of fs.readdirSync('/sys/fs/cgroup')) {
      const dir = path.join('/sys/fs/cgroup', ctl, `legacyd-sweep-${process.pid}`);
      if (fs.existsSync(dir)) fs.rmdirSync(dir);
    }
    if (fs.existsSync(`/sys/fs/cgroup/legacyd-sweep-${process.pid}`)) fs.rmdirSync(`/sys/fs/cgroup/legacyd-sweep-${process.pid}`);
  }, 60_000);

  const create = (id: string): Promise<number> =>
    sup.create({ id, bundlePath: bundle, stdin: '', stdout: '', stderr: '', console: '', checkpoint: '' });

  it('a monitor killed by hand, then its process, is reported as exit 255 (no exit file will ever come)', async () => {
    const sub = sup.subscribe();
    const pid = await create('sweep-lost');
    const mon = JSON.parse(fs.readFileSync(path.join(sup.stateDir.processDir('sweep-lost', 'init'), 'monitor.json'), 'utf8')) as { pid: number };
    expect(mon.pid).toBeGreaterThan(0);
    process.kill(mon.pid, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    const exit = await nextMatching(sub, (e) => e.type === 'exit' && e.id === 'sweep-lost');
    expect(exit).toMatchObject({ type: 'exit', id: 'sweep-lost', pid, status: 255 });
    expect(sup.has('sweep-lost')).toBe(false);
    sub.end();
  }, 30_000);

  it('a live container is left alone by many sweeps, and its real exit status still arrives', async () => {
    const sub = sup.subscribe();
    const pid = await create('sweep-live');
    // Long enough for every process's staggered full check (15 sweeps of 100 ms) to have run.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(sup.list().find((c) => c.id === 'sweep-live')?.processes.map((p) => p.pid)).toEqual([pid]);
    process.kill(pid, 'SIGKILL'); // a container's init ignores signals it has no handler for, but not this one
    const exit = await nextMatching(sub, (e) => e.type === 'exit' && e.id === 'sweep-live');
    expect(exit).toMatchObject({ pid, status: 128 + os.constants.signals.SIGKILL });
    sub.end();
  }, 30_000);
});
