import { invalidArgument } from '../errors';
import { Fields, JsonObject, at, show, sub } from './json-fields';
import { CAPABILITIES, GO_ARCHES, RUNC_MASKED_PATHS, RUNC_READONLY_PATHS } from './known-names';
import { convertRuntimeLinux } from './legacy-linux';
import type { OciHook, OciHooks, OciMount, OciProcess, OciSpec } from './oci-types';

export const LEGACY_VERSION = '0.2.0';
/** What converted bundles claim; runc 1.1.5 implements 1.0.2(-dev). */
export const CONVERTED_OCI_VERSION = '1.0.2';

const UNKNOWN = 'is not a legacy 0.2.0 field and cannot be converted';

/**
 * A 2015 split bundle (config.json "version": "0.2.0" + runtime.json) → one OCI 1.0.2 spec.
 * Pure: takes the parsed files, throws invalidArgument naming the file and field it cannot map.
 * root.path stays as the bundle wrote it (relative to the bundle); see relocateSpec.
 */
export function convertLegacySpec(config: unknown, runtime: unknown, bundlePath: string): OciSpec {
  const failIn = (file: string) => (field: string, detail: string): never => {
    throw invalidArgument(`legacy bundle ${bundlePath}: ${file} ${field} ${detail}`);
  };
  const cfg: Fields = new Fields(failIn('config.json'), UNKNOWN);
  const rt: Fields = new Fields(failIn('runtime.json'), UNKNOWN);

  const c = cfg.object(config, '') ?? cfg.error('(top level)', 'must be an object');
  const r = rt.object(runtime, '') ?? rt.error('(top level)', 'must be an object');
  cfg.keys(c, '', ['version', 'platform', 'process', 'root', 'hostname', 'mounts', 'linux']);
  rt.keys(r, '', ['mounts', 'hooks', 'linux']);

  if (c.version !== LEGACY_VERSION) cfg.error('version', `${show(c.version)} is not ${LEGACY_VERSION}`);
  checkPlatform(cfg, c.platform);

  const cfgLinux = cfg.object(c.linux, 'linux') ?? {};
  cfg.keys(cfgLinux, 'linux', ['capabilities']);
  const converted = convertRuntimeLinux(rt, r.linux, 'linux');

  const process = convertProcess(cfg, c.process);
  const caps = convertCapabilities(cfg, cfgLinux.capabilities, 'linux.capabilities');
  process.capabilities = { bounding: caps, effective: [...caps], inheritable: [...caps], permitted: [...caps] };
  if (converted.rlimits.length > 0) process.rlimits = converted.rlimits;
  process.noNewPrivileges = false;
  if (converted.apparmorProfile) process.apparmorProfile = converted.apparmorProfile;
  if (converted.selinuxLabel) process.selinuxLabel = converted.selinuxLabel;

  const root = cfg.object(c.root, 'root') ?? cfg.error('root', 'is missing');
  cfg.keys(root, 'root', ['path', 'readonly']);
  const rootPath = cfg.string(root.path, 'root.path');
  if (!rootPath) return cfg.error('root.path', 'is missing');

  const hostname = cfg.string(c.hostname, 'hostname');
  const linux = converted.linux;
  if (hostname && !linux.namespaces?.some((ns) => ns.type === 'uts')) {
    cfg.error('hostname', `${show(hostname)} needs a "uts" namespace in runtime.json linux.namespaces`);
  }
  linux.maskedPaths = [...RUNC_MASKED_PATHS];
  linux.readonlyPaths = [...RUNC_READONLY_PATHS];

  const spec: OciSpec = {
    ociVersion: CONVERTED_OCI_VERSION,
    process,
    root: { path: rootPath, readonly: cfg.bool(root.readonly, 'root.readonly') ?? false },
  };
  if (hostname) spec.hostname = hostname;
  spec.mounts = convertMounts(cfg, rt, c.mounts, r.mounts);
  const hooks = convertHooks(rt, r.hooks, 'hooks');
  if (hooks) spec.hooks = hooks;
  spec.linux = linux;
  return spec;
}

function checkPlatform(cfg: Fields, value: unknown): void {
  const p = cfg.object(value, 'platform');
  if (!p) return;
  cfg.keys(p, 'platform', ['os', 'arch']);
  const os = cfg.string(p.os, 'platform.os');
  if (os && os !== 'linux') cfg.error('platform.os', `${show(os)} cannot be run by runc (linux only)`);
  const arch = cfg.string(p.arch, 'platform.arch');
  if (arch && !GO_ARCHES.includes(arch)) cfg.error('platform.arch', `${show(arch)} cannot be converted`);
}

function convertProcess(cfg: Fields, value: unknown): OciProcess {
  const p = cfg.object(value, 'process') ?? cfg.error('process', 'is missing');
  cfg.keys(p, 'process', ['terminal', 'user', 'args', 'env', 'cwd']);
  const user = cfg.object(p.user, 'process.user') ?? {};
  cfg.keys(user, 'process.user', ['uid', 'gid', 'additionalGids']);
  const additionalGids = (cfg.array(user.additionalGids, 'process.user.additionalGids') ?? []).map(
    (g, i) => cfg.uint32(g, at('process.user.additionalGids', i)) ?? cfg.error(at('process.user.additionalGids', i), 'must be a number (got null)'),
  );
  const args = cfg.stringArray(p.args, 'process.args') ?? [];
  if (args.length === 0) cfg.error('process.args', 'must be a non-empty array of strings');
  const cwd = cfg.string(p.cwd, 'process.cwd') || '/';
  if (!cwd.startsWith('/')) cfg.error('process.cwd', `${show(cwd)} is not absolute`);
  const out: OciProcess = {
    terminal: cfg.bool(p.terminal, 'process.terminal') ?? false,
    user: { uid: cfg.uint32(user.uid, 'process.user.uid') ?? 0, gid: cfg.uint32(user.gid, 'process.user.gid') ?? 0 },
    args,
    env: cfg.stringArray(p.env, 'process.env') ?? [],
    cwd,
  };
  if (additionalGids.length > 0) out.user.additionalGids = additionalGids;
  return out;
}

/** "CAP_KILL", also "kill"/"KILL" as pre-OCI tools wrote them; unknown names are refused. */
function convertCapabilities(cfg: Fields, value: unknown, field: string): string[] {
  const out: string[] = [];
  (cfg.stringArray(value, field) ?? []).forEach((name, i) => {
    const upper = name.toUpperCase();
    const cap = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
    if (!CAPABILITIES.includes(cap)) cfg.error(at(field, i), `${show(name)} cannot be converted`);
    if (!out.includes(cap)) out.push(cap);
  });
  return out;
}

/** config.json lists {name, path} in mount order; runtime.json says what each name is. */
function convertMounts(cfg: Fields, rt: Fields, cfgMounts: unknown, rtMounts: unknown): OciMount[] {
  const table = rt.object(rtMounts, 'mounts') ?? {};
  const entries = new Map<string, JsonObject>();
  for (const [name, v] of Object.entries(table)) {
    const field = sub('mounts', name);
    const m = rt.object(v, field) ?? rt.error(field, 'must be an object (got null)');
    rt.keys(m, field, ['type', 'source', 'options']);
    entries.set(name, m);
  }
  return (cfg.array(cfgMounts, 'mounts') ?? []).map((v, i) => {
    const field = at('mounts', i);
    const point = cfg.object(v, field) ?? cfg.error(field, 'must be an object (got null)');
    cfg.keys(point, field, ['name', 'path']);
    const name = cfg.string(point.name, sub(field, 'name'));
    if (!name) return cfg.error(sub(field, 'name'), 'is missing');
    const dest = cfg.string(point.path, sub(field, 'path'));
    if (!dest || !dest.startsWith('/')) return cfg.error(sub(field, 'path'), `${show(point.path)} must be an absolute path`);
    const entry = entries.get(name);
    if (!entry) return cfg.error(field, `${show(name)} has no entry in runtime.json mounts`);
    const rtField = sub('mounts', name);
    const mount: OciMount = { destination: dest };
    const type = rt.string(entry.type, sub(rtField, 'type'));
    if (type) mount.type = type;
    const source = rt.string(entry.source, sub(rtField, 'source'));
    if (source) mount.source = source;
    const options = rt.stringArray(entry.options, sub(rtField, 'options'));
    if (options && options.length > 0) mount.options = options;
    if (!mount.type && !options?.some((o) => o === 'bind' || o === 'rbind')) {
      rt.error(sub(rtField, 'type'), 'is missing (only bind mounts may omit it)');
    }
    return mount;
  });
}

function convertHooks(rt: Fields, value: unknown, field: string): OciHooks | undefined {
  const h = rt.object(value, field);
  if (!h) return undefined;
  // poststart arrived in 0.3.0; it maps 1:1, so take it here as well.
  const kinds = ['prestart', 'poststart', 'poststop'] as const;
  rt.keys(h, field, kinds);
  const out: OciHooks = {};
  for (const kind of kinds) {
    const kField = sub(field, kind);
    const list: OciHook[] = (rt.array(h[kind], kField) ?? []).map((v, i) => {
      const name = at(kField, i);
      const hook = rt.object(v, name) ?? rt.error(name, 'must be an object (got null)');
      rt.keys(hook, name, ['path', 'args', 'env']);
      const hookPath = rt.string(hook.path, sub(name, 'path'));
      if (!hookPath || !hookPath.startsWith('/')) return rt.error(sub(name, 'path'), `${show(hook.path)} must be an absolute path`);
      const out: OciHook = { path: hookPath };
      const args = rt.stringArray(hook.args, sub(name, 'args'));
      if (args && args.length > 0) out.args = args;
      const env = rt.stringArray(hook.env, sub(name, 'env'));
      if (env && env.length > 0) out.env = env;
      return out;
    });
    if (list.length > 0) out[kind] = list;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
