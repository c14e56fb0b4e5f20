/**
 * Kept descriptors: reads through them see the file as it is now, a removed cgroup reads as a
 * missing file (not ENODEV) and frees its descriptor, and the table stays bounded.
 * The cgroupfs part makes a real cgroup (root); without root it is skipped locally, fails on CI.
 */
import { existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileReader, createSyncFileReader, type FileReader } from '../../../src/cgroups';
import { cgroupfsDirs, KeptFiles, keptCapacity } from '../../../src/cgroups/kept-files';

const dir = mkdtempSync(join(tmpdir(), 'cgroups-kept-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Paths this process holds open (/proc/self/fd), so a test can see whether a descriptor was kept. */
function openPaths(): string[] {
  const out: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.push(readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      // closed while listing
    }
  }
  return out;
}

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
    files.kept!.closeAll();
    // The async reader's worker closes on its next message; a read after it is ordered behind.
    expect(await files.read(join(dir, `${name}-f1`))).toBe('1\n');
    expect(openPaths()).not.toContain(p);
    expect(await files.readKept!(p)).toBe('x\n');
  });
});

describe('without keepOpen', () => {
  it('readers keep nothing and have no readKept', () => {
    expect(createFileReader().readKept).toBeUndefined();
    expect(createSyncFileReader().kept).toBeUndefined();
  });
});

describe('the kept table', () => {
  it('is bounded by an eighth of RLIMIT_NOFILE, and by what was asked', () => {
    const limits = join(dir, 'limits');
    writeFileSync(limits, 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            800                  4096                 files\n');
    expect(keptCapacity(4096, limits)).toBe(100);
    expect(keptCapacity(10, limits)).toBe(10);
    expect(keptCapacity(0, limits)).toBe(0);
    expect(keptCapacity(4096, join(dir, 'no-limits'))).toBe(128);
  });

  it('closes the oldest descriptor when full', () => {
    const t = new KeptFiles(2);
    const fds = [0, 1, 2].map((i) => {
      writeFileSync(join(dir, `t${i}`), '');
      return openSync(join(dir, `t${i}`), 'r');
    });
    fds.forEach((fd, i) => expect(t.keep(join(dir, `t${i}`), fd)).toBe(true));
    expect(t.size).toBe(2);
    expect(t.get(join(dir, 't0'))).toBeUndefined();
    expect(() => fstatSync(fds[0]!)).toThrow(expect.objectContaining({ code: 'EBADF' }));
    expect(t.keep(join(dir, 't1'), fds[1]!)).toBe(false); // already kept: the caller closes its own
    t.closeAll();
    expect(t.size).toBe(0);
    for (const fd of fds) expect(() => fstatSync(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }));
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
