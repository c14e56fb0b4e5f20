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
  // Concurrent stats; an error is still reported in stdin, stdout, stderr order (the later ones'
  // rejections are handled here, so none goes unhandled while an earlier one is awaited).
  const streams = [
    resolveStream(what, 'stdin', p.stdin, true),
    resolveStream(what, 'stdout', p.stdout, false),
    resolveStream(what, 'stderr', p.stderr, false),
  ] as const;
  for (const s of streams) s.catch(() => undefined);
  return { stdin: await streams[0], stdout: await streams[1], stderr: await streams[2] };
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
