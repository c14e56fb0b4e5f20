/** A failed runc call, with everything needed to explain or classify it. */
import { oneLine } from '../errors';

export interface RuncErrorInit {
  /** Full argv, binary first. */
  argv: string[];
  verb: string;
  id?: string | null;
  exitCode: number | null;
  signal: string | null;
  /** Raw stderr (trimmed). */
  stderr: string;
  /** runc's own reason when it could be read (from stderr or the --log file); else derived from stderr. */
  detail?: string;
  timedOut?: boolean;
  timeoutMs?: number;
  cause?: unknown;
}

export class RuncError extends Error {
  readonly argv: string[];
  readonly verb: string;
  readonly id: string | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stderr: string;
  /** One readable line: runc's error message without logrus decoration. */
  readonly detail: string;
  readonly timedOut: boolean;

  constructor(init: RuncErrorInit) {
    const stderr = init.stderr.trim();
    const detail = init.detail !== undefined && init.detail !== '' ? oneLine(init.detail) : runcMessage(stderr);
    super(describe(init, detail), init.cause !== undefined ? { cause: init.cause } : undefined);
    this.name = 'RuncError';
    this.argv = init.argv;
    this.verb = init.verb;
    this.id = init.id ?? null;
    this.exitCode = init.exitCode;
    this.signal = init.signal;
    this.stderr = stderr;
    this.detail = detail;
    this.timedOut = init.timedOut ?? false;
  }
}

function describe(init: RuncErrorInit, detail: string): string {
  const what = `runc ${init.verb}${init.id ? ' ' + init.id : ''}`;
  if (init.timedOut) return `${what} timed out after ${init.timeoutMs ?? '?'}ms (killed)${detail ? ': ' + detail : ''}`;
  const how = init.exitCode !== null ? ` (exit ${init.exitCode})` : init.signal !== null ? ` (signal ${init.signal})` : '';
  return `${what} failed${how}${detail ? ': ' + detail : ''}`;
}

export function isRuncError(e: unknown): e is RuncError {
  return e instanceof RuncError;
}

interface LogLine {
  level: string;
  msg: string;
}

// logrus text format: time="..." level=error msg="quoted \"go\" string" (msg unquoted when it has no spaces)
const TEXT_LEVEL = /(?:^|\s)level=(\w+)/;
const TEXT_MSG = /(?:^|\s)msg=(?:"((?:[^"\\]|\\.)*)"|(\S+))/;

function unquoteGo(s: string): string {
  try {
    return JSON.parse(`"${s}"`) as string;
  } catch {
    return s.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
}

/** One runc log line (json or logrus text) as {level, msg}; null for anything else. */
export function parseLogLine(line: string): LogLine | null {
  const t = line.trim();
  if (t.startsWith('{')) {
    try {
      const o = JSON.parse(t) as unknown;
      if (o && typeof o === 'object' && typeof (o as { msg?: unknown }).msg === 'string') {
        const { level, msg } = o as { level?: unknown; msg: string };
        return { level: typeof level === 'string' ? level : '', msg };
      }
    } catch {
      // not JSON after all; fall through to the text format
    }
  }
  const level = TEXT_LEVEL.exec(t);
  const msg = TEXT_MSG.exec(t);
  if (!level || !msg) return null;
  return { level: level[1]!, msg: msg[1] !== undefined ? unquoteGo(msg[1]) : msg[2]! };
}

/** The last error/fatal message in runc log text (stderr or the --log file); '' when there is none. */
export function lastLoggedError(text: string): string {
  let found = '';
  for (const line of text.split('\n')) {
    const l = parseLogLine(line);
    if (l && (l.level === 'error' || l.level === 'fatal' || l.level === 'panic')) found = l.msg;
  }
  return found.trim();
}

/** runc's reason from its stderr: the last logged error, else the text itself, on one line. */
export function runcMessage(stderr: string): string {
  const logged = lastLoggedError(stderr);
  return oneLine(logged !== '' ? logged : stderr.trim());
}

function reasonOf(e: unknown): string | null {
  return e instanceof RuncError && !e.timedOut ? `${e.detail}\n${e.stderr}` : null;
}

// runc 1.1: `container does not exist`, `exec failed: container does not exist`; older/newer: `container "x" does not exist`.
const NOT_EXIST = /container(?: "[^"]*"| [\w+.-]+)? does not exist/i;
const NOT_RUNNING = /container (?:is )?not running/i;
const NOT_PAUSED = /container (?:is )?not paused/i;
const ALREADY_EXISTS = /container with (?:given )?id (?:already )?exists/i;

/** runc said the container is unknown to its --root: map to NOT_FOUND. */
export function isNotExistError(e: unknown): boolean {
  const r = reasonOf(e);
  return r !== null && NOT_EXIST.test(r);
}

/** e.g. kill/pause of a stopped container, or pause of a paused one (runc 1.1 says "not running" for both). */
export function isNotRunningError(e: unknown): boolean {
  const r = reasonOf(e);
  return r !== null && NOT_RUNNING.test(r);
}

/** resume of a container that is not paused. */
export function isNotPausedError(e: unknown): boolean {
  const r = reasonOf(e);
  return r !== null && NOT_PAUSED.test(r);
}

/** create/run/restore with an id already in the --root. */
export function isAlreadyExistsError(e: unknown): boolean {
  const r = reasonOf(e);
  return r !== null && ALREADY_EXISTS.test(r);
}
