/** The OOM watcher on a real cgroup v1 memory hierarchy (needs root; skipped on a v2-only host). */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CgroupReader } from '../../../src/cgroups';
import { silentLogger } from '../../../src/log';
import type { DomainEvent } from '../../../src/supervisor/events';
import { OomWatcher } from '../../../src/supervisor/oom-watcher';
import { readVmOomKills } from '../../../src/supervisor/vm-oom-kills';
import { openPaths } from '../../helpers/fds';

const MEMORY_V1 = '/sys/fs/cgroup/memory';
const canRun = process.getuid?.() === 0 && fs.existsSync(path.join(MEMORY_V1, 'memory.oom_control'));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch {
      /* best effort */
    }
  }
});

/** Runs `cmd` in the cgroup `dir` (it moves itself there first); resolves once it is in. */
async function runIn(dir: string, cmd: string): Promise<ChildProcess> {
  const child = spawn('sh', ['-c', `echo $$ > ${dir}/cgroup.procs && exec ${cmd}`], { stdio: 'ignore' });
  const gone = new Promise((r) => child.once('exit', r));
  cleanups.push(() => (child.exitCode === null && child.signalCode === null ? (child.kill('SIGKILL'), gone) : undefined));
  const deadline = Date.now() + 10_000;
  while (!fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').includes(String(child.pid))) {
    if (Date.now() > deadline) throw new Error(`pid ${child.pid} never joined ${dir}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return child;
}

describe('the machine-wide OOM counter (/proc/vmstat)', () => {
  it('reads oom_kill, and says undefined when the line or the file is missing (every cgroup is polled then)', () => {
    const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-vmstat-'));
    cleanups.push(() => fs.rmSync(proc, { recursive: true, force: true }));
    expect(readVmOomKills(proc)).toBeUndefined();
    fs.writeFileSync(path.join(proc, 'vmstat'), 'nr_free_pages 12\noom_kill 7\nunevictable_pgs_culled 0\n');
    expect(readVmOomKills(proc)).toBe(7n);
    fs.writeFileSync(path.join(proc, 'vmstat'), 'nr_free_pages 12\nx_oom_kill 3\n');
    expect(readVmOomKills(proc)).toBeUndefined();
  });
});

describe.skipIf(!canRun)('OOM watcher on cgroup v1 (polled)', () => {
  it('reports a kill in a container without a limit of its own, caused by its parent cgroup\'s limit, while the container lives', async () => {
    const parent = fs.mkdtempSync(path.join(MEMORY_V1, 'legacyd-oomtest-'));
    const child = path.join(parent, 'c');
    fs.mkdirSync(child);
    cleanups.push(() => fs.rmdirSync(parent));
    cleanups.push(() => fs.rmdirSync(child));
    fs.writeFileSync(path.join(parent, 'memory.limit_in_bytes'), String(16 * 1024 * 1024));

    const events: DomainEvent[] = [];
    const watcher = new OomWatcher(new CgroupReader({ io: 'sync' }), (e) => events.push(e), silentLogger, 100);
    cleanups.push(() => watcher.stop());
    const holder = await runIn(child, 'sleep 60');
    await watcher.watch('oom-c', holder.pid!, false);

    // Another process of the same container (an exec) overruns the parent's limit; the init lives on.
    const hog = await runIn(child, 'dd if=/dev/zero of=/dev/null bs=64M count=1');
    const signal = await new Promise<string | null>((r) => hog.once('exit', (_code, sig) => r(sig)));
    expect(signal).toBe('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (!events.some((e) => e.type === 'oom') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual([{ type: 'oom', id: 'oom-c', pid: holder.pid }]);
    expect(holder.exitCode).toBeNull();

    // The poll reads through a kept descriptor; the last look at the container's exit lets it go.
    const held = (): string[] => openPaths().filter((p) => p.startsWith(`${child}/`));
    expect(held()).toEqual([path.join(child, 'memory.oom_control')]);
    await watcher.final('oom-c');
    expect(held()).toEqual([]);
  }, 30_000);

  it('a fresh container whose init was OOM-killed and reaped before the watch began: found by its cgroup path, the kill is reported', async () => {
    const cg = fs.mkdtempSync(path.join(MEMORY_V1, 'legacyd-oomtest-'));
    cleanups.push(() => fs.rmdirSync(cg));
    fs.writeFileSync(path.join(cg, 'memory.limit_in_bytes'), String(16 * 1024 * 1024));
    const init = await runIn(cg, 'dd if=/dev/zero of=/dev/null bs=64M count=1');
    const signal = await new Promise<string | null>((r) => init.once('exit', (_code, sig) => r(sig)));
    expect(signal).toBe('SIGKILL');
    expect(fs.existsSync(`/proc/${init.pid}`)).toBe(false); // no /proc/<pid>/cgroup to find it by

    const events: DomainEvent[] = [];
    const watcher = new OomWatcher(new CgroupReader({ io: 'sync' }), (e) => events.push(e), silentLogger, 100);
    cleanups.push(() => watcher.stop());
    await watcher.watch('oom-gone', init.pid!, true, `/${path.basename(cg)}`);
    expect(events).toEqual([{ type: 'oom', id: 'oom-gone', pid: init.pid }]);
    await watcher.final('oom-gone');
    expect(events).toHaveLength(1);
  }, 30_000);
});
