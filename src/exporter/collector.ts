import type { Registry } from 'prom-client';
import type { Snapshot } from './source';

/** node_exporter's contract: one collector per file, given this scrape's snapshots. */
export interface Collector {
  readonly name: string;
  update(snapshots: Snapshot[]): void;
}

export interface CollectorContext {
  registry: Registry;
  /** Label names of every container series (id, name, image, container_label_*). */
  labelNames: string[];
  labels: (s: Snapshot) => Record<string, string>;
}

/** bigint counters → float seconds/bytes for Prometheus (exact to 2^53, plenty for rates). */
export const num = (v: bigint | undefined): number => (v === undefined ? 0 : Number(v));
