/** How the supervisor learns of exits from monitors its helper started (needs root and runc). */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log';
import { Runc } from '../../../src/runtime';
import type { DomainEvent } from '../../../src/supervisor/events';
import { HelperSpawner } from '../../../src/supervisor/helper-spawner';
import { RuncAdapter } from '../../../src/supervisor/runc-adapter';
import { Supervisor } from '../../../src/supervisor/supervisor';
import { requireOrFail } from '../../helpers/ci';
import { mustBeBuilt } from '../../helpers/native';
import { statOf } from '../../helpers/proc';

const run = promisify(execFile);
const MAKE_BUNDLE = path.resolve(__dirname, '../../../scripts/make-bundle.sh');
const canRun = requireOrFail('root and runc (exit watch with real containers)', process.getuid?.() === 0 && fs.existsSync('/usr/sbin/runc'));

async function nextMatching(sub: { next(): Promise<DomainEvent | undefined> }, want: (e: DomainEvent) => boolean): Promise<DomainEvent> {
  for (;;) {
    const e = await sub.next();
    if (!e) throw new Error('event stream ended');
    if (want(e)) return e;
  }
}

/** The inode numbers this process's inotify watches are on (from /proc/self/fdinfo). */
function watchedInodes(): Set<number> {
  const out = new Set<number>();
  for (const fd of fs.readdirSync('/proc/self/fdinfo')) {
    let info: string;
    try {
      info = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    for (const m of info.matchAll(/^inotify wd:\S+ ino:([0-9a-f]+)/gm)) out.add(parseInt(m[1]!, 16));
  }
  return out;
}

// No reconcile sweep runs in these tests (an hour apart): only the reports and the watches can tell.
describe.skipIf(!canRun)('exits of monitors the helper started (real runc, no sweep)', () => {
  let work: string;
  let bundle: string;
  let sup: Supervisor;
  let helper: HelperSpawner;

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-exitwatch-'));
    bundle = path.join(work, 'bundle');
    await run('sh', [MAKE_BUNDLE, bundle, 'sleep', '3600']);
    const stateDir = path.join(work, 'state');
    helper = await HelperSpawner.start({ native: mustBeBuilt() });
    sup = new Supervisor({
      stateDir,
      runtime: new RuncAdapter(new Runc({ root: path.join(stateDir, 'runc'), timeoutMs: 60_000 })),
      machine: { hostname: 'test', cpus: 1, memoryBytes: 1 },
      cgroupParent: `/legacyd-exitwatch-${process.pid}`,
      logger: silentLogger,
      reconcileIntervalMs: 3_600_000,
      spawner: helper,
    });
    await sup.start();
  }, 60_000);

  afterAll(async () => {
    const root = path.join(work, 'state', 'runc');
    const { stdout } = await run('runc', ['--root', root, 'list', '-q']).catch(() => ({ stdout: '' }));
    for (const id of stdout.split('\n').filter(Boolean)) await run('runc', ['--root', root, 'delete', '-f', id]).catch(() => undefined);
    await sup?.shutdown();
    fs.rmSync(work, { recursive: true, force: true });
    for (const ctl of fs.readdirSync('/sys/fs/cgroup')) {
      const dir = path.join('/sys/fs/cgroup', ctl, `legacyd-exitwatch-${process.pid}`);
      if (fs.existsSync(dir)) fs.rmdirSync(dir);
    }
    if (fs.existsSync(`/sys/fs/cgroup/legacyd-exitwatch-${process.pid}`)) fs.rmdirSync(`/sys/fs/cgroup/legacyd-exitwatch-${process.pid}`);
  }, 60_000);

  const create = (id: string): Promise<number> =>
    sup.create({ id, bundlePath: bundle, stdin: '', stdout: '', stderr: '', console: '', checkpoint: '' });
  const initDir = (id: string): string => sup.stateDir.processDir(id, 'init');

  it('needs no inotify watch on the process\'s dir: the helper\'s report of its monitor\'s exit brings the exact status', async () => {
    const sub = sup.subscribe();
    const pid = await create('ew-report');
    expect(watchedInodes().has(fs.statSync(initDir('ew-report')).ino)).toBe(false);
    process.kill(pid, 'SIGKILL');
    const exit = await nextMatching(sub, (e) => e.type === 'exit' && e.id === 'ew-report');
    expect(exit).toMatchObject({ pid, status: 137 });
    sub.end();
  }, 30_000);

  it('when the helper dies its monitors live on, and their dirs are watched from then on: the exit still comes', async () => {
    const sub = sup.subscribe();
    const pid = await create('ew-orphan');
    const dir = initDir('ew-orphan');
    const monitor = (JSON.parse(fs.readFileSync(path.join(dir, 'monitor.json'), 'utf8')) as { pid: number }).pid;
    const helperPid = Number(statOf(monitor)[1]);
    expect(fs.readFileSync(`/proc/${helperPid}/comm`, 'utf8').trim()).toBe('legacyd-helper');
    process.kill(helperPid, 'SIGKILL');
    const ino = fs.statSync(dir).ino;
    for (let i = 0; i < 500 && !watchedInodes().has(ino); i++) await new Promise((r) => setTimeout(r, 10));
    expect(watchedInodes().has(ino)).toBe(true);
    expect(fs.existsSync(`/proc/${monitor}`)).toBe(true);
    process.kill(pid, 'SIGTERM');
    process.kill(pid, 'SIGKILL');
    const exit = await nextMatching(sub, (e) => e.type === 'exit' && e.id === 'ew-orphan');
    expect(exit).toMatchObject({ pid, status: 137 });
    sub.end();
  }, 30_000);
});
