/**
 * Kept descriptors: reads through them see the file as it is now, a removed cgroup reads as a
 * missing file (not ENODEV) and frees its descriptor, and the table stays bounded.
 * The cgroupfs part makes a real cgroup (root); without root it is skipped locally, fails on CI.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileReader, createSyncFileReader, type FileReader } from '../../../src/cgroups';
import { cgroupfsDirs, KeptFiles, keptCapacity, SWEEP_INTERVAL_MS } from '../../../src/cgroups/kept-files';
import { openPaths } from '../../helpers/fds';

const dir = mkdtempSync(join(tmpdir(), 'cgroups-kept-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A first read through readKept, once reads go through kept descriptors (the async reader's worker is up); the path is then held open. */
async function readUntilKept(files: FileReader, path: string): Promise<string> {
  await files.kept!.ready();
  const text = await files.readKept!(path);
  expect(openPaths()).toContain(path);
  return text;
}

const readers = (): Record<string, FileReader> => ({ async: createFileReader({ keepOpen: 64 }), sync: createSyncFileReader({ keepOpen: 64 }) });

describe.each(Object.entries(readers()))('%s reader with kept descriptors (regular files)', (name, files) => {
  it('reads whole files, and sees them rewritten in place', async () => {
    const p = join(dir, `${name}-value`);
    writeFileSync(p, '1\n');
    expect(await readUntilKept(files, p)).toBe('1\n');
    writeFileSync(p, '22\n');
    expect(await files.readKept!(p)).toBe('22\n');
    const big = Array.from({ length: 3000 }, (_, i) => `key_${i} ${i}`).join('\n') + '\n';
    writeFileSync(p, big);
    expect(await files.readKept!(p)).toBe(big);
    expect(await files.readKept!(p)).toBe(big);
  });

  it('gives every read of a batch its own file, and fails a missing one alone', async () => {
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, `${name}-f${i}`), `${i}\n`);
    const results = await Promise.allSettled([
      ...Array.from({ length: 40 }, (_, i) => files.readKept!(join(dir, `${name}-f${i}`))),
      files.readKept!(join(dir, 'nope')),
      files.read(join(dir, `${name}-f3`)),
    ]);
    expect(results.slice(0, 40).map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(Array.from({ length: 40 }, (_, i) => `${i}\n`));
    expect(results[40]).toMatchObject({ status: 'rejected', reason: { code: 'ENOENT' } });
    expect(results[41]).toEqual({ status: 'fulfilled', value: '3\n' });
  });

  it('closeAll releases every kept descriptor; reads go on', async () => {
    const p = join(dir, `${name}-close`);
    writeFileSync(p, 'x\n');
    await readUntilKept(files, p);
    const other = join(dir, `${name}-close-other`);
    writeFileSync(other, '1\n');
    files.kept!.closeAll();
    // The async reader's worker closes on its next message; a read after it is ordered behind.
    expect(await files.read(other)).toBe('1\n');
    expect(openPaths()).not.toContain(p);
    expect(await files.readKept!(p)).toBe('x\n');
  });
});

describe.each([
  ['async', () => createFileReader({ keepOpen: 2 })],
  ['sync', () => createSyncFileReader({ keepOpen: 2 })],
] as const)('%s reader with a full table', (name, make) => {
  it('keeps the first files and reads the rest afresh, evicting no live one', async () => {
    const files = make();
    const sub = (d: string, i: number): string => join(dir, `${name}-full-${d}`, `f${i}`);
    for (const d of ['a', 'b']) {
      mkdirSync(join(dir, `${name}-full-${d}`), { recursive: true });
      for (let i = 0; i < 2; i++) writeFileSync(sub(d, i), `${d}${i}\n`);
    }
    await readUntilKept(files, sub('a', 0));
    await readUntilKept(files, sub('a', 1));
    // Full with live entries: a third file is read (right) but not held, and the first two stay kept.
    expect(await files.readKept!(sub('b', 0))).toBe('b0\n');
    expect(await files.readKept!(sub('b', 0))).toBe('b0\n');
    const held = openPaths();
    expect(held).toContain(sub('a', 0));
    expect(held).toContain(sub('a', 1));
    expect(held).not.toContain(sub('b', 0));
    files.kept!.closeAll();
    await files.read(sub('b', 1)); // the async reader's close is ordered before this read
    expect(openPaths().filter((p) => p.startsWith(join(dir, `${name}-full-`)))).toEqual([]);
  });
});

describe('without keepOpen', () => {
  it('readers keep nothing and have no readKept', () => {
    expect(createFileReader().readKept).toBeUndefined();
    expect(createSyncFileReader().kept).toBeUndefined();
  });
});

describe('the kept table', () => {
  it('is bounded by a quarter of RLIMIT_NOFILE, and by what was asked', () => {
    const limits = join(dir, 'limits');
    writeFileSync(limits, 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            800                  4096                 files\n');
    expect(keptCapacity(4096, limits)).toBe(200);
    expect(keptCapacity(10, limits)).toBe(10);
    expect(keptCapacity(0, limits)).toBe(0);
    expect(keptCapacity(4096, join(dir, 'no-limits'))).toBe(256);
  });

  /** Files t0..t{n-1} in their own directory `sub`, opened. */
  function openFiles(sub: string, n: number): { paths: string[]; fds: number[] } {
    mkdirSync(join(dir, sub), { recursive: true });
    const paths = Array.from({ length: n }, (_, i) => join(dir, sub, `t${i}`));
    for (const p of paths) writeFileSync(p, '');
    return { paths, fds: paths.map((p) => openSync(p, 'r')) };
  }

  it('full, it keeps what it has: a later file is not taken, so reads in a fixed order never all miss', () => {
    const t = new KeptFiles(2);
    const { paths, fds } = openFiles('full', 3);
    expect(t.keep(paths[0]!, fds[0]!)).toBe(true);
    expect(t.keep(paths[1]!, fds[1]!)).toBe(true);
    expect(t.keep(paths[2]!, fds[2]!)).toBe(false); // the caller closes its own
    expect(t.size).toBe(2);
    expect(t.get(paths[0]!)).toBe(fds[0]);
    expect(fstatSync(fds[0]!).isFile()).toBe(true); // still open
    expect(t.keep(paths[1]!, fds[1]!)).toBe(false); // already kept
    closeSync(fds[2]!);
    t.closeAll();
    expect(t.size).toBe(0);
    for (const fd of fds) expect(() => fstatSync(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });

  it('full, it drops the descriptors of a removed directory to make room, at most once per sweep interval', () => {
    let clock = 0;
    const t = new KeptFiles(2, () => clock);
    const gone = openFiles('gone', 1);
    const live = openFiles('live', 3);
    expect(t.keep(gone.paths[0]!, gone.fds[0]!)).toBe(true);
    expect(t.keep(live.paths[0]!, live.fds[0]!)).toBe(true);
    rmSync(join(dir, 'gone'), { recursive: true });
    // The first sweep finds the removed directory: its descriptor is closed and the new one kept.
    expect(t.keep(live.paths[1]!, live.fds[1]!)).toBe(true);
    expect(t.get(gone.paths[0]!)).toBeUndefined();
    expect(() => fstatSync(gone.fds[0]!)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    // Full again with live entries only: no second sweep within the interval, nothing live evicted.
    expect(t.keep(live.paths[2]!, live.fds[2]!)).toBe(false);
    clock += SWEEP_INTERVAL_MS;
    expect(t.keep(live.paths[2]!, live.fds[2]!)).toBe(false); // swept, but every directory lives
    expect([t.get(live.paths[0]!), t.get(live.paths[1]!)]).toEqual([live.fds[0], live.fds[1]]);
    closeSync(live.fds[2]!);
    t.closeAll();
  });
});

/** A cgroup directory with a pids controller (v1 pids hierarchy, or v2 with pids enabled), or why not. */
function pidsParent(): string | { skip: string } {
  if (process.getuid?.() !== 0) return { skip: 'making a cgroup needs root' };
  for (const d of ['/sys/fs/cgroup/pids', '/sys/fs/cgroup']) {
    if (!existsSync(`${d}/cgroup.procs`)) continue;
    const sub = `${d}/cgroup.subtree_control`;
    if (existsSync(sub) && !readFileSync(sub, 'utf8').split(/\s+/).includes('pids')) continue;
    return d;
  }
  return { skip: 'no cgroup with the pids controller' };
}

const parent = pidsParent();

if (typeof parent !== 'string' && process.env.CI) {
  describe('kept descriptors on cgroupfs', () => {
    it('needs root and a pids cgroup on CI', () => {
      throw new Error(parent.skip);
    });
  });
}

describe.skipIf(typeof parent !== 'string')('kept descriptors on cgroupfs', () => {
  const base = parent as string;

  it('only cgroup filesystems are kept open', async () => {
    expect([...(await cgroupfsDirs([base, dir, join(dir, 'gone')]))]).toEqual([base]);
  });

  describe.each(Object.entries(readers()))('%s reader', (name, files) => {
    const cg = `${base}/legacyd-kept-${name}-${process.pid}`;
    afterAll(() => {
      if (existsSync(cg)) rmdirSync(cg);
    });

    it('reads fresh values through a kept descriptor; a removed cgroup reads as missing and frees it', async () => {
      mkdirSync(cg);
      const max = `${cg}/pids.max`;
      writeFileSync(max, '7');
      expect(await readUntilKept(files, max)).toBe('7\n');
      writeFileSync(max, '9');
      expect(await files.readKept!(max)).toBe('9\n');
      expect(openPaths()).toContain(max);
      rmdirSync(cg);
      // The kept descriptor now fails with ENODEV; the reader drops it and reports what a fresh open says.
      await expect(files.readKept!(max)).rejects.toMatchObject({ code: 'ENOENT' });
      expect(openPaths().filter((p) => p.startsWith(cg))).toEqual([]);
    });
  });
});
