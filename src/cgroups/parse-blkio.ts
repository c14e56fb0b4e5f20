/** Pure parsers for block I/O: v1 blkio.* files ("8:0 Read 123") and v2 io.stat ("8:0 rbytes=1 ..."). */
import { malformed, quote } from './file-error';
import { parseU64Token } from './parse-values';
import type { BlkioEntry, BlkioStats } from './types';

const DEVICE = /^(\d+):(\d+)$/;

function device(token: string, file: string, lineNo: number, line: string): [number, number] {
  const m = DEVICE.exec(token);
  if (!m) throw malformed(file, `line ${lineNo} ${quote(line)} does not start with "major:minor"`);
  return [Number(m[1]), Number(m[2])];
}

/**
 * v1 blkio files: "MAJ:MIN OP VALUE" (io_service_bytes, io_serviced, ...) or "MAJ:MIN VALUE"
 * (sectors, time; op ''). The trailing all-device "Total N" line is a sum, not a device: skipped.
 */
export function parseBlkioV1(text: string, file: string): BlkioEntry[] {
  const out: BlkioEntry[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    if (f.length === 2 && f[0] === 'Total') {
      parseU64Token(f[1]!, file, `line ${i + 1}: `);
      continue;
    }
    if (f.length !== 2 && f.length !== 3) throw malformed(file, `line ${i + 1} ${quote(line)} is not "major:minor [op] value"`);
    const [major, minor] = device(f[0]!, file, i + 1, line);
    const op = f.length === 3 ? f[1]! : '';
    out.push({ major, minor, op, value: parseU64Token(f[f.length - 1]!, file, `line ${i + 1}: `) });
  }
  return out;
}

export interface IoStatDevice {
  major: number;
  minor: number;
  /** Integer-valued keys (rbytes, wbytes, rios, wios, dbytes, dios, and any others the kernel adds). */
  values: Map<string, bigint>;
}

/** Keys this module uses; they must be integers. Other keys (iocost's cost.vrate=1.00, ...) may be anything. */
const IO_STAT_INT_KEYS = new Set(['rbytes', 'wbytes', 'rios', 'wios', 'dbytes', 'dios']);

/** v2 io.stat: one device per line, "MAJ:MIN key=value ...". */
export function parseIoStat(text: string, file: string): IoStatDevice[] {
  const out: IoStatDevice[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const f = line.trim().split(/\s+/);
    const [major, minor] = device(f[0]!, file, i + 1, line);
    const values = new Map<string, bigint>();
    for (let j = 1; j < f.length; j++) {
      const tok = f[j]!;
      const eq = tok.indexOf('=');
      if (eq <= 0) throw malformed(file, `line ${i + 1} ${quote(line)}: ${quote(tok)} is not "key=value"`);
      const key = tok.slice(0, eq);
      const value = tok.slice(eq + 1);
      if (IO_STAT_INT_KEYS.has(key)) values.set(key, parseU64Token(value, file, `line ${i + 1} ${key}: `));
      else if (/^\d+$/.test(value)) values.set(key, BigInt(value));
    }
    out.push({ major, minor, values });
  }
  return out;
}

export function emptyBlkio(): BlkioStats {
  return {
    ioServiceBytesRecursive: [],
    ioServicedRecursive: [],
    ioQueuedRecursive: [],
    ioServiceTimeRecursive: [],
    ioWaitTimeRecursive: [],
    ioMergedRecursive: [],
    ioTimeRecursive: [],
    sectorsRecursive: [],
  };
}

/** io.stat → the proto's lists: rbytes/wbytes → service bytes Read/Write, rios/wios → serviced; the rest stay empty. */
export function blkioFromIoStat(devices: readonly IoStatDevice[]): BlkioStats {
  const out = emptyBlkio();
  for (const d of devices) {
    const push = (list: BlkioEntry[], key: string, op: string) => {
      const value = d.values.get(key);
      if (value !== undefined) list.push({ major: d.major, minor: d.minor, op, value });
    };
    push(out.ioServiceBytesRecursive, 'rbytes', 'Read');
    push(out.ioServiceBytesRecursive, 'wbytes', 'Write');
    push(out.ioServicedRecursive, 'rios', 'Read');
    push(out.ioServicedRecursive, 'wios', 'Write');
  }
  return out;
}
