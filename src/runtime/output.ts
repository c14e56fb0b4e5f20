/** runc's machine-readable output: types and pure parsers (text in, values out). */

export type RuncStatus = 'created' | 'running' | 'pausing' | 'paused' | 'stopped' | 'unknown';

const STATUSES: ReadonlySet<string> = new Set(['created', 'running', 'pausing', 'paused', 'stopped']);

/** `runc state` / one entry of `runc list --format json`. */
export interface ContainerStateJson {
  ociVersion: string;
  id: string;
  /** Init pid; 0 once stopped. */
  pid: number;
  status: RuncStatus;
  bundle: string;
  rootfs: string;
  /** RFC 3339 with nanoseconds, as runc prints it. */
  created: string;
  /** runc omits the field when there are none; always an object here. */
  annotations: Record<string, string>;
  owner: string;
}

export interface RuncVersion {
  /** e.g. "1.1.5+ds1" */
  runc: string;
  commit: string;
  /** OCI runtime-spec version, e.g. "1.0.2-dev" */
  spec: string;
  go?: string;
  libseccomp?: string;
}

/** runc exited 0 but printed something this wrapper cannot read. */
export class RuncOutputError extends Error {
  constructor(
    readonly verb: string,
    readonly output: string,
    reason: string,
  ) {
    super(`runc ${verb}: unexpected output (${reason}): ${output.trim().slice(0, 200)}`);
    this.name = 'RuncOutputError';
  }
}

function parseJson(verb: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RuncOutputError(verb, text, 'not JSON');
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toState(verb: string, text: string, v: unknown): ContainerStateJson {
  if (!isRecord(v)) throw new RuncOutputError(verb, text, 'not an object');
  const str = (k: string, required: boolean): string => {
    const x = v[k];
    if (typeof x === 'string') return x;
    if (required || x !== undefined) throw new RuncOutputError(verb, text, `field ${k} is not a string`);
    return '';
  };
  const pid = v['pid'];
  if (typeof pid !== 'number' || !Number.isInteger(pid)) throw new RuncOutputError(verb, text, 'field pid is not an integer');
  const status = str('status', true);
  const annotations: Record<string, string> = {};
  const ann = v['annotations'];
  if (isRecord(ann)) {
    for (const [k, a] of Object.entries(ann)) if (typeof a === 'string') annotations[k] = a;
  }
  return {
    ociVersion: str('ociVersion', false),
    id: str('id', true),
    pid,
    status: STATUSES.has(status) ? (status as RuncStatus) : 'unknown',
    bundle: str('bundle', true),
    rootfs: str('rootfs', false),
    created: str('created', true),
    annotations,
    owner: str('owner', false),
  };
}

export function parseState(text: string): ContainerStateJson {
  return toState('state', text, parseJson('state', text));
}

/** `runc list --format json`; runc prints `null` for an empty root. */
export function parseList(text: string): ContainerStateJson[] {
  const v = parseJson('list', text);
  if (v === null) return [];
  if (!Array.isArray(v)) throw new RuncOutputError('list', text, 'not an array');
  return v.map((e) => toState('list', text, e));
}

/** `runc ps --format json`: host pids; `null` when the container has no processes (e.g. stopped). */
export function parsePs(text: string): number[] {
  const v = parseJson('ps', text);
  if (v === null) return [];
  if (!Array.isArray(v) || !v.every((p) => typeof p === 'number' && Number.isInteger(p))) {
    throw new RuncOutputError('ps', text, 'not an array of pids');
  }
  return v as number[];
}

/** `runc --version`: "runc version X\ncommit: Y\nspec: Z\ngo: ...\nlibseccomp: ...". */
export function parseVersion(text: string): RuncVersion {
  const first = /^runc version (\S+)/m.exec(text);
  if (!first) throw new RuncOutputError('version', text, 'no "runc version" line');
  const field = (k: string): string | undefined => new RegExp(`^${k}:\\s*(.+?)\\s*$`, 'm').exec(text)?.[1];
  const v: RuncVersion = { runc: first[1]!, commit: field('commit') ?? '', spec: field('spec') ?? '' };
  const go = field('go');
  const seccomp = field('libseccomp');
  if (go !== undefined) v.go = go;
  if (seccomp !== undefined) v.libseccomp = seccomp;
  return v;
}
