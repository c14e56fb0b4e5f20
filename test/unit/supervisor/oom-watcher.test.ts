/** The OOM watcher on a real cgroup v1 memory hierarchy (needs root; skipped on a v2-only host). */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CgroupReader, type Cgroup } from '../../../src/cgroups';
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

/** A reader that counts the cgroups it opens by path. */
class CountingReader extends CgroupReader {
  opened = 0;
  override forPath(p: string): Promise<Cgroup> {
    this.opened++;
    return super.forPath(p);
  }
}

/** A watcher polling every `intervalMs` on a blocking, counting reader, with the events it sent; stopped after the test. */
function watching(intervalMs: number): { watcher: OomWatcher; reader: CountingReader; events: DomainEvent[] } {
  const events: DomainEvent[] = [];
  const reader = new CountingReader({ io: 'sync' });
  const watcher = new OomWatcher(reader, (e) => events.push(e), silentLogger, intervalMs);
  cleanups.push(() => watcher.stop());
  return { watcher, reader, events };
}

/** A new memory cgroup with a 16 MB limit, removed after the test. */
function limited(): string {
  const cg = fs.mkdtempSync(path.join(MEMORY_V1, 'legacyd-oomtest-'));
  cleanups.push(() => fs.rmdirSync(cg));
  fs.writeFileSync(path.join(cg, 'memory.limit_in_bytes'), String(16 * 1024 * 1024));
  return cg;
}

/** A process in `cg` that overruns the limit over it, once the kernel has OOM-killed it. */
async function oomKilled(cg: string): Promise<ChildProcess> {
  const p = await runIn(cg, 'dd if=/dev/zero of=/dev/null bs=64M count=1');
  const signal = await new Promise<string | null>((r) => (p.exitCode !== null || p.signalCode !== null ? r(p.signalCode) : p.once('exit', (_c, sig) => r(sig))));
  expect(signal).toBe('SIGKILL');
  return p;
}

/** Until an `oom` event came (10 s at most: the polls' pace). */
async function anOom(events: DomainEvent[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!events.some((e) => e.type === 'oom') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe.skipIf(!canRun)('OOM watcher on cgroup v1 (polled)', () => {
  it('reports a kill in a container without a limit of its own, caused by its parent cgroup\'s limit, while the container lives', async () => {
    const parent = limited();
    const child = path.join(parent, 'c');
    fs.mkdirSync(child);
    cleanups.push(() => fs.rmdirSync(child));

    const { watcher, events } = watching(100);
    const holder = await runIn(child, 'sleep 60');
    await watcher.watch('oom-c', holder.pid!, false);

    // Another process of the same container (an exec) overruns the parent's limit; the init lives on.
    await oomKilled(child);
    await anOom(events);
    expect(events).toEqual([{ type: 'oom', id: 'oom-c', pid: holder.pid }]);
    expect(holder.exitCode).toBeNull();

    // The poll reads through a kept descriptor; the last look at the container's exit lets it go.
    const held = (): string[] => openPaths().filter((p) => p.startsWith(`${child}/`));
    expect(held()).toEqual([path.join(child, 'memory.oom_control')]);
    await watcher.final('oom-c');
    expect(held()).toEqual([]);
  }, 30_000);

  it('a fresh container whose init was OOM-killed and reaped before the watch began: found by its cgroup path, the kill is reported', async () => {
    const cg = limited();
    const init = await oomKilled(cg);
    expect(fs.existsSync(`/proc/${init.pid}`)).toBe(false); // no /proc/<pid>/cgroup to find it by

    const { watcher, events } = watching(100);
    await watcher.watch('oom-gone', init.pid!, true, `/${path.basename(cg)}`);
    expect(events).toEqual([{ type: 'oom', id: 'oom-gone', pid: init.pid }]);
    await watcher.final('oom-gone');
    expect(events).toHaveLength(1);
  }, 30_000);

  describe('a new container, watched with the machine counter from before its start', () => {
    it('is not opened at the watch; its init OOM-killed before any poll is found by the last look at its exit', async () => {
      const { watcher, reader, events } = watching(60_000); // no poll in this test
      const since = watcher.killsSoFar();
      expect(since).toBeDefined(); // this kernel has /proc/vmstat oom_kill
      const cg = limited();
      const init = await oomKilled(cg);
      await watcher.watch('lazy-gone', init.pid!, true, `/${path.basename(cg)}`, since);
      expect(events).toEqual([]);
      expect(reader.opened).toBe(0);
      await watcher.final('lazy-gone');
      expect(events).toEqual([{ type: 'oom', id: 'lazy-gone', pid: init.pid }]);
      expect(reader.opened).toBe(1);
    }, 30_000);

    it('a kill after the watch is found by the next poll, which opens the cgroup; the last look lets it go', async () => {
      const { watcher, reader, events } = watching(100);
      // Another container, watched as at a restart, gets the polls going and the counter read.
      const other = limited();
      const otherInit = await runIn(other, 'sleep 60');
      await watcher.watch('other', otherInit.pid!, false, `/${path.basename(other)}`);
      await new Promise((r) => setTimeout(r, 350));
      const since = watcher.killsSoFar();
      const cg = limited();
      const held = (): string[] => openPaths().filter((p) => p.startsWith(`${cg}/`));
      const init = await runIn(cg, 'sleep 60');
      const opened = reader.opened;
      await watcher.watch('lazy-c', init.pid!, true, `/${path.basename(cg)}`, since);
      // Other suites OOM-kill too: only while the machine's counter stood still is nothing opened.
      if (readVmOomKills('/proc') === since) {
        await new Promise((r) => setTimeout(r, 250));
        if (readVmOomKills('/proc') === since) {
          expect(reader.opened).toBe(opened);
          expect(held()).toEqual([]);
        }
      }
      await oomKilled(cg); // an exec overruns the limit; the init lives on
      await anOom(events);
      expect(events).toEqual([{ type: 'oom', id: 'lazy-c', pid: init.pid }]);
      expect(init.exitCode).toBeNull();
      expect(held()).toEqual([path.join(cg, 'memory.oom_control')]);
      await watcher.final('lazy-c');
      expect(held()).toEqual([]);
      expect(events).toHaveLength(1);
    }, 30_000);

    it('neither the polls nor the last look open anything while the machine counts no kill since the start', async () => {
      const { watcher, reader, events } = watching(100);
      const since = watcher.killsSoFar();
      const cg = limited();
      const init = await runIn(cg, 'sleep 60');
      await watcher.watch('calm', init.pid!, true, `/${path.basename(cg)}`, since);
      await new Promise((r) => setTimeout(r, 350)); // three polls, the first of them with no counter to compare
      init.kill('SIGTERM');
      await new Promise((r) => init.once('exit', r));
      await watcher.final('calm');
      expect(events).toEqual([]);
      // Other suites may OOM-kill meanwhile, and then the last look has to open the cgroup to know.
      // The counter only grows: if it still stands at `since`, it did when the last look read it.
      if (readVmOomKills('/proc') === since) expect(reader.opened).toBe(0);
      else expect(reader.opened).toBeLessThanOrEqual(1);
    }, 30_000);
  });
});

