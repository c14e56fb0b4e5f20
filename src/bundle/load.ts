import * as fs from 'node:fs';
import * as path from 'node:path';
import { internal, invalidArgument, isLegacydError, notFound } from '../errors';
import { parseJsonExact } from './json-exact';
import { LEGACY_VERSION, convertLegacySpec } from './legacy-convert';
import { IMAGE_ANNOTATION, InitProcess, LoadedBundle } from './loaded-bundle';
import type { OciSpec } from './oci-types';
import { validateOciSpec } from './oci-validate';

/** A config.json is a few KiB; refuse absurd files rather than buffer them. */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

/**
 * Reads and checks a client's bundle: OCI 1.x as is, or a legacy 0.2.0 bundle (config.json +
 * runtime.json) converted to OCI 1.0.2. Never writes to the bundle.
 */
export async function loadBundle(bundlePath: string): Promise<LoadedBundle> {
  if (typeof bundlePath !== 'string' || !path.isAbsolute(bundlePath)) {
    throw invalidArgument(`bundle path ${JSON.stringify(bundlePath)} is not absolute`);
  }
  const dirStat = statOrNull(bundlePath);
  if (!dirStat) throw notFound(`bundle ${bundlePath} does not exist`);
  if (!dirStat.isDirectory()) throw invalidArgument(`bundle ${bundlePath} is not a directory`);

  const configPath = path.join(bundlePath, 'config.json');
  const config = await readJsonFile(configPath, bundlePath, `bundle ${bundlePath} has no config.json (${configPath})`);
  const versions = config !== null && typeof config === 'object' && !Array.isArray(config) ? (config as Record<string, unknown>) : {};

  if (versions.ociVersion !== undefined) {
    const { spec, process, annotations } = validateOciSpec(config, bundlePath);
    return finish(bundlePath, 'oci', spec, process, annotations, false);
  }
  if (versions.version === LEGACY_VERSION) {
    const runtimePath = path.join(bundlePath, 'runtime.json');
    const runtime = await readJsonFile(
      runtimePath,
      bundlePath,
      `legacy bundle ${bundlePath} has no runtime.json (${runtimePath}); a "version": "${LEGACY_VERSION}" config.json needs one`,
    );
    const spec = convertLegacySpec(config, runtime, bundlePath);
    return finish(bundlePath, 'legacy-0.2.0', spec, initProcessOf(spec), {}, true);
  }
  const found = versions.version !== undefined ? `"version": ${JSON.stringify(versions.version)} is not supported` : 'has neither "ociVersion" nor "version"';
  throw invalidArgument(`bundle ${bundlePath}: config.json ${found} (want "ociVersion": "1.x.y", or legacy "version": "${LEGACY_VERSION}" with runtime.json)`);
}

async function finish(
  bundlePath: string,
  format: LoadedBundle['format'],
  spec: OciSpec,
  process: InitProcess,
  annotations: Record<string, string>,
  needsRewrite: boolean,
): Promise<LoadedBundle> {
  // Both validators guarantee root.path.
  const rootfs = path.resolve(bundlePath, spec.root!.path);
  checkRootfs(bundlePath, rootfs);
  return {
    bundlePath,
    format,
    spec,
    terminal: process.terminal,
    process,
    rootfs,
    image: annotations[IMAGE_ANNOTATION] || rootfs,
    annotations,
    needsRewrite,
  };
}

/** Throws, as loadBundle does, when the bundle's rootfs is missing or not a directory. */
export function checkRootfs(bundlePath: string, rootfs: string): void {
  const st = statOrNull(rootfs);
  if (!st) throw notFound(`bundle ${bundlePath}: rootfs ${rootfs} (config.json root.path) does not exist`);
  if (!st.isDirectory()) throw invalidArgument(`bundle ${bundlePath}: rootfs ${rootfs} (config.json root.path) is not a directory`);
}

function initProcessOf(spec: OciSpec): InitProcess {
  const p = spec.process!;
  return {
    terminal: p.terminal ?? false,
    user: { uid: p.user.uid, gid: p.user.gid, additionalGids: [...(p.user.additionalGids ?? [])] },
    args: [...p.args],
    env: [...(p.env ?? [])],
    cwd: p.cwd,
  };
}

/** Blocking, like the other reads here: a few small local files per create, cheaper than thread-pool round trips. */
function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw internal(`stat ${p}: ${(err as Error).message}`, err);
  }
}

async function readJsonFile(file: string, bundlePath: string, missing: string): Promise<unknown> {
  const st = statOrNull(file);
  if (!st) throw notFound(missing);
  // A fifo named config.json would block the read forever.
  if (!st.isFile()) throw invalidArgument(`bundle ${bundlePath}: ${file} is not a regular file`);
  if (st.size > MAX_JSON_BYTES) throw invalidArgument(`bundle ${bundlePath}: ${file} is larger than ${MAX_JSON_BYTES} bytes`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw internal(`reading ${file}: ${(err as Error).message}`, err);
  }
  try {
    return parseJsonExact(text);
  } catch (err) {
    if (isLegacydError(err)) throw err;
    throw invalidArgument(`bundle ${bundlePath}: ${file} is not valid JSON: ${(err as Error).message}`, err);
  }
}
