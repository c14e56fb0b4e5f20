import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CgroupRoots } from '../../../src/cgroups';

export const FIXTURES = resolve(__dirname, '../../fixtures/cgroups');

/** {cgroupRoot, procRoot} of a fixture tree. */
export function rootsOf(tree: string): CgroupRoots {
  return { cgroupRoot: join(FIXTURES, tree, 'sys/fs/cgroup'), procRoot: join(FIXTURES, tree, 'proc') };
}

export function fixtureText(tree: string, rel: string): string {
  return readFileSync(join(FIXTURES, tree, rel), 'utf8');
}

/** NAME_ID / NAME_PID lines written by scripts/capture-cgroup-fixtures.sh. */
export function capturedContainers(tree = 'hybrid-runc'): Record<'burner' | 'memlimit', { id: string; pid: number }> {
  const env = Object.fromEntries(
    fixtureText(tree, 'containers.env')
      .trim()
      .split('\n')
      .map((l) => l.split('=') as [string, string]),
  );
  const get = (name: string) => ({ id: env[`${name}_ID`]!, pid: Number(env[`${name}_PID`]) });
  return { burner: get('burner'), memlimit: get('memlimit') };
}

/** [group, kind] of every stats group, in order, when the cgroup was removed: what stats() and sample() report then. */
export const EVERY_GROUP_MISSING = [
  ['cpu', 'missing'],
  ['memory', 'missing'],
  ['blkio', 'missing'],
  ['hugetlb', 'missing'],
  ['pids', 'missing'],
];

/** The error `fn` throws (or undefined), for toMatchObject on kind and message. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** A scratch dir (`dir`) for private copies of fixture trees, to damage: `copy(tree, name)`; `remove()` deletes them all. */
export function scratchTrees(prefix: string): { dir: string; copy(tree: string, name: string): CgroupRoots & { base: string }; remove(): void } {
  const scratch = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir: scratch,
    copy(tree, name) {
      const base = join(scratch, name);
      cpSync(join(FIXTURES, tree), base, { recursive: true });
      return { base, cgroupRoot: join(base, 'sys/fs/cgroup'), procRoot: join(base, 'proc') };
    },
    remove: () => rmSync(scratch, { recursive: true, force: true }),
  };
}
