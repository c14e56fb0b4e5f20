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
import type { RuntimePort } from './runtime-port';
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

/** CreateCheckpoint / ListCheckpoint / DeleteCheckpoint, through runc and CRIU. */
export class CheckpointOps {
  constructor(private readonly d: CheckpointDeps) {}

  requireCriu(what: string): void {
    if (!this.d.criu.ok) throw failedPrecondition(`${what}: checkpoints need a working CRIU: ${this.d.criu.reason}`);
  }

  async create(id: string, req: CheckpointRequest): Promise<void> {
    checkContainerId(id);
    if (!req) throw invalidArgument(`container ${id}: CreateCheckpoint needs a checkpoint message`);
    const cp: CheckpointView = {
      name: checkCheckpointName(req.name ?? ''),
      exit: !!req.exit,
      tcp: !!req.tcp,
      unixSockets: !!req.unixSockets,
      shell: !!req.shell,
    };
    const c = this.d.lookup(id);
    const what = `container ${id}: checkpoint ${cp.name}`;
    this.requireCriu(what);
    await c.serial(async () => {
      c.check('checkpoint');
      const store = new CheckpointStore(c.record.bundlePath);
      if (!(await store.claim(cp.name))) throw alreadyExists(`${what} already exists`);
      const work = path.join(this.d.stateDir.containerDir(id), `checkpoint-work-${cp.name}-${randomBytes(3).toString('hex')}`);
      await fs.mkdir(work, { recursive: true });
      // With exit, CRIU kills the container: its exit event must follow the checkpoint event.
      let release: () => void = () => undefined;
      if (cp.exit) c.exitHold = new Promise<void>((r) => (release = r));
      try {
        await this.d.runtime.checkpoint(id, {
          imagePath: store.dir(cp.name),
          workPath: work,
          leaveRunning: !cp.exit,
          tcpEstablished: cp.tcp,
          extUnixSk: cp.unixSockets,
          shellJob: cp.shell,
        });
        await store.record(cp);
        this.d.publish({ type: 'checkpoint', id, pid: c.init.pid, checkpoint: cp });
        this.d.log.info('checkpoint taken', { id, name: cp.name, exit: cp.exit });
      } catch (e) {
        await store.remove(cp.name);
        const log = await fs.readFile(path.join(work, 'dump.log'), 'utf8').catch(() => '');
        const excerpt = criuLogExcerpt(log);
        if (isLegacydError(e)) throw e;
        throw internal(`${what} failed: ${oneLine((e as Error).message)}${excerpt ? `; criu: ${excerpt}` : ''}`, e);
      } finally {
        c.exitHold = undefined;
        release();
        await fs.rm(work, { recursive: true, force: true });
      }
    });
  }

  async list(id: string): Promise<StoredCheckpoint[]> {
    const c = this.d.lookup(checkContainerId(id));
    return new CheckpointStore(c.record.bundlePath).list();
  }

  async delete(id: string, name: string): Promise<void> {
    const c = this.d.lookup(checkContainerId(id));
    checkCheckpointName(name);
    const store = new CheckpointStore(c.record.bundlePath);
    if (!(await store.exists(name))) throw notFound(`container ${id}: checkpoint ${name} not found in ${store.root}`);
    await store.remove(name);
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
