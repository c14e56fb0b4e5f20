/**
 * Reads a real runc container on this machine through the default roots (/sys/fs/cgroup, /proc).
 * Without runc (or root) the suite is skipped locally but FAILS when CI is set.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CgroupReader, readNetDev, type Cgroup } from '../../../src/cgroups';
import { openPaths } from '../../helpers/fds';

const RUNC = process.env.RUNC ?? 'runc';
const MAKE_BUNDLE = resolve(__dirname, '../../../scripts/make-bundle.sh');

function runcProblem(): string | undefined {
  try {
    execFileSync(RUNC, ['--version'], { stdio: 'ignore' });
  } catch (e) {
    return `${RUNC} is not runnable: ${(e as Error).message}`;
  }
  if (process.getuid?.() !== 0) return 'runc containers need root';
  return undefined;
}

const problem = runcProblem();

if (problem !== undefined && process.env.CI) {
  describe('live runc container', () => {
    it('needs runc on CI', () => {
      throw new Error(problem);
    });
  });
}

/**
 * A detached runc container running `args` for the enclosing describe: started before its tests,
 * deleted after them. `pid` is its init's host pid once started.
 */
function useRuncContainer(name: string, args: string[]): { readonly id: string; readonly pid: number } {
  const id = `legacyd-${name}-${process.pid}-${Date.now().toString(36)}`;
  let bundle = '';
  let pid = 0;

  beforeAll(() => {
    bundle = mkdtempSync(join(tmpdir(), `legacyd-${name}-`));
    execFileSync(MAKE_BUNDLE, [bundle, ...args], { stdio: 'ignore' });
    // stdio must not be a pipe: the detached container would hold it open and runc would never "finish".
    execFileSync(RUNC, ['run', '-d', id], { cwd: bundle, stdio: 'ignore' });
    pid = (JSON.parse(execFileSync(RUNC, ['state', id]).toString()) as { pid: number }).pid;
  });

  afterAll(() => {
    try {
      execFileSync(RUNC, ['delete', '-f', id], { stdio: 'ignore' });
    } catch {
      // never started, or already deleted by the test
    }
    if (bundle) rmSync(bundle, { recursive: true, force: true });
  });

  return {
    id,
    get pid() {
      return pid;
    },
  };
}

describe.skipIf(problem !== undefined)('live runc container (cpu burner)', () => {
  const container = useRuncContainer('cgtest', ['sh', '-c', 'while :; do :; done']);
  let cg: Cgroup;

  it('resolves the container cgroup on the host', async () => {
    const reader = new CgroupReader();
    cg = await reader.forPid(container.pid);
    expect(cg.path.endsWith(`/${container.id}`)).toBe(true);
    // runc uses v1 controllers on v1 and hybrid hosts
    expect(cg.version).toBe((await reader.mode()) === 'v2' ? 2 : 1);
  });

  it('sees the cpu total grow while the burner runs', async () => {
    const a = await cg.stats();
    await new Promise((r) => setTimeout(r, 300));
    const b = await cg.stats();
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    expect(b.cpu!.usage!.total).toBeGreaterThan(a.cpu!.usage!.total);
    expect(b.cpu!.usage!.total).toBeGreaterThan(0n);
  });

  it('reads memory usage and a non-empty memory.stat', async () => {
    const m = (await cg.stats()).memory!;
    expect(m.usage.usage).toBeGreaterThan(0n);
    expect(Object.keys(m.stats).length).toBeGreaterThan(10);
    expect(m.limit).toBe('max');
    expect(m.workingSet).toBeLessThanOrEqual(m.usage.usage);
  });

  it('reads pids and an OOM counter', async () => {
    const s = await cg.stats();
    expect(s.pids!.current).toBeGreaterThanOrEqual(1n);
    expect(await cg.oomKills()).toBe(0n);
  });

  it('reads net/dev of the container namespace, lo included', async () => {
    const devs = await readNetDev('/proc', container.pid);
    expect(devs.map((d) => d.name)).toContain('lo');
  });
});

describe.skipIf(problem !== undefined)('live runc container removed under kept descriptors', () => {
  const container = useRuncContainer('cgkept', ['sleep', '3600']);

  it('reads the same as a reader that opens every file, before and after the cgroup is gone, and frees the descriptors', async () => {
    const readers = {
      reopen: new CgroupReader({ io: 'sync', keepOpenFiles: 0 }),
      sync: new CgroupReader({ io: 'sync' }),
      async: new CgroupReader(),
      released: new CgroupReader({ io: 'sync' }),
    };
    await readers.async.files.kept!.ready();
    const cgs = Object.fromEntries(await Promise.all(Object.entries(readers).map(async ([k, r]) => [k, await r.forPid(container.pid)] as const)));
    const dirs = [...new Set(Object.values(cgs.sync!.dirs))] as string[];
    const under = () => openPaths().filter((p) => dirs.some((d) => p.startsWith(d + '/')));
    for (const cg of Object.values(cgs)) expect((await cg.stats()).errors).toEqual([]);
    // Kept: the cpu, memory, blkio/io and pids files stay open (three readers of the four keep them; 12 or more files each).
    expect(under().length).toBeGreaterThanOrEqual(3 * 12);
    const before = under().length;
    readers.released.release(cgs.released!);
    expect(under().length).toBeLessThan(before);
    const memory = (await cgs.sync!.stats()).memory!;
    expect(memory.usage.usage).toBeGreaterThan(0n);

    execFileSync(RUNC, ['delete', '-f', container.id], { stdio: 'ignore' });
    const after = Object.fromEntries(await Promise.all(Object.entries(cgs).map(async ([k, cg]) => [k, await cg.stats()] as const)));
    expect(after.reopen!.errors.map((e) => e.group)).toEqual(expect.arrayContaining(['cpu', 'memory', 'pids']));
    expect(after.reopen!.errors.every((e) => e.kind === 'missing')).toBe(true);
    for (const k of ['sync', 'async', 'released']) expect(after[k]).toEqual(after.reopen);
    expect(under()).toEqual([]);
  });
});
