import type { ContainerMeta } from './source';

/** cAdvisor's container labels: id (cgroup path), name, image (never empty), allow-listed annotations. */
export function containerLabels(meta: ContainerMeta, allow: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = { id: meta.cgroupsPath, name: meta.id, image: meta.image || meta.id };
  for (const key of allow) {
    const v = meta.annotations[key];
    if (v !== undefined) labels[`container_label_${sanitize(key)}`] = v;
  }
  return labels;
}

export function labelNames(allow: readonly string[]): string[] {
  return ['id', 'name', 'image', ...allow.map((k) => `container_label_${sanitize(k)}`)];
}

export function sanitize(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}
