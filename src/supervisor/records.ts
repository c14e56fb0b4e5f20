import type { MonitorIdentity } from './monitor';
import type { StdioSpec } from './stdio';

/** What is persisted about a container (container.json). */
export interface ContainerRecord {
  id: string;
  bundlePath: string;
  /** The directory runc runs with --bundle (holds the config.json we wrote). */
  runtimeBundle: string;
  image: string;
  annotations: Record<string, string>;
  cgroupsPath: string;
  createdAt: string;
  restoredFrom?: string;
}

export interface UserSpec {
  uid: number;
  gid: number;
  additionalGids: number[];
}

/** What is persisted about a process (process.json). */
export interface ProcessRecord {
  key: string;
  kind: 'init' | 'exec';
  terminal: boolean;
  user: UserSpec;
  args: string[];
  env: string[];
  cwd: string;
  stdio: StdioSpec;
}

export function isContainerRecord(v: unknown): v is ContainerRecord {
  const r = v as ContainerRecord;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.bundlePath === 'string' &&
    typeof r.runtimeBundle === 'string' && typeof r.cgroupsPath === 'string' && typeof r.image === 'string' &&
    typeof r.annotations === 'object' && r.annotations !== null;
}

export function isProcessRecord(v: unknown): v is ProcessRecord {
  const r = v as ProcessRecord;
  return typeof r === 'object' && r !== null && typeof r.key === 'string' && (r.kind === 'init' || r.kind === 'exec') &&
    Array.isArray(r.args) && Array.isArray(r.env) && typeof r.cwd === 'string' && typeof r.user === 'object' &&
    r.user !== null && typeof r.stdio === 'object' && r.stdio !== null;
}

export function isMonitorIdentity(v: unknown): v is MonitorIdentity {
  const m = v as MonitorIdentity;
  return typeof m === 'object' && m !== null && Number.isInteger(m.pid) && m.pid > 0 && typeof m.startTime === 'string';
}
