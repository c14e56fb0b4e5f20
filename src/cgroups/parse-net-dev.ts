import { malformed, quote } from './file-error';
import { parseU64Token } from './parse-values';
import type { NetDevStats } from './types';

/**
 * /proc/<pid>/net/dev: two header lines, then "name: 16 counters" (rx bytes, packets, errs, drop,
 * fifo, frame, compressed, multicast; tx bytes, packets, errs, drop, fifo, colls, carrier,
 * compressed). Every interface is returned, lo included; callers decide what to skip.
 */
export function parseNetDev(text: string, file = 'net/dev'): NetDevStats[] {
  const out: NetDevStats[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Header lines contain '|'; interface names cannot (nor ':', which ends the name).
    if (line.trim() === '' || line.includes('|')) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (name === '') throw malformed(file, `line ${i + 1} ${quote(line)} is not "interface: counters"`);
    // Old kernels print no space after the colon when rx bytes is wide ("eth0:123456789").
    const f = line.slice(colon + 1).trim().split(/\s+/);
    if (f.length !== 16) throw malformed(file, `line ${i + 1} (${name}) has ${f.length} counters, want 16`);
    const n = (j: number) => parseU64Token(f[j]!, file, `line ${i + 1} (${name}) column ${j + 1}: `);
    out.push({
      name,
      rxBytes: n(0),
      rxPackets: n(1),
      rxErrors: n(2),
      rxDropped: n(3),
      txBytes: n(8),
      txPackets: n(9),
      txErrors: n(10),
      txDropped: n(11),
    });
  }
  return out;
}
