/**
 * Small-file reads tuned for cgroupfs/procfs: open, one read, close, straight on the libuv callback
 * API. fs.promises.readFile costs two more thread-pool round trips per file (fstat, and a read to
 * see EOF because these files report size 0) plus a FileHandle object. cgroupfs files can also be
 * read through descriptors kept open (readKept, see kept-files.ts): one pread, no open or close.
 */
import { close, closeSync, open, openSync, read, readdir, readdirSync, readSync } from 'node:fs';
import { CgroupFileError } from './file-error';
import { KeptFiles, keptCapacity, type KeptTable } from './kept-files';
import { WorkerReads } from './read-worker';

export interface FileReader {
  /** The whole file as text; rejects with the fs error (err.code ENOENT, ...). */
  read(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  /**
   * read(), through a descriptor kept open between calls. Only for files on a cgroup filesystem
   * (values are re-generated at every read from offset 0). Results and errors are read()'s: a kept
   * descriptor that fails (the cgroup was removed: ENODEV) is closed and the path opened afresh.
   */
  readKept?(path: string): Promise<string>;
  /** The descriptors readKept holds; absent when it keeps none. */
  readonly kept?: KeptTable;
  /**
   * Blocking readers only: the file's bytes, read (keep: through a kept descriptor, as readKept)
   * into the reader's scratch buffer, with no string made. The view is valid until the next read
   * of this reader. Throws the fs error. For parsers that want numbers, not text (scan-bytes.ts).
   */
  readBytes?(path: string, keep: boolean): Bytes;
}

/** A view of a reader's scratch buffer: bytes [0, len) of buf. Reused from one read to the next. */
export interface Bytes {
  buf: Buffer;
  len: number;
}

/** The bytes as text (the string read() gives). */
export function bytesText(b: Bytes): string {
  return b.buf.toString('utf8', 0, b.len);
}

export interface FileReaderOptions {
  /** Files open at once. Above it reads queue, so hundreds of containers read in one scrape cannot hit EMFILE. */
  maxOpenFiles?: number;
  /**
   * Descriptors readKept may keep open (default 0: no readKept; at most a quarter of RLIMIT_NOFILE).
   * For the async reader this also moves reads to a worker thread, in batches (read-worker.ts).
   */
  keepOpen?: number;
}

/** Under Buffer.poolSize / 2, so allocUnsafe takes it from the shared pool. The largest usual file (v2 memory.stat) is ~1.7 KB. */
const FIRST_CHUNK = 4000;

const ignore = (): void => {};

type Done = (err: NodeJS.ErrnoException | null, text?: string) => void;

/**
 * The whole file from offset 0 (pread, so a kept descriptor needs no seek). A short read is taken
 * as end of file: regular files return what is left, and cgroup/proc files are seq_files, which
 * fill the buffer until their records run out. A full buffer grows and reads on.
 */
function readFromStart(fd: number, done: Done): void {
  let buf = Buffer.allocUnsafe(FIRST_CHUNK);
  let len = 0;
  const step = (): void => {
    read(fd, buf, len, buf.length - len, len, (err, n) => {
      if (err) return done(err);
      len += n;
      if (n === 0 || len < buf.length) return done(null, buf.toString('utf8', 0, len));
      const bigger = Buffer.allocUnsafe(buf.length * 4);
      buf.copy(bigger, 0, 0, len);
      buf = bigger;
      step();
    });
  };
  step();
}

function openAndRead(path: string, done: Done): void {
  open(path, 'r', (err, fd) => {
    if (err) return done(err);
    readFromStart(fd, (rerr, text) => {
      // Close without waiting: the caller has its text, the fd goes back in the background.
      close(fd, ignore);
      done(rerr, text);
    });
  });
}

export function createFileReader(opts: FileReaderOptions = {}): FileReader {
  const libuv = createLibuvReader(Math.max(1, opts.maxOpenFiles ?? 256));
  const capacity = keptCapacity(opts.keepOpen ?? 0);
  if (capacity === 0) return libuv;
  const worker = new WorkerReads(capacity, libuv);
  return { read: (path) => worker.read(path, false), readdir: libuv.readdir, readKept: (path) => worker.read(path, true), kept: worker };
}

/** Reads on libuv's thread pool, at most `max` files open at once. */
function createLibuvReader(max: number): FileReader {
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
    read: (path) => run<string>((cb) => openAndRead(path, cb)),
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
export function createSyncFileReader(opts: Pick<FileReaderOptions, 'keepOpen'> = {}): FileReader {
  const capacity = keptCapacity(opts.keepOpen ?? 0);
  const kept = capacity > 0 ? new KeptFiles(capacity) : undefined;
  const scratch = new Scratch();
  const settle = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  const bytes: Bytes = { buf: scratch.buf, len: 0 };
  const readBytes = (path: string, keep: boolean): Bytes => {
    bytes.len = keep && kept ? fillKept(path, scratch, kept) : fillOpened(path, scratch, undefined);
    bytes.buf = scratch.buf;
    return bytes;
  };
  const reader: FileReader = {
    read: (path) => settle(() => bytesText(readBytes(path, false))),
    readdir: (path) => settle(() => readdirSync(path)),
    readBytes,
  };
  if (!kept) return reader;
  return { ...reader, kept, readKept: (path) => settle(() => bytesText(readBytes(path, true))) };
}

/**
 * One buffer for every blocking read of a reader (reads never overlap): a fresh 4 KB buffer per
 * file cost half a pool slab each, megabytes of external memory per full read and the scavenges it forced.
 */
class Scratch {
  buf = Buffer.allocUnsafeSlow(16 * 1024);

  /** The whole file from offset 0 into buf; its length. See readFromStart. */
  fill(fd: number): number {
    let len = 0;
    for (;;) {
      const n = readSync(fd, this.buf, len, this.buf.length - len, len);
      len += n;
      if (n === 0 || len < this.buf.length) return len;
      const bigger = Buffer.allocUnsafeSlow(this.buf.length * 4);
      this.buf.copy(bigger, 0, 0, len);
      this.buf = bigger;
    }
  }
}

/** Opens, fills the scratch buffer, then keeps (if `kept` takes it) or closes the descriptor. */
function fillOpened(path: string, scratch: Scratch, kept: KeptFiles | undefined): number {
  const fd = openSync(path, 'r');
  let len: number;
  try {
    len = scratch.fill(fd);
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  if (!kept?.keep(path, fd)) closeSync(fd);
  return len;
}

function fillKept(path: string, scratch: Scratch, kept: KeptFiles): number {
  const fd = kept.get(path);
  if (fd !== undefined) {
    try {
      return scratch.fill(fd);
    } catch {
      // The cgroup was removed (ENODEV): open the path afresh, which reports what read() would.
      kept.drop(path);
    }
  }
  return fillOpened(path, scratch, kept);
}

/** A file that must exist (keep: through a kept descriptor, for cgroupfs directories): ENOENT becomes a 'missing' CgroupFileError naming the file. */
export async function readRequired(files: FileReader, dir: string, name: string, keep = false): Promise<string> {
  const path = `${dir}/${name}`;
  try {
    return await readMaybeKept(files, path, keep);
  } catch (e) {
    throw fileError(e, name, path);
  }
}

/** A file some kernels or configurations lack: ENOENT → undefined. */
export async function readOptional(files: FileReader, dir: string, name: string, keep = false): Promise<string | undefined> {
  const path = `${dir}/${name}`;
  try {
    return await readMaybeKept(files, path, keep);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return undefined;
    throw fileError(e, name, path);
  }
}

/** Through a kept descriptor when asked for and the reader keeps any, else a plain read. */
function readMaybeKept(files: FileReader, path: string, keep: boolean): Promise<string> {
  return keep && files.readKept ? files.readKept(path) : files.read(path);
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
