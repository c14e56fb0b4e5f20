/**
 * Huge page sizes from a cgroup directory listing: "hugetlb.2MB.usage_in_bytes" (v1) or
 * "hugetlb.2MB.current" (v2) → "2MB". Sorted, so results come out in a stable order.
 */
export function hugetlbPageSizes(fileNames: readonly string[], suffix: string): string[] {
  const out: string[] = [];
  const tail = '.' + suffix;
  for (const name of fileNames) {
    if (!name.startsWith('hugetlb.') || !name.endsWith(tail)) continue;
    const size = name.slice('hugetlb.'.length, name.length - tail.length);
    // "hugetlb.2MB.rsvd.current" is the reservation counter, not a page size.
    if (size !== '' && !size.includes('.')) out.push(size);
  }
  return out.sort(byBytes);
}

const UNIT: Record<string, number> = { KB: 1, MB: 1024, GB: 1024 * 1024 };

function byBytes(a: string, b: string): number {
  return kib(a) - kib(b) || (a < b ? -1 : a > b ? 1 : 0);
}

function kib(size: string): number {
  const m = /^(\d+)([KMG]B)$/.exec(size);
  return m ? Number(m[1]) * UNIT[m[2]!]! : Number.MAX_SAFE_INTEGER;
}
