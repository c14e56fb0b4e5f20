import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { invalidArgument, notFound } from '../errors';

/** How the monitor connects one of the process's streams. */
export type StreamMode = 'none' | 'fifo' | 'file';
export interface StreamSpec {
  path: string;
  mode: StreamMode;
}
export interface StdioSpec {
  stdin: StreamSpec;
  stdout: StreamSpec;
  stderr: StreamSpec;
}

/**
 * Classifies the client's stdio paths. Empty = not connected. stdin must exist; stdout/stderr
 * may be fifos (opened read-write so the open never blocks and nothing written is lost before
 * the client reads) or files (appended to, created if missing).
 */
export async function resolveStdio(what: string, p: { stdin: string; stdout: string; stderr: string }): Promise<StdioSpec> {
  // Concurrent stats; an error is still reported in stdin, stdout, stderr order.
  const [stdin, stdout, stderr] = [
    settle(resolveStream(what, 'stdin', p.stdin, true)),
    settle(resolveStream(what, 'stdout', p.stdout, false)),
    settle(resolveStream(what, 'stderr', p.stderr, false)),
  ];
  return { stdin: unwrap(await stdin), stdout: unwrap(await stdout), stderr: unwrap(await stderr) };
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settle<T>(p: Promise<T>): Promise<Settled<T>> {
  return p.then((value) => ({ ok: true, value }), (error: unknown) => ({ ok: false, error }));
}

function unwrap<T>(s: Settled<T>): T {
  if (!s.ok) throw s.error;
  return s.value;
}

async function resolveStream(what: string, name: string, p: string, mustExist: boolean): Promise<StreamSpec> {
  if (!p) return { path: '', mode: 'none' };
  if (!path.isAbsolute(p)) throw invalidArgument(`${what}: ${name} path ${JSON.stringify(p)} is not absolute`);
  try {
    const st = await fs.stat(p);
    if (st.isFIFO()) return { path: p, mode: 'fifo' };
    if (st.isDirectory()) throw invalidArgument(`${what}: ${name} path ${p} is a directory`);
    return { path: p, mode: 'file' };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    if (mustExist) throw notFound(`${what}: ${name} ${p} does not exist`);
    return { path: p, mode: 'file' };
  }
}
