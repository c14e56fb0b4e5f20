/** Human tables and units for legacyctl. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const w = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => streamRow(w, r)).join('');
}

/**
 * One row of a table printed as it streams (rows are not known in advance): every column but the
 * last padded to a fixed width, so the header and each later row line up.
 */
export function streamRow(widths: readonly number[], cells: readonly string[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ') + '\n';
}

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
