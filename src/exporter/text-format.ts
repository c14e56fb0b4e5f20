/** The text exposition's escaping and OpenMetrics naming rules, shared by our families and prom-client's metrics. */

const NEEDS_ESCAPE = /[\\\n"]/;

/** A label value: backslash, newline and double quote escaped. */
export function escapeLabelValue(v: string): string {
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"') : v;
}

/** A `# HELP` text: backslash and newline escaped. */
export function escapeHelp(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** OpenMetrics names a counter family without `_total` and its samples `<family>_total`. */
export function openMetricsNames(name: string, type: string): { family: string; sample: string } {
  if (type !== 'counter') return { family: name, sample: name };
  const family = name.replace(/_total$/, '');
  return { family, sample: `${family}_total` };
}
