import type { ProcessView } from './events';
import type { MonitorIdentity } from './monitor';
import type { ProcessRecord } from './records';
import type { ProcessStatus } from './state-machine';

/** A live process of a container: its record, its host pid once started, its monitor. */
export class ProcessEntry {
  status: ProcessStatus = 'starting';
  pid = 0;
  monitor: MonitorIdentity | undefined;
  /** Stops the exit watch (fs watcher) for this process. */
  unwatch: (() => void) | undefined;
  /** Reconcile sweeps left before this process's next full exit check (supervisor.ts). */
  sweepsToFullCheck = 0;

  constructor(
    readonly record: ProcessRecord,
    readonly dir: string,
  ) {}

  get key(): string {
    return this.record.key;
  }

  view(): ProcessView {
    const r = this.record;
    return { pid: this.pid, terminal: r.terminal, user: r.user, args: r.args, env: r.env, cwd: r.cwd };
  }
}
