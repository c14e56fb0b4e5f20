import * as fs from 'node:fs';
import * as path from 'node:path';
import { invalidArgument, isLegacydError, writeFailure } from '../errors';
import { writeAtomicSync } from '../write-atomic';
import { stringifySpec } from './json-exact';
import type { LoadedBundle } from './loaded-bundle';
import type { OciSpec } from './oci-types';

/**
 * `spec` as it works from any bundle directory: root.path and relative bind-mount sources (both
 * relative to the client's bundle in OCI) made absolute against `bundlePath`. The input is not
 * touched: what changes is new, and the rest is shared with it (so the result is for writing
 * out, not for editing).
 */
export function relocateSpec(spec: OciSpec, bundlePath: string): OciSpec {
  const out: OciSpec = { ...spec };
  if (spec.root) out.root = { ...spec.root, path: path.resolve(bundlePath, spec.root.path) };
  if (spec.mounts) {
    out.mounts = spec.mounts.map((m) => {
      const bind = m.type === 'bind' || (m.options ?? []).some((o) => o === 'bind' || o === 'rbind');
      return bind && m.source && !path.isAbsolute(m.source) ? { ...m, source: path.resolve(bundlePath, m.source) } : m;
    });
  }
  return out;
}

export interface WriteRuntimeConfigOptions {
  /** Write even when the client's bundle could be used as is (e.g. to set `cgroupsPath`). */
  always?: boolean;
  /** linux.cgroupsPath in the written config (loaded.spec itself is left as it is). */
  cgroupsPath?: string;
}

/**
 * Returns the bundle directory to give runc (`--bundle`). For a bundle that needs it (legacy), or
 * with `always`, writes the OCI config.json into `dir` (the container's state dir) atomically,
 * with absolute root.path into the client's bundle, and returns `dir`; otherwise returns the
 * client's own bundle path. The client's bundle is never written.
 */
export async function writeRuntimeConfig(loaded: LoadedBundle, dir: string, options: WriteRuntimeConfigOptions = {}): Promise<string> {
  if (!loaded.needsRewrite && !options.always) return loaded.bundlePath;
  if (!path.isAbsolute(dir)) throw invalidArgument(`runtime config dir ${JSON.stringify(dir)} is not absolute`);
  const target = path.join(dir, 'config.json');
  let text: string;
  try {
    // Checked before mkdir, through symlinks, so not even an empty directory lands in the bundle.
    // Blocking calls throughout: a few syscalls on the state dir cost less than as many
    // thread-pool round trips, and this runs on every create. realpath.native is libc's
    // realpath, not Node's lstat of every path component.
    const realDir = realpathOfNearest(dir);
    const realBundle = fs.realpathSync.native(loaded.bundlePath);
    if (realDir === realBundle || realDir.startsWith(realBundle.replace(/\/$/, '') + '/')) {
      throw invalidArgument(`refusing to write the runtime config into the client's bundle ${loaded.bundlePath} (${dir})`);
    }
    fs.mkdirSync(dir, { recursive: true });
    const spec = relocateSpec(loaded.spec, loaded.bundlePath);
    if (options.cgroupsPath !== undefined) spec.linux = { ...spec.linux, cgroupsPath: options.cgroupsPath };
    text = stringifySpec(spec);
  } catch (err) {
    if (isLegacydError(err)) throw err;
    throw writeFailure(`writing runtime config ${target}: ${(err as Error).message}`, err);
  }
  writeAtomicSync(target, text, { mode: 0o644, what: `runtime config ${target}` });
  return dir;
}

/** realpath of `p`, or of its nearest existing ancestor with the missing rest appended. */
function realpathOfNearest(p: string): string {
  const rest: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    try {
      return path.join(fs.realpathSync.native(cur), ...rest.reverse());
    } catch (err) {
      const parent = path.dirname(cur);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === cur) throw err;
      rest.push(path.basename(cur));
      cur = parent;
    }
  }
}
