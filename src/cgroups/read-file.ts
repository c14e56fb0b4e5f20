/**
 * Small-file reads tuned for cgroupfs/procfs: open, one read, close, straight on the libuv callback
 * API. fs.promises.readFile costs two more thread-pool round trips per file (fstat, and a read to
 * see EOF because these files report size 0) plus a FileHandle object.
 */
import { close, closeSync, open, openSync, read, readdir, readdirSync, readSync } from 'node:fs';
import { CgroupFileError } from './file-error';

export interface FileReader {
  /** The whole file as text; rejects with the fs error (err.code ENOENT, ...). */
  read(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
}

export interface FileReaderOptions {
  /** Files open at once. Above it reads queue, so hundreds of containers read in one scrape cannot hit EMFILE. */
  maxOpenFiles?: number;
}

/** Under Buffer.poolSize / 2, so allocUnsafe takes it from the shared pool. The largest usual file (v2 memory.stat) is ~1.7 KB. */
const FIRST_CHUNK = 4000;

const ignore = (): void => {};

type Done = (err: NodeJS.ErrnoException | null, text?: string) => void;

/**
 * A short read is taken as end of file: regular files return what is left, and cgroup/proc files
 * are seq_files, which fill the buffer until their records run out. A full buffer grows and reads on.
 */
function readWhole(path: string, done: Done): void {
  open(path, 'r', (err, fd) => {
    if (err) return done(err);
    let buf = Buffer.allocUnsafe(FIRST_CHUNK);
    let len = 0;
    const step = (): void => {
      read(fd, buf, len, buf.length - len, null, (rerr, n) => {
        if (rerr) {
          close(fd, ignore);
          return done(rerr);
        }
        len += n;
        if (n === 0 || len < buf.length) {
          // Close without waiting: the caller has its text, the fd goes back in the background.
          close(fd, ignore);
          return done(null, buf.toString('utf8', 0, len));
        }
        const bigger = Buffer.allocUnsafe(buf.length * 4);
        buf.copy(bigger, 0, 0, len);
        buf = bigger;
        step();
      });
    };
    step();
  });
}

export function createFileReader(opts: FileReaderOptions = {}): FileReader {
  const max = Math.max(1, opts.maxOpenFiles ?? 256);
  let active = 0;
  const queue: Array<() => void> = [];
  let head = 0;

  const release = (): void => {
    active--;
    if (head < queue.length) {
      const next = queue[head]!;
      queue[head++] = ignore;
      if (head === queue.length) {
        queue.length = 0;
        head = 0;
      }
      next();
    }
  };

  const run = <T>(start: (cb: (err: NodeJS.ErrnoException | null, v?: T) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const go = (): void => {
        active++;
        start((err, v) => {
          release();
          if (err) reject(err);
          else resolve(v as T);
        });
      };
      if (active < max) go();
      else queue.push(go);
    });

  return {
    read: (path) => run<string>((cb) => readWhole(path, cb)),
    readdir: (path) => run<string[]>((cb) => readdir(path, cb)),
  };
}

export function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/**
 * The same reads done synchronously. cgroupfs/procfs reads never wait for a disk, and a blocking
 * open/read/close costs about half the CPU of three thread-pool round trips; the price is that the
 * event loop stalls for the duration (memory.stat can take long on a busy host while rstat flushes).
 */
export function createSyncFileReader(): FileReader {
  const settle = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    read: (path) => settle(() => readWholeSync(path)),
    readdir: (path) => settle(() => readdirSync(path)),
  };
}

function readWholeSync(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(FIRST_CHUNK);
    let len = 0;
    for (;;) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      len += n;
      if (n === 0 || len < buf.length) return buf.toString('utf8', 0, len);
      const bigger = Buffer.allocUnsafe(buf.length * 4);
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
    }
  } finally {
    closeSync(fd);
  }
}

/** A file that must exist: ENOENT becomes a 'missing' CgroupFileError naming the file. */
export async function readRequired(files: FileReader, dir: string, name: string): Promise<string> {
  const path = `${dir}/${name}`;
  try {
    return await files.read(path);
  } catch (e) {
    throw fileError(e, name, path);
  }
}

/** A file some kernels or configurations lack: ENOENT → undefined. */
export async function readOptional(files: FileReader, dir: string, name: string): Promise<string | undefined> {
  const path = `${dir}/${name}`;
  try {
    return await files.read(path);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return undefined;
    throw fileError(e, name, path);
  }
}

export function fileError(e: unknown, name: string, path: string): CgroupFileError {
  const code = errCode(e);
  if (code === 'ENOENT') return new CgroupFileError('missing', name, `not found (${path})`);
  return new CgroupFileError('unreadable', name, `${code ?? (e instanceof Error ? e.message : String(e))} reading ${path}`);
}

/** A directory listing; errors name the directory like file errors do. */
export async function listDir(files: FileReader, dir: string, what: string): Promise<string[]> {
  try {
    return await files.readdir(dir);
  } catch (e) {
    throw fileError(e, what, dir);
  }
}
