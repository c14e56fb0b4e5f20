import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { alreadyExists, failedPrecondition, internal, invalidArgument, isLegacydError, notFound, oneLine } from '../errors';
import type { Logger } from '../log';
import type { CriuStatus } from '../runtime';
import { CheckpointStore, criuLogExcerpt, type StoredCheckpoint } from './checkpoint-store';
import type { ContainerEntry } from './container-entry';
import type { CheckpointView, DomainEvent } from './events';
import { checkCheckpointName, checkContainerId } from './ids';
import type { CheckpointFlags, RuntimePort } from './runtime-port';
import type { StateDir } from './state-dir';

export interface CheckpointDeps {
  runtime: RuntimePort;
  stateDir: StateDir;
  criu: CriuStatus;
  log: Logger;
  publish: (ev: DomainEvent) => void;
  /** The container, or NOT_FOUND. */
  lookup: (id: string) => ContainerEntry;
}

export type CheckpointRequest = Partial<CheckpointView> | null | undefined;

/** Where a failed dump's CRIU log is kept (in the container's state dir, gone with the container). */
export const FAILED_DUMP_LOG = 'checkpoint-failed-dump.log';
const EXIT_WAIT_MS = 10_000;

/** The `checkpoint` message of CreateCheckpoint, validated; a missing one is INVALID_ARGUMENT (the 2015 original crashed). */
export function checkpointFromRequest(id: string, req: CheckpointRequest): CheckpointView {
  if (!req) throw invalidArgument(`container ${id}: CreateCheckpoint needs a checkpoint message`);
  return {
    name: checkCheckpointName(req.name ?? ''),
    exit: !!req.exit,
    tcp: !!req.tcp,
    unixSockets: !!req.unixSockets,
    shell: !!req.shell,
  };
}

/** The API's options as runc checkpoint flags: exit=false means --leave-running. */
export function checkpointFlags(cp: CheckpointView): CheckpointFlags {
  return { leaveRunning: !cp.exit, tcpEstablished: cp.tcp, extUnixSk: cp.unixSockets, shellJob: cp.shell };
}

/**
 * runc restore flags for a checkpoint's recorded options. --shell-job is never passed: our
 * containers have no terminal, and runc restore --shell-job without one fails
 * ("tty: Can't place stdin fd to fdstore").
 */
export function restoreFlags(cp: CheckpointView): Omit<CheckpointFlags, 'leaveRunning'> {
  return { tcpEstablished: cp.tcp, extUnixSk: cp.unixSockets, shellJob: false };
}

/** CreateCheckpoint / ListCheckpoint / DeleteCheckpoint, through runc and CRIU. */
export class CheckpointOps {
  constructor(private readonly d: CheckpointDeps) {}

  requireCriu(what: string): void {
    if (!this.d.criu.ok) throw failedPrecondition(`${what}: checkpoints need a working CRIU: ${this.d.criu.reason}`);
  }

  async create(id: string, req: CheckpointRequest): Promise<void> {
    checkContainerId(id);
    const cp = checkpointFromRequest(id, req);
    const c = this.d.lookup(id);
    const what = `container ${id}: checkpoint ${cp.name}`;
    this.requireCriu(what);
    await c.serial(async () => {
      c.check('checkpoint');
      const store = new CheckpointStore(c.record.bundlePath);
      if (!(await store.claim(cp.name))) throw alreadyExists(`${what} already exists`);
      const work = path.join(this.d.stateDir.containerDir(id), `checkpoint-work-${cp.name}-${randomBytes(3).toString('hex')}`);
      await fs.mkdir(work, { recursive: true });
      // With exit, CRIU kills the container: the exits it causes must follow the checkpoint event.
      let release: () => void = () => undefined;
      if (cp.exit) c.exitHold = new Promise<void>((r) => (release = r));
      try {
        await this.d.runtime.checkpoint(id, { imagePath: store.dir(cp.name), workPath: work, ...checkpointFlags(cp) });
        await store.record(cp);
        this.d.publish({ type: 'checkpoint', id, pid: c.init.pid, checkpoint: cp });
        this.d.log.info('checkpoint taken', { id, name: cp.name, exit: cp.exit });
      } catch (e) {
        await store.remove(cp.name);
        throw await this.dumpFailure(id, what, work, e);
      } finally {
        c.exitHold = undefined;
        release();
        await fs.rm(work, { recursive: true, force: true });
      }
    });
    // Reply once the stopped container has left the table, so its id is free (restore under the same id).
    if (cp.exit) await this.waitGone(id, EXIT_WAIT_MS);
  }

  /** The runc error, with CRIU's own reasons; dump.log is kept beside the container's state for a closer look. */
  private async dumpFailure(id: string, what: string, work: string, e: unknown): Promise<Error> {
    if (isLegacydError(e)) return e;
    const workLog = path.join(work, 'dump.log');
    const kept = path.join(this.d.stateDir.containerDir(id), FAILED_DUMP_LOG);
    const log = await fs.readFile(workLog, 'utf8').catch(() => '');
    if (log) await fs.rename(workLog, kept).catch(() => undefined);
    const excerpt = criuLogExcerpt(log);
    const msg = oneLine((e as Error).message).split(workLog).join(kept);
    this.d.log.warn('checkpoint failed', { id, err: e as Error });
    return internal(`${what} failed: ${msg}${excerpt ? `; criu: ${excerpt}` : ''}`, e);
  }

  /**
   * A failed restore (CreateContainer with `checkpoint`), with CRIU's reasons from restore.log:
   * the work dir goes with the discarded container, so the log path is dropped from the text.
   */
  async restoreFailure(id: string, name: string, workPath: string, e: unknown): Promise<unknown> {
    if (!isLegacydError(e) || e.kind !== 'internal') return e;
    const log = await fs.readFile(path.join(workPath, 'restore.log'), 'utf8').catch(() => '');
    const excerpt = criuLogExcerpt(log);
    const msg = e.message.replace(/;?\s*log file: \S+/, '');
    return internal(`container ${id}: restore from checkpoint ${name}: ${msg}${excerpt ? `; criu: ${excerpt}` : ''}`, e);
  }

  /** Bounded: the exit is normally seen at once (inotify), else by the reconcile sweep. */
  private async waitGone(id: string, ms: number): Promise<void> {
    const dir = this.d.stateDir.containerDir(id);
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!(await fs.stat(dir).then(() => true, () => false))) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    this.d.log.warn('container still present after a checkpoint with exit', { id });
  }

  /**
   * The checkpoints of the container's bundle. The bundle is known through the container, so an
   * id not in the table (never created, or gone) is NOT_FOUND, as in the 2015 original. Serialised
   * with dumps: a half-written checkpoint is never listed.
   */
  async list(id: string): Promise<StoredCheckpoint[]> {
    const c = this.d.lookup(checkContainerId(id));
    return c.serial(() => new CheckpointStore(c.record.bundlePath).list());
  }

  /** Removes <bundle>/checkpoints/<name>/; NOT_FOUND for an unknown container or checkpoint. */
  async delete(id: string, name: string): Promise<void> {
    checkContainerId(id);
    checkCheckpointName(name);
    const c = this.d.lookup(id);
    await c.serial(async () => {
      const store = new CheckpointStore(c.record.bundlePath);
      if (!(await store.exists(name))) throw notFound(`container ${id}: checkpoint ${name} not found in ${store.root}`);
      await store.remove(name);
    });
  }

  /** For CreateContainer with `checkpoint`: the image dir and its recorded options, or NOT_FOUND. */
  async forRestore(id: string, bundlePath: string, name: string): Promise<{ imagePath: string; options: CheckpointView }> {
    checkCheckpointName(name);
    this.requireCriu(`container ${id}: restore from checkpoint ${name}`);
    const store = new CheckpointStore(bundlePath);
    // runc would create an empty image dir and fail later: look first.
    const images = await fs.stat(path.join(store.dir(name), 'descriptors.json')).then(() => true, () => false);
    if (!images) throw notFound(`container ${id}: checkpoint ${name} not found in ${store.root}`);
    const stored = await store.options(name);
    return { imagePath: store.dir(name), options: stored ?? { name, exit: false, tcp: false, unixSockets: false, shell: false } };
  }
}
