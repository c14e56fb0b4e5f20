import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkRootfs, loadBundle } from './load';
import type { LoadedBundle } from './loaded-bundle';

/** A file changed less than this long ago may change again within its timestamps' granularity unseen. */
const SETTLE_MS = 2_000;

interface Entry {
  /** Versions (versionOf) of config.json and, for a legacy bundle, runtime.json. */
  config: string;
  runtime: string;
  bundle: LoadedBundle;
}

/**
 * loadBundle, remembered per bundle path while the files it read stay the same: config.json and,
 * for a legacy bundle, runtime.json, each the same file (device, inode) with the same size,
 * mtime and ctime. A create from a bundle seen before then stats those files and the rootfs
 * instead of reading, parsing, validating and converting them again. A file changed in the
 * last 2 s is not remembered (a second change within its timestamps' granularity would keep
 * them), so its next load reads it again. What it returns is shared between creates, so it is
 * frozen. At most `max` bundles, the least recently used going first.
 */
export class BundleCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly max = 64,
    private readonly now: () => number = Date.now,
  ) {}

  async load(bundlePath: string): Promise<LoadedBundle> {
    const usable = typeof bundlePath === 'string' && path.isAbsolute(bundlePath);
    // Taken before any read: a change during one makes the next load read again.
    const config = usable ? this.versionOf(path.join(bundlePath, 'config.json')) : '';
    const hit = usable ? this.entries.get(bundlePath) : undefined;
    if (hit) {
      this.entries.delete(bundlePath);
      if (hit.config === config && hit.runtime === this.runtimeVersion(hit.bundle)) {
        checkRootfs(bundlePath, hit.bundle.rootfs);
        this.entries.set(bundlePath, hit); // the most recently used last
        return hit.bundle;
      }
    }
    const runtime = usable ? this.versionOf(path.join(bundlePath, 'runtime.json')) : '';
    const bundle = await loadBundle(bundlePath);
    if (config !== '' && (bundle.format !== 'legacy-0.2.0' || runtime !== '')) {
      this.entries.set(bundlePath, { config, runtime: bundle.format === 'legacy-0.2.0' ? runtime : '', bundle: deepFreeze(bundle) });
      if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    }
    return bundle;
  }

  private runtimeVersion(b: LoadedBundle): string {
    return b.format === 'legacy-0.2.0' ? this.versionOf(path.join(b.bundlePath, 'runtime.json')) : '';
  }

  /** Device, inode, size, mtime and ctime of a settled regular file; '' for any other (or none). */
  private versionOf(file: string): string {
    let s: fs.BigIntStats;
    try {
      s = fs.statSync(file, { bigint: true });
    } catch {
      return '';
    }
    if (!s.isFile() || this.now() - Number(s.mtimeMs > s.ctimeMs ? s.mtimeMs : s.ctimeMs) < SETTLE_MS) return '';
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
  }
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}
