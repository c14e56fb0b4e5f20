import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { invalidArgument } from '../errors';
import { makeDirs } from '../make-dirs';

export type ListenAddress = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number };

/** unix:///abs/path or tcp://host:port. */
export function parseListen(s: string): ListenAddress {
  if (s.startsWith('unix://')) {
    const p = s.slice('unix://'.length);
    if (!path.isAbsolute(p)) throw invalidArgument(`--listen ${s}: the socket path must be absolute (unix:///run/x.sock)`);
    if (Buffer.byteLength(p) > 107) throw invalidArgument(`--listen ${s}: unix socket paths are limited to 107 bytes`);
    return { kind: 'unix', path: p };
  }
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d{1,5})$/.exec(s);
  if (m) {
    const port = Number(m[2]);
    if (port > 65535) throw invalidArgument(`--listen ${s}: port out of range`);
    return { kind: 'tcp', host: m[1]!, port };
  }
  throw invalidArgument(`--listen ${JSON.stringify(s)}: want unix:///path/to.sock or tcp://host:port`);
}

/** grpc-js bind target. */
export function bindTarget(a: ListenAddress): string {
  return a.kind === 'unix' ? `unix://${a.path}` : `${a.host}:${a.port}`;
}

/**
 * Makes room for a unix socket: creates its directory, removes a stale socket left by a
 * crashed daemon, and refuses to steal one another daemon is serving.
 */
export async function prepareUnixSocket(p: string): Promise<void> {
  makeDirs(path.dirname(p), 0o755, 'the --listen socket\'s directory');
  let st: fs.Stats;
  try {
    st = fs.lstatSync(p);
  } catch {
    return;
  }
  if (!st.isSocket()) throw invalidArgument(`--listen: ${p} exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const c = net.connect(p);
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
  if (live) throw invalidArgument(`--listen: another process is serving ${p}`);
  fs.unlinkSync(p);
}
