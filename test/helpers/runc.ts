import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { onTestFinished } from 'vitest';

const run = promisify(execFile);

export interface RuncContainer {
  id: string;
  pid: number;
  status: string;
  bundle: string;
}

/** `runc --root R list --format json` (an absent root lists nothing). */
export async function runcList(root: string): Promise<RuncContainer[]> {
  const { stdout } = await run('runc', ['--root', root, 'list', '--format', 'json'], { timeout: 30_000 });
  const parsed = JSON.parse(stdout.trim() || 'null') as RuncContainer[] | null;
  return parsed ?? [];
}

/** `runc --root R state ID`, or undefined when runc does not know the container. */
export async function runcState(root: string, id: string): Promise<RuncContainer | undefined> {
  try {
    const { stdout } = await run('runc', ['--root', root, 'state', id], { timeout: 30_000 });
    return JSON.parse(stdout) as RuncContainer;
  } catch {
    return undefined;
  }
}

/** `runc --root R ps --format json ID`: the pids of every process in the container. */
export async function runcPs(root: string, id: string): Promise<number[]> {
  const { stdout } = await run('runc', ['--root', root, 'ps', '--format', 'json', id], { timeout: 30_000 });
  return (JSON.parse(stdout.trim() || 'null') as number[] | null) ?? [];
}

async function quietly(args: string[]): Promise<void> {
  await run('runc', args, { timeout: 30_000 }).catch(() => undefined);
}

/**
 * Kill and force-delete the given containers (all of them when ids is omitted) under a runc
 * root, bypassing the daemon: thaw if paused (a frozen init cannot die), SIGKILL every
 * process, then `runc delete -f`. Tolerant of containers that vanish meanwhile.
 */
export async function killContainers(root: string, ids?: string[]): Promise<void> {
  const listed = await runcList(root).catch(() => [] as RuncContainer[]);
  const targets = listed.filter((c) => !ids || ids.includes(c.id));
  await Promise.all(
    targets.map(async (c) => {
      if (c.status === 'paused') await quietly(['--root', root, 'resume', c.id]);
      await quietly(['--root', root, 'kill', '--all', c.id, 'KILL']);
      await quietly(['--root', root, 'delete', '-f', c.id]);
    }),
  );
}

/** Everything under that runc root dies and is deleted (afterAll / afterEach). */
export async function cleanupRunc(root: string): Promise<void> {
  await killContainers(root);
}

/**
 * Inside a test: make sure these containers are gone when it finishes, pass or fail.
 * Returns the first id, for `const id = cleanupAfterTest(root, 'core-hello')`.
 */
export function cleanupAfterTest(root: string, ...ids: string[]): string {
  onTestFinished(() => killContainers(root, ids));
  return ids[0]!;
}

const CGROUP_ROOT = '/sys/fs/cgroup';

/** The cgroup v1 controller dirs (memory, cpu, ...) or just the unified root on v2. */
function controllerDirs(): string[] {
  if (fs.existsSync(path.join(CGROUP_ROOT, 'cgroup.controllers'))) return [CGROUP_ROOT];
  return fs
    .readdirSync(CGROUP_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(CGROUP_ROOT, d.name));
}

/** rmdir a cgroup tree depth-first (cgroupfs dirs hold only pseudo-files, so rmdir is it). */
function rmdirTree(dir: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) if (e.isDirectory()) rmdirTree(path.join(dir, e.name));
  try {
    fs.rmdirSync(dir);
  } catch {
    // busy (a process still in it) or already gone: nothing more a test can do
  }
}

/** Remove a test daemon's cgroup parent (e.g. /legacyd-test-123-ab) from every controller. */
export function removeCgroupParent(parent: string): void {
  const rel = parent.replace(/^\/+/, '');
  if (!rel || rel.includes('..')) throw new Error(`refusing to remove cgroup parent ${JSON.stringify(parent)}`);
  for (const ctl of controllerDirs()) rmdirTree(path.join(ctl, rel));
}

/** The cgroups directly under a cgroup parent, in any controller (v1) or on the unified tree (v2). */
export function childCgroups(parent: string): Set<string> {
  const names = new Set<string>();
  for (const ctl of controllerDirs()) {
    try {
      for (const e of fs.readdirSync(path.join(ctl, parent), { withFileTypes: true })) if (e.isDirectory()) names.add(e.name);
    } catch {
      // this controller has no such parent
    }
  }
  return names;
}

/** Where a container's memory cgroup lives under a cgroup parent (v1: the memory controller; v2: unified). */
export function memoryCgroupDir(parent: string, id: string): string {
  const v2 = fs.existsSync(path.join(CGROUP_ROOT, 'cgroup.controllers'));
  return v2 ? path.join(CGROUP_ROOT, parent, id) : path.join(CGROUP_ROOT, 'memory', parent, id);
}
