import * as fs from 'node:fs/promises';
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, unlinkSync, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { writeFailure } from '../errors';
import { writeAtomicSync } from '../write-atomic';

/**
 * The daemon's on-disk state. Everything here is written atomically (tmp + rename) so a
 * kill -9 at any moment leaves either the old or the new file, never a torn one; readers
 * still tolerate garbage, because a torn write must never stop the daemon from starting.
 *
 *   <root>/runc/                                  runc --root
 *   <root>/containers/<id>/container.json         ContainerRecord
 *   <root>/containers/<id>/config.json            the OCI config runc runs (client bundle untouched)
 *   <root>/containers/<id>/processes/<pid-key>/   process.json, monitor.json, pid, exit, runc.log
 */
export class StateDir {
  constructor(readonly root: string) {}

  get runcRoot(): string {
    return path.join(this.root, 'runc');
  }
  get containersDir(): string {
    return path.join(this.root, 'containers');
  }
  containerDir(id: string): string {
    return path.join(this.containersDir, id);
  }
  processesDir(id: string): string {
    return path.join(this.containerDir(id), 'processes');
  }
  processDir(id: string, key: string): string {
    return path.join(this.processesDir(id), key);
  }

  async init(): Promise<void> {
    await fs.mkdir(this.runcRoot, { recursive: true, mode: 0o711 });
    await fs.mkdir(this.containersDir, { recursive: true, mode: 0o711 });
  }

  /** Claims a container id on disk; false when the directory already exists. (processes/ comes with the first process dir.) */
  claimContainer(id: string): boolean {
    try {
      mkdirSync(this.containerDir(id), { mode: 0o711 });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw writeFailure(`creating ${this.containerDir(id)}: ${(e as Error).message}`, e);
    }
  }

  async listContainerIds(): Promise<string[]> {
    return listDirs(this.containersDir);
  }
  async listProcessKeys(id: string): Promise<string[]> {
    return listDirs(this.processesDir(id));
  }

  async removeContainer(id: string): Promise<void> {
    removeTreeSync(this.containerDir(id));
  }
  async removeProcess(id: string, key: string): Promise<void> {
    removeTreeSync(this.processDir(id, key));
  }
}

/**
 * Removes `path` and, when it is a directory (not a symlink to one), all below it, blocking; an
 * absent `path` is no error. Node 20's fs.rm walks a tree with a thread-pool round trip per
 * syscall (an lstat, then the unlink or rmdir, per entry): for a container's dozen small files
 * that was half the daemon's CPU per container exit. Here the dirents tell directories apart,
 * so it is one readdir per directory and one unlink per file, on tmpfs by default.
 */
export function removeTreeSync(target: string): void {
  const st = lstatSync(target, { throwIfNoEntry: false });
  if (st === undefined) return;
  if (st.isDirectory()) removeDirSync(target);
  else unlinkIfThere(target);
}

function removeDirSync(dir: string): void {
  // A file appearing meanwhile (a monitor's late exit file) makes rmdir fail: another pass.
  for (let pass = 0; ; pass++) {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    for (const entry of entries) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) removeDirSync(p);
      else unlinkIfThere(p);
    }
    try {
      rmdirSync(dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'ENOTEMPTY' || pass >= 2) throw e;
    }
  }
}

/** unlink, where an absent file is no error (a directory goes whole). */
export function unlinkIfThere(p: string): void {
  try {
    unlinkSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    // A directory its dirent did not say was one (DT_UNKNOWN, on some filesystems).
    if (code === 'EISDIR') return removeDirSync(p);
    throw e;
  }
}

export async function listDirs(dir: string): Promise<string[]> {
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

/** `value` as JSON, through writeAtomicSync (whole or not at all). */
export function writeJsonAtomicSync(file: string, value: unknown): void {
  writeAtomicSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** writeJsonAtomicSync as a promise (a failure rejects instead of throwing). */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  writeJsonAtomicSync(file, value);
}

/** Result of reading a state file: absent, readable, or present but unreadable (torn, garbage). */
export type ReadResult<T> = { kind: 'absent' } | { kind: 'ok'; value: T } | { kind: 'corrupt'; reason: string };

export async function readText(file: string): Promise<ReadResult<string>> {
  try {
    return { kind: 'ok', value: await fs.readFile(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'corrupt', reason: `${file}: ${(e as Error).message}` };
  }
}

export async function readJson<T>(file: string, check: (v: unknown) => v is T): Promise<ReadResult<T>> {
  const text = await readText(file);
  if (text.kind !== 'ok') return text;
  try {
    const v: unknown = JSON.parse(text.value);
    return check(v) ? { kind: 'ok', value: v } : { kind: 'corrupt', reason: `${file}: unexpected shape` };
  } catch (e) {
    return { kind: 'corrupt', reason: `${file}: ${(e as Error).message}` };
  }
}

/** A decimal integer file such as runc's pid file or the monitor's exit file. */
export async function readInt(file: string): Promise<ReadResult<number>> {
  return intOf(file, await readText(file));
}

/** readInt with a blocking read, for a tiny file on a hot path (an absent one, the usual case there, costs one stat and no exception). */
export function readIntSync(file: string): ReadResult<number> {
  let text: ReadResult<string>;
  if (statSync(file, { throwIfNoEntry: false }) === undefined) return { kind: 'absent' };
  try {
    text = { kind: 'ok', value: readFileSync(file, 'utf8') };
  } catch (e) {
    text = (e as NodeJS.ErrnoException).code === 'ENOENT' ? { kind: 'absent' } : { kind: 'corrupt', reason: `${file}: ${(e as Error).message}` };
  }
  return intOf(file, text);
}

function intOf(file: string, text: ReadResult<string>): ReadResult<number> {
  if (text.kind !== 'ok') return text;
  const t = text.value.trim();
  if (!/^\d+$/.test(t)) return { kind: 'corrupt', reason: `${file}: ${JSON.stringify(t.slice(0, 40))} is not a number` };
  return { kind: 'ok', value: Number(t) };
}
