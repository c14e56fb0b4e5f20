/**
 * CgroupV2.sample() with a blocking reader: the files stats() reads, parsed from their bytes into
 * numbers (scan-bytes.ts), only the fields /metrics exports. Files are read in stats()'s order, so
 * a group fails with stats()'s error (with two malformed files in one group, the one reported may
 * differ: stats() reads every file of a group before parsing any).
 */
import { malformed, readGroup } from './file-error';
import { fileError, type Bytes } from './read-file';
import { KeySet, scanCpuMax, scanIoStat, scanKeyed, scanLimit, scanSingleU64 } from './scan-bytes';
import type { CgroupSample, CpuSample, HugetlbSample, MemorySample, StatsGroup } from './types';

export interface V2Files {
  readBytes(path: string, keep: boolean): Bytes;
}

const CPU_KEYS = ['usage_usec', 'user_usec', 'system_usec', 'nr_periods', 'nr_throttled', 'throttled_usec'] as const;
const CPU_STAT = new KeySet(CPU_KEYS, { usage_usec: 1000, user_usec: 1000, system_usec: 1000, throttled_usec: 1000 }); // µs → ns
const MEM_KEYS = ['file', 'inactive_file', 'anon', 'file_mapped', 'pgfault', 'pgmajfault', 'kernel'] as const;
const MEM_STAT = new KeySet(MEM_KEYS);
const EVENTS = new KeySet(['max', 'oom_kill']);

/** Reused results of scanKeyed (a sample is parsed synchronously, one at a time). */
const cpuStat = new Float64Array(CPU_KEYS.length);
const mem = new Float64Array(MEM_KEYS.length);
const events = new Float64Array(2);

const opt = (v: number): number | undefined => (Number.isNaN(v) ? undefined : v);

/** requireKey on scanned values. */
function need(values: Float64Array, keys: KeySet, i: number, file: string): number {
  const v = values[i]!;
  if (Number.isNaN(v)) throw malformed(file, `no "${keys.keys[i]}" line`);
  return v;
}

export class V2Sampler {
  /** `${dir}/${name}` per file, made once. */
  private readonly paths = new Map<string, string>();

  constructor(
    private readonly files: V2Files,
    private readonly dir: string,
    private readonly controllers: ReadonlySet<string>,
    private readonly keep: boolean,
  ) {}

  /** `hugeSizes`: listed by the caller (asynchronously, once), when the hugetlb controller is enabled. */
  sample(hugeSizes: { ok: true; value: string[] } | { ok: false; error: unknown } | undefined): CgroupSample {
    const out: CgroupSample = { errors: [] };
    const group = (g: StatsGroup, read: () => void): void => readGroup(out.errors, g, read);
    const has = (c: string): boolean => this.controllers.has(c);
    group('cpu', () => (out.cpu = this.cpu()));
    if (has('memory')) group('memory', () => (out.memory = this.memory()));
    if (has('io')) group('blkio', () => (out.blkio = scanIoStat(this.required('io.stat'), 'io.stat')));
    if (has('hugetlb') && hugeSizes) {
      group('hugetlb', () => {
        if (!hugeSizes.ok) throw hugeSizes.error;
        out.hugetlb = this.hugetlb(hugeSizes.value);
      });
    }
    if (has('pids')) group('pids', () => (out.pids = { current: scanSingleU64(this.required('pids.current'), 'pids.current'), limit: scanLimit(this.required('pids.max'), 'pids.max') }));
    return out;
  }

  private path(name: string): string {
    let p = this.paths.get(name);
    if (p === undefined) this.paths.set(name, (p = `${this.dir}/${name}`));
    return p;
  }

  private required(name: string): Bytes {
    const path = this.path(name);
    try {
      return this.files.readBytes(path, this.keep);
    } catch (e) {
      throw fileError(e, name, path);
    }
  }

  private optional(name: string): Bytes | undefined {
    const path = this.path(name);
    try {
      return this.files.readBytes(path, this.keep);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw fileError(e, name, path);
    }
  }

  private cpu(): CpuSample {
    scanKeyed(this.required('cpu.stat'), 'cpu.stat', CPU_STAT, cpuStat);
    const withCpu = this.controllers.has('cpu');
    const spec = withCpu ? scanCpuMax(this.required('cpu.max'), 'cpu.max') : undefined;
    if (withCpu) scanSingleU64(this.required('cpu.weight'), 'cpu.weight'); // checked; v2 exports no shares
    const us = (i: number): number => need(cpuStat, CPU_STAT, i, 'cpu.stat'); // scaled to ns by the scan
    const out: CpuSample = { usage: { total: us(0), user: us(1), kernel: us(2) } };
    if (spec) {
      out.throttling = { periods: need(cpuStat, CPU_STAT, 3, 'cpu.stat'), throttledPeriods: need(cpuStat, CPU_STAT, 4, 'cpu.stat'), throttledTime: us(5) };
      out.spec = { periodUs: spec.periodUs, quotaUs: spec.quotaUs };
    }
    return out;
  }

  private memory(): MemorySample {
    const usage = scanSingleU64(this.required('memory.current'), 'memory.current');
    const peakBytes = this.optional('memory.peak'); // 5.19+
    const peak = peakBytes === undefined ? undefined : scanSingleU64(peakBytes, 'memory.peak');
    scanKeyed(this.required('memory.events'), 'memory.events', EVENTS, events);
    const limit = scanLimit(this.required('memory.max'), 'memory.max');
    scanKeyed(this.required('memory.stat'), 'memory.stat', MEM_STAT, mem);
    const swapBytes = this.optional('memory.swap.current'); // needs CONFIG_SWAP (and swap accounting)
    const swap = swapBytes === undefined ? undefined : scanSingleU64(swapBytes, 'memory.swap.current');
    const k = (key: (typeof MEM_KEYS)[number]): number => need(mem, MEM_STAT, MEM_KEYS.indexOf(key), 'memory.stat');
    const faults = { pgfault: k('pgfault'), pgmajfault: k('pgmajfault') };
    const failcnt = need(events, EVENTS, 0, 'memory.events');
    const cache = k('file');
    const inactive = k('inactive_file');
    const out: MemorySample = {
      usage: { usage, failcnt },
      cache,
      limit,
      workingSet: usage > inactive ? usage - inactive : 0,
      rss: k('anon'),
      mappedFile: k('file_mapped'),
      // v2's memory.stat already covers descendants: both scopes are the same numbers.
      failures: { container: faults, hierarchy: { ...faults } },
    };
    if (peak !== undefined) out.usage.maxUsage = peak;
    if (swap !== undefined) out.swap = swap;
    const kernel = opt(mem[MEM_KEYS.indexOf('kernel')]!); // 5.18+
    if (kernel !== undefined) out.kernelUsage = { usage: kernel };
    const kills = opt(events[1]!);
    if (kills !== undefined) out.oomKills = kills;
    return out;
  }

  private hugetlb(sizes: string[]): Record<string, HugetlbSample> {
    const out: Record<string, HugetlbSample> = {};
    const ev = new Float64Array(2);
    for (const size of sizes) {
      const usage = scanSingleU64(this.required(`hugetlb.${size}.current`), `hugetlb.${size}.current`);
      scanKeyed(this.required(`hugetlb.${size}.events`), `hugetlb.${size}.events`, EVENTS, ev);
      out[size] = { usage, failcnt: need(ev, EVENTS, 0, `hugetlb.${size}.events`) };
    }
    return out;
  }
}
