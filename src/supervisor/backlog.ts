import * as path from 'node:path';
import type { BacklogEvent } from './event-bus';
import type { DomainEvent } from './events';
import { readJson, writeJsonAtomic } from './state-dir';

interface BacklogFile {
  events: (DomainEvent & { seq: number })[];
}

function isBacklogFile(v: unknown): v is BacklogFile {
  return typeof v === 'object' && v !== null && Array.isArray((v as BacklogFile).events);
}

/**
 * Exits that happened while the daemon was down, kept in <state>/backlog.json until a
 * subscriber has received them, so that neither a restart nor a second crash loses them.
 */
export class Backlog {
  private events: (DomainEvent & { seq: number })[] = [];
  private seq = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly root: string) {}

  private get file(): string {
    return path.join(this.root, 'backlog.json');
  }

  /** Loads what an earlier run left undelivered; a torn file is reported and skipped. */
  async load(): Promise<string | undefined> {
    const r = await readJson(this.file, isBacklogFile);
    if (r.kind === 'ok') {
      this.events = r.value.events.filter((e) => typeof e.type === 'string' && typeof e.id === 'string');
      this.seq = Math.max(0, ...this.events.map((e) => e.seq ?? 0));
    }
    return r.kind === 'corrupt' ? r.reason : undefined;
  }

  add(ev: DomainEvent): void {
    this.events.push({ ...ev, seq: ++this.seq });
  }

  async persist(): Promise<void> {
    const snapshot = { events: this.events };
    this.writing = this.writing.then(() => writeJsonAtomic(this.file, snapshot)).catch(() => undefined);
    await this.writing;
  }

  /** The pending events, each removing itself from the file once handed to a subscriber. */
  pending(): BacklogEvent[] {
    return this.events.map((e) => {
      const { seq, ...event } = e;
      return {
        event,
        delivered: () => {
          const before = this.events.length;
          this.events = this.events.filter((x) => x.seq !== seq);
          if (this.events.length !== before) void this.persist();
        },
      };
    });
  }
}
