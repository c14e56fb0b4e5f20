import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Attached {
  stdin: string;
  stdout: string;
  stderr: string;
  /** Resolves when both output streams reached EOF. */
  drained: Promise<void>;
  close(): void;
}

/**
 * Fifos for a process's stdio in a private temp dir. `cat` children hold the ends: they open
 * the fifos in their own processes (a blocking open never stalls Node), copy to our stdout and
 * stderr, and see EOF when the process and its monitor close their ends.
 */
export function attach(withStdin: boolean): Attached {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyctl-'));
  const p = (n: string) => path.join(dir, n);
  for (const n of ['stdout', 'stderr', ...(withStdin ? ['stdin'] : [])]) execFileSync('mkfifo', ['-m', '600', p(n)]);
  const readers: ChildProcess[] = [
    spawn('cat', [p('stdout')], { stdio: ['ignore', 'inherit', 'inherit'] }),
    spawn('cat', [p('stderr')], { stdio: ['ignore', process.stderr, 'inherit'] }),
  ];
  let writer: ChildProcess | undefined;
  if (withStdin) writer = spawn('sh', ['-c', 'exec cat > "$1"', 'sh', p('stdin')], { stdio: ['inherit', 'ignore', 'inherit'] });
  const drained = Promise.all(readers.map((r) => new Promise<void>((res) => r.once('exit', () => res())))).then(() => undefined);
  return {
    stdin: withStdin ? p('stdin') : '',
    stdout: p('stdout'),
    stderr: p('stderr'),
    drained,
    close() {
      for (const c of [...readers, writer]) c?.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
