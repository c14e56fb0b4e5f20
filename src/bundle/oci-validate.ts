import { invalidArgument } from '../errors';
import { Fields, at, show } from './json-fields';
import type { InitProcess } from './loaded-bundle';
import type { OciSpec } from './oci-types';

const OCI_VERSION = /^1\.\d+\.\d+(-[0-9A-Za-z.+-]+)?$/;

/**
 * Checks what legacyd itself relies on in a client's OCI 1.x config.json (runc checks the rest):
 * an init process with args, a root path, string annotations. Returns the init process.
 */
export function validateOciSpec(spec: unknown, bundlePath: string): { spec: OciSpec; process: InitProcess; annotations: Record<string, string> } {
  const f: Fields = new Fields((field, detail) => {
    throw invalidArgument(`bundle ${bundlePath}: config.json ${field} ${detail}`);
  }, 'is not known');
  const s = f.object(spec, '') ?? f.error('(top level)', 'must be an object');
  const version = f.string(s.ociVersion, 'ociVersion') ?? '';
  if (!OCI_VERSION.test(version)) f.error('ociVersion', `${show(version)} is not supported (want OCI 1.x)`);

  const p = f.object(s.process, 'process') ?? f.error('process', 'is missing (the v0 API starts the bundle\'s process)');
  const args = f.stringArray(p.args, 'process.args') ?? [];
  if (args.length === 0) f.error('process.args', 'must be a non-empty array of strings');
  const cwd = f.string(p.cwd, 'process.cwd') ?? '';
  if (!cwd.startsWith('/')) f.error('process.cwd', `${show(cwd)} must be an absolute path`);
  const user = f.object(p.user, 'process.user') ?? {};
  const process: InitProcess = {
    terminal: f.bool(p.terminal, 'process.terminal') ?? false,
    user: {
      uid: f.uint32(user.uid, 'process.user.uid') ?? 0,
      gid: f.uint32(user.gid, 'process.user.gid') ?? 0,
      additionalGids: (f.array(user.additionalGids, 'process.user.additionalGids') ?? []).map(
        (g, i) => f.uint32(g, at('process.user.additionalGids', i)) ?? f.error(at('process.user.additionalGids', i), 'must be a number (got null)'),
      ),
    },
    args,
    env: f.stringArray(p.env, 'process.env') ?? [],
    cwd,
  };

  const root = f.object(s.root, 'root') ?? f.error('root', 'is missing');
  if (!f.string(root.path, 'root.path')) f.error('root.path', 'is missing');
  f.bool(root.readonly, 'root.readonly');

  const annotations: Record<string, string> = {};
  for (const [key, v] of Object.entries(f.object(s.annotations, 'annotations') ?? {})) {
    if (typeof v !== 'string') f.error(`annotations[${JSON.stringify(key)}]`, `must be a string (got ${show(v)})`);
    annotations[key] = v;
  }
  return { spec: s as unknown as OciSpec, process, annotations };
}
