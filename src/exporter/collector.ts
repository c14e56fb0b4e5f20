import type { Exposition } from './family';
import type { Snapshot } from './source';

/**
 * node_exporter's contract, one collector per file, fed one container at a time: a scrape never
 * holds every container's stats at once (they would outlive scavenges and land in old space).
 */
export interface Collector {
  readonly name: string;
  /** Starts a scrape: clears the families. */
  begin(): void;
  /** Appends one container's samples to the families. */
  add(s: Snapshot): void;
}

export interface CollectorContext {
  exposition: Exposition;
  /** The container's cached label text (id, name, image, container_label_*), escaped, no braces. */
  labels: (s: Snapshot) => string;
}

/** A sampled value, 0 when absent. */
export const num = (v: number | undefined): number => v ?? 0;

/** Per-sample label values (device, interface, …) are escaped like the container's. */
export { escapeLabelValue as esc } from './text-format';
