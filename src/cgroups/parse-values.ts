/**
 * Pure parsers for the value formats both cgroup versions share: single values, limits, flat keyed
 * files (cpu.stat, memory.stat, memory.events, memory.oom_control, cpuacct.stat) and per-CPU lists.
 * Text in, values out; `file` only names the source in error messages.
 */
import { malformed, quote } from './file-error';
import type { CpuSpec, Limit } from './types';

/** Plain decimal digits only: BigInt() alone would also take '', ' 1 ' and '0x10'. */
export function isUintText(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * v1 reports "no limit" as LONG_MAX rounded down to the page size (9223372036854771712 with 4 KiB
 * pages, 9223372036854710272 with 64 KiB). Anything at or above LONG_MAX rounded down to 2 MiB is
 * unlimited; no real limit comes near it.
 */
export const V1_UNLIMITED_MIN = ((1n << 63n) - 1n) & ~((1n << 21n) - 1n);

/** One unsigned decimal token. */
export function parseU64Token(token: string, file: string, where = ''): bigint {
  if (!isUintText(token)) throw malformed(file, `${where}${quote(token)} is not an unsigned integer`);
  return BigInt(token);
}

/** A file holding one unsigned integer (memory.usage_in_bytes, pids.current, cpuacct.usage, ...). */
export function parseSingleU64(text: string, file: string): bigint {
  const t = text.trim();
  if (t === '') throw malformed(file, 'empty, want an unsigned integer');
  return parseU64Token(t, file);
}

/**
 * The one limit parser for both versions: "max" (v2, pids), "-1" (v1 cpu.cfs_quota_us) and v1's
 * page-rounded LONG_MAX are all 'max'; anything else must be an unsigned integer.
 */
export function parseLimit(text: string, file: string): Limit {
  const t = text.trim();
  if (t === 'max' || t === '-1') return 'max';
  if (t === '') throw malformed(file, 'empty, want an unsigned integer or "max"');
  if (!isUintText(t)) throw malformed(file, `${quote(t)} is not an unsigned integer or "max"`);
  const v = BigInt(t);
  return v >= V1_UNLIMITED_MIN ? 'max' : v;
}

/** A parsed keyed file. Null-prototype, so any key the kernel prints is just a key. */
export type Keyed = { [key: string]: bigint | undefined };

/** Flat keyed files: one "key value" pair per line (cpu.stat, memory.stat, memory.events, ...). */
export function parseKeyed(text: string, file: string): Keyed {
  const out: Keyed = Object.create(null) as Keyed;
  let start = 0;
  let lineNo = 0;
  const n = text.length;
  while (start < n) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = n;
    lineNo++;
    if (end > start) {
      const sp = text.indexOf(' ', start);
      const key = sp > start && sp < end ? text.slice(start, sp) : '';
      const value = key === '' ? '' : text.slice(sp + 1, end);
      if (!isUintText(value)) {
        const line = text.slice(start, end);
        if (key === '' || value === '' || value.includes(' ')) throw malformed(file, `line ${lineNo} ${quote(line)} is not "key value"`);
        throw malformed(file, `line ${lineNo}: ${quote(value)} is not an unsigned integer`);
      }
      out[key] = BigInt(value);
    }
    start = end + 1;
  }
  return out;
}

/** A key a keyed file must have. */
export function requireKey(map: Keyed, key: string, file: string): bigint {
  const v = map[key];
  if (v === undefined) throw malformed(file, `no "${key}" line`);
  return v;
}

/** Whitespace-separated unsigned integers on one line (cpuacct.usage_percpu ends with a space). */
export function parsePerCpu(text: string, file: string): bigint[] {
  const t = text.trim();
  if (t === '') return [];
  return t.split(/\s+/).map((tok, i) => parseU64Token(tok, file, `cpu ${i}: `));
}

/** v2 cpu.max: "QUOTA PERIOD", QUOTA may be "max". */
export function parseCpuMax(text: string, file = 'cpu.max'): Pick<CpuSpec, 'quotaUs' | 'periodUs'> {
  const f = text.trim().split(/\s+/);
  if (f.length !== 2) throw malformed(file, `${JSON.stringify(text.trim())} is not "quota period"`);
  return { quotaUs: parseLimit(f[0]!, file), periodUs: parseU64Token(f[1]!, file, 'period: ') };
}
