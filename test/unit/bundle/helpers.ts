import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach } from 'vitest';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/bundles');

const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** A temp dir removed after the current test. */
export async function tempDir(prefix = 'legacyd-bundle-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A writable copy of a fixture bundle in a temp dir; returns the bundle path. */
export async function copyFixture(name: string): Promise<string> {
  const dir = path.join(await tempDir(), name);
  await fs.cp(path.join(FIXTURES, name), dir, { recursive: true });
  for (const f of await fs.readdir(dir)) await fs.chmod(path.join(dir, f), f === 'rootfs' ? 0o755 : 0o644);
  return dir;
}

export async function readJson(file: string): Promise<any> {
  return JSON.parse(await fs.readFile(file, 'utf8'));
}

/** Rewrites one JSON file of a bundle through `mutate`. */
export async function editJson(bundle: string, file: string, mutate: (doc: any) => void): Promise<void> {
  const p = path.join(bundle, file);
  const doc = await readJson(p);
  mutate(doc);
  await fs.writeFile(p, JSON.stringify(doc, null, 2));
}

/** Parsed config.json + runtime.json of a fixture, for the pure converter. */
export async function legacyDocs(name = 'legacy-0.2.0'): Promise<{ config: any; runtime: any }> {
  return {
    config: await readJson(path.join(FIXTURES, name, 'config.json')),
    runtime: await readJson(path.join(FIXTURES, name, 'runtime.json')),
  };
}

/** path → sha256 of every file under dir (recursively), to prove a bundle was not touched. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(entry.parentPath ?? (entry as any).path, entry.name);
    const st = await fs.lstat(p);
    out[path.relative(dir, p)] = st.isFile()
      ? createHash('sha256').update(await fs.readFile(p)).digest('hex') + ` ${st.mode.toString(8)} ${st.mtimeMs}`
      : `${st.isDirectory() ? 'dir' : 'other'} ${st.mode.toString(8)}`;
  }
  return out;
}
