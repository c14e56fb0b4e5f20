import type { ContainerMeta } from './source';
import { escapeLabelValue } from './text-format';

/** cAdvisor's container labels: id (cgroup path), name, image (never empty), allow-listed annotations. */
export function containerLabels(meta: ContainerMeta, allow: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = { id: meta.cgroupsPath, name: meta.id, image: meta.image || meta.id };
  for (const key of allow) {
    const v = meta.annotations[key];
    if (v !== undefined) labels[`container_label_${sanitize(key)}`] = v;
  }
  return labels;
}

export function sanitize(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}


/** `k="v",...` in the object's key order, values escaped; `''` for no labels. */
export function labelText(labels: Record<string, string>): string {
  let out = '';
  for (const k in labels) out += `${out ? ',' : ''}${k}="${escapeLabelValue(labels[k]!)}"`;
  return out;
}

interface Cached {
  pid: number;
  cgroupsPath: string;
  image: string;
  /** The allow-listed annotation values the text was built from. */
  values: (string | undefined)[];
  text: string;
  seen: number;
}

/**
 * Each container's label text (`id="…",name="…",image="…"[,container_label_…]`), escaped once and
 * reused by every family and every scrape. Rebuilt when what it was built from changes (a restore
 * under the same id has a new pid; meta could change); dropped after a scrape that did not use it.
 */
export class LabelCache {
  private readonly entries = new Map<string, Cached>();
  private scrape = 0;

  constructor(private readonly allow: readonly string[]) {}

  /** Starts a scrape. */
  begin(): void {
    this.scrape++;
  }

  /** Ends a scrape: containers whose labels it did not use are gone. */
  sweep(): void {
    for (const [id, e] of this.entries) if (e.seen !== this.scrape) this.entries.delete(id);
  }

  get(meta: ContainerMeta): string {
    let e = this.entries.get(meta.id);
    if (!e || e.pid !== meta.pid || e.cgroupsPath !== meta.cgroupsPath || e.image !== meta.image || !this.sameValues(e.values, meta)) {
      // Built rarely (a new or changed container), through containerLabels so that names, order
      // and duplicate handling are exactly those of the object form.
      e = { pid: meta.pid, cgroupsPath: meta.cgroupsPath, image: meta.image, values: this.allow.map((k) => meta.annotations[k]), text: labelText(containerLabels(meta, this.allow)), seen: 0 };
      this.entries.set(meta.id, e);
    }
    e.seen = this.scrape;
    return e.text;
  }

  get size(): number {
    return this.entries.size;
  }

  private sameValues(values: (string | undefined)[], meta: ContainerMeta): boolean {
    for (let i = 0; i < values.length; i++) if (values[i] !== meta.annotations[this.allow[i]!]) return false;
    return true;
  }
}
