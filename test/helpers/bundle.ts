import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MAKE_BUNDLE } from './paths';
import { tempDir } from './tmp';

const run = promisify(execFile);

export interface BundleOptions {
  /** linux.resources.memory.limit in bytes. */
  memoryLimit?: number;
  /** Mount a tmpfs on /tmp (CRIU-friendly scratch space). */
  tmpfsTmp?: boolean;
  /** Drop linux.resources entirely (the original daemon crashed on such bundles). */
  noResources?: boolean;
  /** Replace process.env. */
  env?: string[];
  /** Replace process.cwd. */
  cwd?: string;
}

/** The OCI config fields these tests touch; the rest passes through untouched. */
interface OciConfig {
  process: { args: string[]; env?: string[]; cwd: string; terminal?: boolean };
  mounts?: Array<{ destination: string; type: string; source: string; options?: string[] }>;
  linux?: { resources?: { memory?: { limit?: number } } & Record<string, unknown> } & Record<string, unknown>;
}

let template: Promise<string> | undefined;

/** One make-bundle.sh run per worker; each bundle then copies it (a rootfs of its own is cheap). */
function templateBundle(): Promise<string> {
  template ??= (async () => {
    const dir = path.join(await tempDir('legacyd-bundle-template'), 'bundle');
    await run('sh', [MAKE_BUNDLE, dir, 'sleep', '3600']);
    return dir;
  })();
  return template;
}

export function readConfig(bundle: string): OciConfig {
  return JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8')) as OciConfig;
}

/**
 * A fresh OCI bundle (busybox rootfs, terminal=false) running `args`, in its own temp dir
 * (removed by removeTempDirs). Returns the absolute bundle path.
 */
export async function makeBundle(args: string[], opts: BundleOptions = {}): Promise<string> {
  if (args.length === 0) throw new Error('makeBundle: args must not be empty');
  const src = await templateBundle();
  const dir = path.join(await tempDir('legacyd-bundle'), 'bundle');
  await run('cp', ['-a', src, dir]);
  const config = readConfig(dir);
  config.process.args = args;
  if (opts.env) config.process.env = opts.env;
  if (opts.cwd) config.process.cwd = opts.cwd;
  if (opts.memoryLimit !== undefined) {
    config.linux ??= {};
    config.linux.resources ??= {};
    config.linux.resources.memory = { ...config.linux.resources.memory, limit: opts.memoryLimit };
  }
  if (opts.noResources && config.linux) delete config.linux.resources;
  if (opts.tmpfsTmp) {
    config.mounts = (config.mounts ?? []).filter((m) => m.destination !== '/tmp');
    config.mounts.push({ destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'mode=1777'] });
  }
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}
