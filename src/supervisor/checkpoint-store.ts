import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { CheckpointView } from './events';
import { listDirs, readJson, writeJsonAtomic } from './state-dir';

/** Beside the CRIU images: the options a checkpoint was taken with (the 2015 original kept names only). */
export const OPTIONS_FILE = 'legacyd-checkpoint.json';

export interface StoredCheckpoint extends CheckpointView {
  created: string;
}

function isStored(v: unknown): v is StoredCheckpoint {
  const s = v as StoredCheckpoint;
  return typeof s === 'object' && s !== null && typeof s.name === 'string';
}

/** Checkpoints belong to the bundle and outlive the container: <bundle>/checkpoints/<name>/. */
export class CheckpointStore {
  constructor(readonly bundlePath: string) {}

  get root(): string {
    return path.join(this.bundlePath, 'checkpoints');
  }
  dir(name: string): string {
    return path.join(this.root, name);
  }

  async exists(name: string): Promise<boolean> {
    try {
      return (await fs.stat(this.dir(name))).isDirectory();
    } catch {
      return false;
    }
  }

  /** Creates the (empty) image dir; false when the name is taken. runc would make it 0600. */
  async claim(name: string): Promise<boolean> {
    await fs.mkdir(this.root, { recursive: true, mode: 0o755 });
    try {
      await fs.mkdir(this.dir(name), { mode: 0o755 });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  }

  async record(c: CheckpointView): Promise<void> {
    const stored: StoredCheckpoint = { ...c, created: new Date().toISOString() };
    await writeJsonAtomic(path.join(this.dir(c.name), OPTIONS_FILE), stored);
  }

  /** Every checkpoint dir, with its options (defaults for images made by other tools). */
  async list(): Promise<StoredCheckpoint[]> {
    const out: StoredCheckpoint[] = [];
    for (const name of await listDirs(this.root)) {
      const r = await readJson(path.join(this.dir(name), OPTIONS_FILE), isStored);
      const v = r.kind === 'ok' ? r.value : undefined;
      out.push({
        name,
        exit: v?.exit ?? false,
        tcp: v?.tcp ?? false,
        unixSockets: v?.unixSockets ?? false,
        shell: v?.shell ?? false,
        created: v?.created ?? '',
      });
    }
    return out;
  }

  async options(name: string): Promise<StoredCheckpoint | undefined> {
    return (await this.list()).find((c) => c.name === name);
  }

  async remove(name: string): Promise<void> {
    await fs.rm(this.dir(name), { recursive: true, force: true });
  }
}

/** The CRIU log lines worth showing (errors, minus the harmless RLIMIT_NOFILE one). */
export function criuLogExcerpt(text: string, max = 5): string {
  return text
    .split('\n')
    .filter((l) => /Error|error|FAILED/.test(l) && !/RLIMIT_NOFILE/.test(l))
    .slice(-max)
    .map((l) => l.replace(/^\(\s*[\d.]+\)\s*/, '').trim())
    .join('; ');
}
