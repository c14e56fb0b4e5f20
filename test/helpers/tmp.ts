import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';

/** Every temp dir the helpers made in this worker, so one call removes them all. */
const made = new Set<string>();

/** A fresh dir under the OS temp dir, removed by removeTempDirs(). */
export async function tempDir(prefix: string, parent = os.tmpdir()): Promise<string> {
  const dir = await fs.promises.mkdtemp(path.join(parent, `${prefix}-`));
  made.add(dir);
  return dir;
}

/** Remove one dir (tolerant: monitors may still be writing exit files into a state dir). */
export async function removeDir(dir: string): Promise<void> {
  made.delete(dir);
  await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }).catch(() => undefined);
}

export async function removeTempDirs(): Promise<void> {
  await Promise.all([...made].map(removeDir));
}

/**
 * For a test file: `tmp()` makes a fresh dir under the OS temp dir (synchronously), and every
 * one made is removed after each test.
 */
export function useTempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    dirs.push(d);
    return d;
  };
}
