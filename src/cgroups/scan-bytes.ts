/**
 * The value parsers of parse-values.ts, parse-blkio.ts and parse-net-dev.ts, run on the bytes a
 * blocking reader read (read-file.ts readBytes) and giving numbers: no text, line or token
 * strings and no bigints, which were most of what a /metrics scrape allocated. They accept
 * exactly what the text parsers accept: anything they do not recognise at once (a malformed
 * file, or a rare form such as a value past 10^15) is handed to the text parser, whose result
 * (as numbers) or error (the same CgroupFileError) is then the answer.
 */
import { blkioFromIoStat, parseBlkioV1, parseIoStat } from './parse-blkio';
import { parseNetDev } from './parse-net-dev';
import { parseCpuMax, parseKeyed, parseLimit, parsePerCpu, parseSingleU64 } from './parse-values';
import { bytesText, type Bytes } from './read-file';
import type { BlkioEntry, BlkioSampleEntry, NetDevSample, SampleLimit } from './types';

/** ASCII whitespace; any other byte that String.prototype.trim or /\s/ would take sends the text to the text parser. */
const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

function allDigits(buf: Buffer, start: number, end: number): boolean {
  if (end <= start) return false;
  for (let i = start; i < end; i++) if (!isDigit(buf[i]!)) return false;
  return true;
}

/**
 * [start, end) as a number when it is 1 to 15 ASCII digits (summed exactly, < 2^53). Anything
 * else, longer runs included, is undefined, for the caller's text parser, which rounds once as
 * Number(bigint) does.
 */
function digits(buf: Buffer, start: number, end: number): number | undefined {
  if (end - start > 15 || !allDigits(buf, start, end)) return undefined;
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + (buf[i]! - 48);
  return v;
}

/** Where the bytes start after leading ASCII whitespace. */
function trimStart(b: Bytes): number {
  let s = 0;
  while (s < b.len && isSpace(b.buf[s]!)) s++;
  return s;
}

/** Where the bytes end before trailing ASCII whitespace (never before `start`). */
function trimEnd(b: Bytes, start: number): number {
  let e = b.len;
  while (e > start && isSpace(b.buf[e - 1]!)) e--;
  return e;
}

/** parseSingleU64 on bytes. */
export function scanSingleU64(b: Bytes, file: string): number {
  const tStart = trimStart(b);
  const tEnd = trimEnd(b, tStart);
  const v = digits(b.buf, tStart, tEnd);
  if (v !== undefined) return v;
  return Number(parseSingleU64(bytesText(b), file));
}

/** parseLimit on bytes: "max", "-1" and v1's page-rounded LONG_MAX are 'max'. */
export function scanLimit(b: Bytes, file: string): SampleLimit {
  const tStart = trimStart(b);
  const tEnd = trimEnd(b, tStart);
  const buf = b.buf;
  const len = tEnd - tStart;
  if (len === 3 && buf[tStart] === 109 && buf[tStart + 1] === 97 && buf[tStart + 2] === 120) return 'max';
  if (len === 2 && buf[tStart] === 45 && buf[tStart + 1] === 49) return 'max';
  // Up to 15 digits is far below V1_UNLIMITED_MIN (~9.2e18): a plain limit.
  const n = digits(buf, tStart, tEnd);
  if (n !== undefined) return n;
  const v = parseLimit(bytesText(b), file);
  return v === 'max' ? 'max' : Number(v);
}

/**
 * The keys wanted from a flat keyed file, as bytes to compare lines with, and what to multiply
 * each value by (µs → ns, ticks → ns): scaled here, the product is rounded once, as Number(bigint × n).
 */
export class KeySet {
  readonly bytes: Buffer[];
  readonly scales: number[];
  constructor(
    readonly keys: readonly string[],
    scales: Readonly<Record<string, number>> = {},
  ) {
    this.bytes = keys.map((k) => Buffer.from(k, 'utf8'));
    this.scales = keys.map((k) => scales[k] ?? 1);
  }
}

/**
 * parseKeyed on bytes, keeping only `keys.keys`: out[i] is the value of keys.keys[i] (the last
 * line's, as parseKeyed keeps) times its scale, NaN when absent. Every line is checked as parseKeyed checks it.
 */
export function scanKeyed(b: Bytes, file: string, keys: KeySet, out: Float64Array): void {
  out.fill(NaN);
  const buf = b.buf;
  const n = b.len;
  const want = keys.bytes;
  let start = 0;
  while (start < n) {
    let end = start;
    while (end < n && buf[end] !== 10) end++;
    if (end > start) {
      let sp = start;
      while (sp < end && buf[sp] !== 32) sp++;
      // "key value": a non-empty key, one space, digits to the end of the line.
      if (sp === start || sp === end || !allDigits(buf, sp + 1, end)) return keyedByText(b, file, keys, out);
      const keyLen = sp - start;
      for (let k = 0; k < want.length; k++) {
        const w = want[k]!;
        if (w.length !== keyLen || w[0] !== buf[start]) continue;
        let same = true;
        for (let i = 1; i < keyLen; i++) {
          if (w[i] !== buf[start + i]) {
            same = false;
            break;
          }
        }
        if (!same) continue;
        const v = digits(buf, sp + 1, end);
        if (v === undefined) return keyedByText(b, file, keys, out);
        out[k] = v * keys.scales[k]!;
        break;
      }
    }
    start = end + 1;
  }
}

function keyedByText(b: Bytes, file: string, keys: KeySet, out: Float64Array): void {
  const m = parseKeyed(bytesText(b), file); // throws the malformed-line error, if there is one
  keys.keys.forEach((k, i) => {
    const v = m[k];
    out[i] = v === undefined ? NaN : Number(v * BigInt(keys.scales[i]!));
  });
}

/** parsePerCpu's checks, on bytes (the exporter exports no per-CPU series, so nothing is kept). */
export function checkPerCpu(b: Bytes, file: string): void {
  const buf = b.buf;
  for (let i = 0; i < b.len; i++) {
    const c = buf[i]!;
    if (!isDigit(c) && !isSpace(c)) {
      parsePerCpu(bytesText(b), file);
      return;
    }
  }
}

/** Token bounds of one line, reused: [start0, end0, start1, end1, ...]. */
const tok = new Int32Array(8);

/** Splits [start, end) on ASCII whitespace into tok; the token count, or -1 past 4 tokens or on a byte /\s/ might take. */
function tokens(buf: Buffer, start: number, end: number): number {
  let count = 0;
  let i = start;
  while (i < end) {
    while (i < end && isSpace(buf[i]!)) i++;
    if (i === end) break;
    if (count === 4) return -1;
    const s = i;
    while (i < end && !isSpace(buf[i]!)) {
      if (buf[i]! >= 128) return -1; // non-ASCII: maybe a Unicode space
      i++;
    }
    tok[count * 2] = s;
    tok[count * 2 + 1] = i;
    count++;
  }
  return count;
}

const OPS = ['Read', 'Write', 'Sync', 'Async', 'Discard', 'Total'].map((op) => ({ op, bytes: Buffer.from(op) }));

/** The op's string, one of the kernel's (no new string) or else made. */
function opAt(buf: Buffer, s: number, e: number): string {
  for (const o of OPS) if (o.bytes.length === e - s && buf.compare(o.bytes, 0, o.bytes.length, s, e) === 0) return o.op;
  return buf.toString('utf8', s, e);
}

/** "major:minor" at [s, e): major, minor; undefined if not digits:digits of at most 15 digits each. */
function device(buf: Buffer, s: number, e: number): [number, number] | undefined {
  let colon = s;
  while (colon < e && buf[colon] !== 58) colon++;
  const major = digits(buf, s, colon);
  const minor = digits(buf, colon + 1, e);
  return major === undefined || minor === undefined ? undefined : [major, minor];
}

/** parseBlkioV1 on bytes. */
export function scanBlkioV1(b: Bytes, file: string): BlkioSampleEntry[] {
  const buf = b.buf;
  const n = b.len;
  const out: BlkioSampleEntry[] = [];
  let start = 0;
  while (start < n) {
    let end = start;
    while (end < n && buf[end] !== 10) end++;
    const count = tokens(buf, start, end);
    if (count < 0) return blkioByText(b, file);
    if (count > 0) {
      if (count === 2 && buf.compare(OPS[5]!.bytes, 0, 5, tok[0]!, tok[1]!) === 0) {
        if (!allDigits(buf, tok[2]!, tok[3]!)) return blkioByText(b, file);
      } else {
        if (count !== 2 && count !== 3) return blkioByText(b, file);
        const dev = device(buf, tok[0]!, tok[1]!);
        const last = (count - 1) * 2;
        const value = digits(buf, tok[last]!, tok[last + 1]!);
        if (!dev || value === undefined) return blkioByText(b, file);
        out.push({ major: dev[0], minor: dev[1], op: count === 3 ? opAt(buf, tok[2]!, tok[3]!) : '', value });
      }
    }
    start = end + 1;
  }
  return out;
}

function blkioByText(b: Bytes, file: string): BlkioSampleEntry[] {
  return parseBlkioV1(bytesText(b), file).map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: Number(e.value) }));
}

/** The 16 counters of a net/dev line, reused. */
const counters = new Float64Array(16);

/** parseNetDev on bytes (every interface, lo included). */
export function scanNetDev(b: Bytes, file: string): NetDevSample[] {
  const buf = b.buf;
  const n = b.len;
  const out: NetDevSample[] = [];
  let start = 0;
  while (start < n) {
    let end = start;
    let bar = false;
    let colon = -1;
    let blank = true;
    for (; end < n && buf[end] !== 10; end++) {
      const c = buf[end]!;
      if (c === 124) bar = true;
      else if (c === 58 && colon < 0) colon = end;
      if (!isSpace(c)) blank = false;
      if (c >= 128) return netDevByText(b, file);
    }
    if (!blank && !bar) {
      // "name: 16 counters", the name trimmed; old kernels print no space after the colon.
      let ns = start;
      let ne = colon;
      while (ns < ne && isSpace(buf[ns]!)) ns++;
      while (ne > ns && isSpace(buf[ne - 1]!)) ne--;
      if (colon < 0 || ne === ns) return netDevByText(b, file);
      let count = 0;
      let i = colon + 1;
      while (i < end) {
        while (i < end && isSpace(buf[i]!)) i++;
        if (i === end) break;
        const s = i;
        while (i < end && !isSpace(buf[i]!)) i++;
        const v = count < 16 ? digits(buf, s, i) : undefined;
        if (v === undefined) return netDevByText(b, file);
        counters[count++] = v;
      }
      if (count !== 16) return netDevByText(b, file);
      out.push({
        name: buf.toString('utf8', ns, ne),
        rxBytes: counters[0]!,
        rxPackets: counters[1]!,
        rxErrors: counters[2]!,
        rxDropped: counters[3]!,
        txBytes: counters[8]!,
        txPackets: counters[9]!,
        txErrors: counters[10]!,
        txDropped: counters[11]!,
      });
    }
    start = end + 1;
  }
  return out;
}

function netDevByText(b: Bytes, file: string): NetDevSample[] {
  return parseNetDev(bytesText(b), file).map((d) => ({
    name: d.name,
    rxBytes: Number(d.rxBytes),
    rxPackets: Number(d.rxPackets),
    rxErrors: Number(d.rxErrors),
    rxDropped: Number(d.rxDropped),
    txBytes: Number(d.txBytes),
    txPackets: Number(d.txPackets),
    txErrors: Number(d.txErrors),
    txDropped: Number(d.txDropped),
  }));
}

/** parseCpuMax on bytes: "QUOTA PERIOD", QUOTA may be "max". */
export function scanCpuMax(b: Bytes, file: string): { quotaUs: SampleLimit; periodUs: number } {
  const tStart = trimStart(b);
  const tEnd = trimEnd(b, tStart);
  const buf = b.buf;
  const count = tokens(buf, tStart, tEnd);
  if (count === 2) {
    const q0 = tok[0]!;
    const q1 = tok[1]!;
    const isMax = q1 - q0 === 3 && buf[q0] === 109 && buf[q0 + 1] === 97 && buf[q0 + 2] === 120;
    const quota = isMax ? 'max' : digits(buf, q0, q1);
    const period = digits(buf, tok[2]!, tok[3]!);
    if (quota !== undefined && period !== undefined) return { quotaUs: quota, periodUs: period };
  }
  const v = parseCpuMax(bytesText(b), file);
  return { quotaUs: v.quotaUs === 'max' ? 'max' : Number(v.quotaUs), periodUs: Number(v.periodUs) };
}

const IO_KEYS = ['rbytes', 'wbytes', 'rios', 'wios', 'dbytes', 'dios'].map((k) => Buffer.from(k));
/** The io.stat value of each IO_KEYS key on the current line; NaN when absent. */
const ioValues = new Float64Array(IO_KEYS.length);

/** parseIoStat + blkioFromIoStat on bytes: rbytes/wbytes → service bytes Read/Write, rios/wios → serviced. */
export function scanIoStat(b: Bytes, file: string): { ioServiceBytesRecursive: BlkioSampleEntry[]; ioServicedRecursive: BlkioSampleEntry[] } {
  const buf = b.buf;
  const n = b.len;
  const out = { ioServiceBytesRecursive: [] as BlkioSampleEntry[], ioServicedRecursive: [] as BlkioSampleEntry[] };
  let start = 0;
  while (start < n) {
    let end = start;
    let blank = true;
    for (; end < n && buf[end] !== 10; end++) {
      const c = buf[end]!;
      if (c >= 128) return ioStatByText(b, file);
      if (!isSpace(c)) blank = false;
    }
    if (!blank) {
      let i = start;
      while (isSpace(buf[i]!)) i++;
      const ds = i;
      while (i < end && !isSpace(buf[i]!)) i++;
      const dev = device(buf, ds, i);
      if (!dev) return ioStatByText(b, file);
      ioValues.fill(NaN);
      for (;;) {
        while (i < end && isSpace(buf[i]!)) i++;
        if (i >= end) break;
        const ts = i;
        let eq = -1;
        while (i < end && !isSpace(buf[i]!)) {
          if (eq < 0 && buf[i] === 61) eq = i;
          i++;
        }
        if (eq <= ts) return ioStatByText(b, file); // "key=value" needs a key
        for (let k = 0; k < IO_KEYS.length; k++) {
          const key = IO_KEYS[k]!;
          if (key.length !== eq - ts || buf.compare(key, 0, key.length, ts, eq) !== 0) continue;
          const v = digits(buf, eq + 1, i);
          if (v === undefined) return ioStatByText(b, file);
          ioValues[k] = v;
          break;
        }
        // Other keys (iocost's cost.vrate=1.00, ...) may hold anything: nothing here uses them.
      }
      const push = (list: BlkioSampleEntry[], k: number, op: string): void => {
        const v = ioValues[k]!;
        if (!Number.isNaN(v)) list.push({ major: dev[0], minor: dev[1], op, value: v });
      };
      push(out.ioServiceBytesRecursive, 0, 'Read');
      push(out.ioServiceBytesRecursive, 1, 'Write');
      push(out.ioServicedRecursive, 2, 'Read');
      push(out.ioServicedRecursive, 3, 'Write');
    }
    start = end + 1;
  }
  return out;
}

function ioStatByText(b: Bytes, file: string): { ioServiceBytesRecursive: BlkioSampleEntry[]; ioServicedRecursive: BlkioSampleEntry[] } {
  const s = blkioFromIoStat(parseIoStat(bytesText(b), file));
  const num = (list: BlkioEntry[]): BlkioSampleEntry[] => list.map((e) => ({ major: e.major, minor: e.minor, op: e.op, value: Number(e.value) }));
  return { ioServiceBytesRecursive: num(s.ioServiceBytesRecursive), ioServicedRecursive: num(s.ioServicedRecursive) };
}
