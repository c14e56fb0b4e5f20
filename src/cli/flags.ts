import { invalidArgument } from '../errors';
import { isLogLevel, type LogLevel } from '../log';

export interface DaemonFlags {
  listen: string;
  stateDir: string;
  metricsListen: string;
  runtime: string;
  criu: string;
  logLevel: LogLevel;
  statsIntervalMs: number;
  cgroupParent: string;
  labelAllowlist: string[];
}

export const DEFAULTS: DaemonFlags = {
  listen: 'unix:///run/legacyd/legacyd.sock',
  stateDir: '/run/legacyd',
  metricsListen: '127.0.0.1:9323',
  runtime: 'runc',
  criu: '',
  logLevel: 'info',
  statsIntervalMs: 1000,
  cgroupParent: '/legacyd',
  labelAllowlist: [],
};

/** "1s", "250ms", "2m", or a bare number of seconds. */
export function parseDuration(flag: string, s: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(s.trim());
  if (!m) throw invalidArgument(`${flag} ${JSON.stringify(s)}: want a duration such as 1s or 500ms`);
  const n = Number(m[1]);
  const ms = m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
  if (ms < 10) throw invalidArgument(`${flag} ${s}: must be at least 10ms`);
  return ms;
}

export function parseLogLevel(s: string): LogLevel {
  if (!isLogLevel(s)) throw invalidArgument(`--log-level ${JSON.stringify(s)}: want debug, info, warn or error`);
  return s;
}

export function parseHostPort(flag: string, s: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]*):(\d{1,5})$/.exec(s);
  if (!m || Number(m[2]) > 65535) throw invalidArgument(`${flag} ${JSON.stringify(s)}: want host:port (or "" to disable)`);
  return { host: (m[1] || '127.0.0.1').replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

export function parseCgroupParent(s: string): string {
  if (!s.startsWith('/') || s.includes('..')) throw invalidArgument(`--cgroup-parent ${JSON.stringify(s)}: want an absolute cgroup path such as /legacyd`);
  return s.replace(/\/+$/, '') || '/';
}
