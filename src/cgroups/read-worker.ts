/**
 * The async reader's fast path: one worker thread does the reads with blocking syscalls, in
 * batches. Every read asked for in the same tick goes in one message and comes back in one, so a
 * full read of 50 containers (1200 files) costs the event loop two messages instead of 1200-3600
 * libuv round trips, whose callbacks, promise settling and thread-pool mutex contention (four pool
 * threads on two cores) were most of its cost. The event loop never blocks on a file.
 * The worker holds its own table of kept cgroupfs descriptors (see kept-files.ts for why).
 */
import { Worker } from 'node:worker_threads';
import { SWEEP_INTERVAL_MS, type KeptTable } from './kept-files';

/** Plain JS, evaluated in the worker (no TypeScript there: the same code runs from dist/ and under vitest). */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync, existsSync } = require('node:fs');
const { dirname } = require('node:path');
const capacity = workerData.capacity;
const sweepIntervalMs = workerData.sweepIntervalMs;
const kept = new Map();
let lastSweep = -Infinity;
// The same policy as KeptFiles (kept-files.ts): live entries are never evicted; a full table drops
// the descriptors of removed cgroups, at most once per sweepIntervalMs, else reads without keeping.
function room() {
  if (kept.size < capacity) return true;
  const t = Date.now();
  if (t - lastSweep < sweepIntervalMs) return false;
  lastSweep = t;
  const gone = new Map();
  for (const [path, fd] of kept) {
    const d = dirname(path);
    if (!gone.has(d)) gone.set(d, !existsSync(d));
    if (gone.get(d)) { kept.delete(path); try { closeSync(fd); } catch {} }
  }
  return kept.size < capacity;
}
let buf = Buffer.allocUnsafeSlow(1 << 16);
function readFromStart(fd) {
  let len = 0;
  for (;;) {
    const n = readSync(fd, buf, len, buf.length - len, len);
    len += n;
    if (n === 0 || len < buf.length) return buf.toString('utf8', 0, len);
    const bigger = Buffer.allocUnsafeSlow(buf.length * 4);
    buf.copy(bigger, 0, 0, len);
    buf = bigger;
  }
}
function openAndRead(path, keep) {
  const fd = openSync(path, 'r');
  let text;
  try { text = readFromStart(fd); } catch (e) { closeSync(fd); throw e; }
  if (keep && capacity > 0 && !kept.has(path) && room()) kept.set(path, fd);
  else closeSync(fd);
  return text;
}
function readOne(path, keep) {
  if (keep) {
    const fd = kept.get(path);
    if (fd !== undefined) {
      try { return readFromStart(fd); } catch {
        // The cgroup was removed (ENODEV): open the path afresh, which reports what a plain read would.
        kept.delete(path);
        try { closeSync(fd); } catch {}
      }
    }
  }
  return openAndRead(path, keep);
}
parentPort.on('message', (m) => {
  if (m.close !== undefined) {
    for (const [path, fd] of kept) if (m.close === '' || path.startsWith(m.close)) { kept.delete(path); try { closeSync(fd); } catch {} }
    return;
  }
  const out = new Array(m.paths.length);
  for (let i = 0; i < m.paths.length; i++) {
    try { out[i] = readOne(m.paths[i], m.keep[i]); } catch (e) {
      out[i] = { code: e && e.code, message: e instanceof Error ? e.message : String(e) };
    }
  }
  parentPort.postMessage({ id: m.id, out });
});
`;

type Outcome = string | { code?: string; message: string };

interface Waiter {
  resolve(text: string): void;
  reject(err: Error): void;
}

interface Batch {
  id: number;
  paths: string[];
  keep: boolean[];
  waiters: Waiter[];
}

/** What reads go to while the worker boots or after it is gone: plain libuv reads (no kept descriptors). */
export interface Fallback {
  read(path: string): Promise<string>;
}

/** Errors shaped like fs errors (err.code), which is all callers look at. */
function toError(o: { code?: string; message: string }): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(o.message);
  if (o.code !== undefined) e.code = o.code;
  return e;
}

/**
 * Batched reads on a worker started at the first kept read. Until it is online (tens of ms), and
 * after it died, reads go to `fallback` (libuv), so the first read never waits for a thread to boot.
 */
export class WorkerReads implements KeptTable {
  private worker: Worker | undefined;
  private online = false;
  private nextId = 1;
  private batch: Batch | undefined;
  /** The worker died before it came online: it is not started again. */
  private broken = false;
  private readonly inFlight = new Map<number, Batch>();
  private waitingOnline: Array<() => void> = [];

  constructor(
    readonly capacity: number,
    private readonly fallback: Fallback,
  ) {}

  read(path: string, keep: boolean): Promise<string> {
    if (!this.online) {
      if (keep) this.start();
      return this.fallback.read(path);
    }
    let b = this.batch;
    if (!b) {
      b = this.batch = { id: this.nextId++, paths: [], keep: [], waiters: [] };
      queueMicrotask(() => this.flush());
    }
    b.paths.push(path);
    b.keep.push(keep);
    return new Promise<string>((resolve, reject) => b.waiters.push({ resolve, reject }));
  }

  closeUnder(dir: string): void {
    this.worker?.postMessage({ close: dir.endsWith('/') ? dir : dir + '/' });
  }

  closeAll(): void {
    this.worker?.postMessage({ close: '' });
  }

  ready(): Promise<void> {
    if (this.online || this.broken) return Promise.resolve();
    this.start();
    return new Promise((resolve) => this.waitingOnline.push(resolve));
  }

  private wake(): void {
    const w = this.waitingOnline;
    this.waitingOnline = [];
    for (const f of w) f();
  }

  private start(): void {
    if (this.worker || this.broken) return;
    let w: Worker;
    try {
      w = new Worker(WORKER_SOURCE, { eval: true, workerData: { capacity: this.capacity, sweepIntervalMs: SWEEP_INTERVAL_MS } });
    } catch {
      this.broken = true; // no threads here (resource limits): libuv reads from now on
      this.wake();
      return;
    }
    this.worker = w;
    w.unref(); // held (ref) only while a batch is in flight
    w.on('online', () => {
      if (this.worker !== w) return;
      this.online = true;
      this.wake();
    });
    w.on('message', (m: { id: number; out: Outcome[] }) => this.settle(m));
    w.on('error', () => undefined); // 'exit' follows, and re-reads what was in flight
    w.on('exit', () => {
      if (this.worker !== w) return;
      if (!this.online) this.broken = true;
      this.worker = undefined;
      this.online = false;
      this.wake(); // reads fall back to libuv
      // What was in flight is read again through libuv: a dead worker costs no stats.
      const lost = [...this.inFlight.values()];
      this.inFlight.clear();
      for (const b of lost) this.readByFallback(b);
    });
  }

  private flush(): void {
    const b = this.batch;
    this.batch = undefined;
    if (!b) return;
    const w = this.worker;
    if (!w || !this.online) return this.readByFallback(b); // the worker died since the read was asked for
    if (this.inFlight.size === 0) w.ref();
    this.inFlight.set(b.id, b);
    w.postMessage({ id: b.id, paths: b.paths, keep: b.keep });
  }

  private readByFallback(b: Batch): void {
    b.paths.forEach((p, i) => void this.fallback.read(p).then(b.waiters[i]!.resolve, b.waiters[i]!.reject));
  }

  private settle(m: { id: number; out: Outcome[] }): void {
    const waiters = this.inFlight.get(m.id)?.waiters;
    if (!waiters) return;
    this.inFlight.delete(m.id);
    if (this.inFlight.size === 0) this.worker?.unref();
    for (let i = 0; i < waiters.length; i++) {
      const o = m.out[i]!;
      if (typeof o === 'string') waiters[i]!.resolve(o);
      else waiters[i]!.reject(toError(o));
    }
  }
}
