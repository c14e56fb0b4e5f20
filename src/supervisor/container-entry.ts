import type { ContainerRecord } from './records';
import { nextContainerStatus, type ContainerAction, type ContainerStatus } from './state-machine';
import type { ProcessEntry } from './process-entry';

/** A container in the daemon's table: its record, lifecycle state and processes. */
export class ContainerEntry {
  status: ContainerStatus = 'created';
  readonly execs = new Map<string, ProcessEntry>();
  /** Set while a checkpoint that stops the container runs: its exit event waits for the checkpoint event. */
  exitHold: Promise<void> | undefined;
  /** Settles once the OOM watcher follows this container (it never rejects). */
  oomWatched: Promise<void> | undefined;
  /** Serialises lifecycle operations (pause/resume/checkpoint/exit) on this container. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly record: ContainerRecord,
    public init: ProcessEntry,
  ) {}

  get id(): string {
    return this.record.id;
  }

  /** Checks that `action` is legal now and returns the resulting state (FAILED_PRECONDITION otherwise). */
  check(action: ContainerAction): ContainerStatus {
    return nextContainerStatus(this.id, this.status, action);
  }

  apply(action: ContainerAction): void {
    this.status = this.check(action);
  }

  processes(): ProcessEntry[] {
    const execs = [...this.execs.values()].filter((p) => p.pid > 0).sort((a, b) => a.pid - b.pid);
    return [this.init, ...execs];
  }

  findByPid(pid: number): ProcessEntry | undefined {
    if (this.init.pid === pid && this.init.status === 'running') return this.init;
    for (const p of this.execs.values()) if (p.pid === pid && p.status === 'running') return p;
    return undefined;
  }

  /** Runs `fn` after every earlier serialised operation on this container. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
