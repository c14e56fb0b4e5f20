import * as path from 'node:path';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/*
 * Fifo ends are held by child `cat` processes, never by this process: opening a fifo blocks
 * until the other end opens, and a blocking open in Node would hold one of libuv's 4 pool
 * threads (or the event loop) hostage. A child blocks instead, and can be killed.
 */

export interface Fifos {
  stdin: string;
  stdout: string;
  stderr: string;
}

/** mkfifo dir/stdin, dir/stdout, dir/stderr. */
export async function makeFifos(dir: string): Promise<Fifos> {
  const fifos = { stdin: path.join(dir, 'stdin'), stdout: path.join(dir, 'stdout'), stderr: path.join(dir, 'stderr') };
  await run('mkfifo', [fifos.stdin, fifos.stdout, fifos.stderr]);
  return fifos;
}

const peers = new Set<ChildProcess>();

/** Kill every fifo end still open (afterEach/afterAll), so no test leaves a blocked `cat`. */
export function killFifoPeers(): void {
  for (const child of peers) child.kill('SIGKILL');
  peers.clear();
}

function track(child: ChildProcess): ChildProcess {
  peers.add(child);
  child.once('exit', () => peers.delete(child));
  return child;
}

/** The read end of a fifo, open from the moment it is made; collects everything written. */
export class FifoReader {
  private chunks: string[] = [];
  private readonly child: ChildProcess;
  /** Resolves with all text once every writer has closed (EOF). */
  readonly done: Promise<string>;

  constructor(readonly path: string) {
    this.child = track(spawn('cat', [path], { stdio: ['ignore', 'pipe', 'pipe'] }));
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => this.chunks.push(s));
    let errText = '';
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => (errText += s));
    this.done = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        if (code === 0) resolve(this.text());
        else reject(new Error(`reading ${path} failed (cat ${code ?? signal}): ${errText.trim()}; read so far: ${JSON.stringify(this.text())}`));
      });
    });
    this.done.catch(() => undefined); // observed through readAll/waitForText; never an unhandled rejection
  }

  /** Everything read so far. */
  text(): string {
    return this.chunks.join('');
  }

  /** Resolves with all text once `wanted` has appeared (before EOF if need be), bounded. */
  async waitForText(wanted: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let eof = false;
    this.done.then(() => (eof = true), () => (eof = true));
    while (!this.text().includes(wanted)) {
      if (eof || Date.now() >= deadline) {
        throw new Error(`${this.path}: ${JSON.stringify(wanted)} not seen ${eof ? 'before EOF' : `within ${timeoutMs} ms`}; got ${JSON.stringify(this.text())}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.text();
  }

  /** All text at EOF, bounded: on timeout the reader is killed and the error shows what came. */
  async readAll(timeoutMs = 15_000): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.close();
        reject(new Error(`${this.path}: no EOF within ${timeoutMs} ms; got ${JSON.stringify(this.text())}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): void {
    this.child.kill('SIGKILL');
  }
}

/** Open the read end now (before the process that writes starts). */
export function openReader(fifo: string): FifoReader {
  return new FifoReader(fifo);
}

/**
 * Open the read end now and resolve with all text at EOF (bounded). Call it BEFORE starting
 * the writer, then await the promise afterwards.
 */
export function readAll(fifo: string, timeoutMs = 15_000): Promise<string> {
  return openReader(fifo).readAll(timeoutMs);
}

/** The write end of a fifo; the open completes (in the child) once a reader opens it. */
export class FifoWriter {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor(readonly path: string) {
    this.child = track(spawn('sh', ['-c', 'exec cat > "$1"', 'sh', path], { stdio: ['pipe', 'ignore', 'ignore'] }));
    this.child.stdin!.on('error', () => undefined); // EPIPE when killed; the close() bound reports it
    this.exited = new Promise((resolve) => this.child.once('close', () => resolve()));
  }

  write(text: string): void {
    this.child.stdin!.write(text);
  }

  /** Close our end (the reader sees EOF once the data is through), bounded. */
  async close(timeoutMs = 15_000): Promise<void> {
    this.child.stdin!.end();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`${this.path}: nobody opened the read end within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Open the write end now; write and close later (stdin of a process not started yet). */
export function openWriter(fifo: string): FifoWriter {
  return new FifoWriter(fifo);
}

/** Write `text` to a fifo; with close (the default) also close it and wait until it is through. */
export async function writeTo(fifo: string, text: string, opts: { close?: boolean } = { close: true }): Promise<FifoWriter> {
  const writer = openWriter(fifo);
  writer.write(text);
  if (opts.close ?? true) await writer.close();
  return writer;
}
