import { describe, expect, it } from 'vitest';
import {
  CgroupFileError,
  cpuWeightToShares,
  parseCpuMax,
  parseKeyed,
  parseLimit,
  parsePerCpu,
  parseSingleU64,
  V1_UNLIMITED_MIN,
} from '../../../src/cgroups';

describe('parseLimit: one parser for "unlimited" on both versions', () => {
  it('reads v2 and pids "max" as max', () => {
    expect(parseLimit('max\n', 'memory.max')).toBe('max');
  });

  it("reads v1's page-rounded LONG_MAX (4 KiB pages) as max, not a number", () => {
    expect(parseLimit('9223372036854771712\n', 'memory.limit_in_bytes')).toBe('max');
  });

  it("reads v1's LONG_MAX rounded to 64 KiB pages (arm64, ppc64) as max", () => {
    expect(parseLimit('9223372036854710272\n', 'memory.limit_in_bytes')).toBe('max');
  });

  it('reads cpu.cfs_quota_us -1 as max', () => {
    expect(parseLimit('-1\n', 'cpu.cfs_quota_us')).toBe('max');
  });

  it('keeps real limits as exact bigints, including 0 and values above 2^53', () => {
    expect(parseLimit('67108864\n', 'memory.limit_in_bytes')).toBe(67108864n);
    expect(parseLimit('0\n', 'pids.max')).toBe(0n);
    expect(parseLimit('9007199254740993', 'memory.max')).toBe(9007199254740993n);
    expect(parseLimit((V1_UNLIMITED_MIN - 1n).toString(), 'x')).toBe(V1_UNLIMITED_MIN - 1n);
  });

  it('rejects anything else with the file name in the message', () => {
    expect(() => parseLimit('unlimited', 'pids.max')).toThrow('pids.max: "unlimited" is not an unsigned integer or "max"');
    expect(() => parseLimit('-2', 'cpu.cfs_quota_us')).toThrow(CgroupFileError);
    expect(() => parseLimit('', 'memory.max')).toThrow('memory.max: empty');
  });
});

describe('parseCpuMax', () => {
  it('reads "max PERIOD" as an unlimited quota', () => {
    expect(parseCpuMax('max 100000\n')).toEqual({ quotaUs: 'max', periodUs: 100000n });
  });

  it('reads "QUOTA PERIOD"', () => {
    expect(parseCpuMax('50000 100000\n')).toEqual({ quotaUs: 50000n, periodUs: 100000n });
  });

  it('rejects a single field', () => {
    expect(() => parseCpuMax('50000\n')).toThrow('cpu.max: "50000" is not "quota period"');
  });
});

describe('parseSingleU64', () => {
  it('reads one value with its newline', () => {
    expect(parseSingleU64('18446744073709551615\n', 'memory.usage_in_bytes')).toBe(18446744073709551615n);
  });

  it('refuses what BigInt() would silently accept', () => {
    expect(() => parseSingleU64('\n', 'pids.current')).toThrow('pids.current: empty');
    expect(() => parseSingleU64('0x10\n', 'pids.current')).toThrow('pids.current: "0x10" is not an unsigned integer');
    expect(() => parseSingleU64('-5\n', 'pids.current')).toThrow(CgroupFileError);
  });
});

describe('parseKeyed', () => {
  it('reads "key value" lines into exact bigints', () => {
    const m = parseKeyed('nr_periods 33\nnr_throttled 32\nthrottled_time 18446744073709551615\n', 'cpu.stat');
    expect({ ...m }).toEqual({ nr_periods: 33n, nr_throttled: 32n, throttled_time: 18446744073709551615n });
  });

  it('names the file, the line and the text of a malformed line', () => {
    expect(() => parseKeyed('anon 1\nfile 2\nfoo\n', 'memory.stat')).toThrow('memory.stat: line 3 "foo" is not "key value"');
    expect(() => parseKeyed('anon 1 2\n', 'memory.stat')).toThrow('memory.stat: line 1 "anon 1 2" is not "key value"');
    expect(() => parseKeyed('anon x\n', 'memory.stat')).toThrow('memory.stat: line 1: "x" is not an unsigned integer');
  });

  it('marks the error malformed', () => {
    try {
      parseKeyed('foo\n', 'memory.events');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CgroupFileError);
      expect((e as CgroupFileError).kind).toBe('malformed');
      expect((e as CgroupFileError).file).toBe('memory.events');
    }
  });

  it('treats any kernel key as data', () => {
    expect(parseKeyed('__proto__ 1\nconstructor 2\n', 'x')['__proto__']).toBe(1n);
  });

  it('reads an empty file as no keys', () => {
    expect({ ...parseKeyed('', 'x') }).toEqual({});
  });
});

describe('parsePerCpu', () => {
  it('reads cpuacct.usage_percpu with its trailing space', () => {
    expect(parsePerCpu('1570940021 49226688 \n', 'cpuacct.usage_percpu')).toEqual([1570940021n, 49226688n]);
  });

  it('names the bad cpu', () => {
    expect(() => parsePerCpu('1 x\n', 'cpuacct.usage_percpu')).toThrow('cpuacct.usage_percpu: cpu 1: "x" is not an unsigned integer');
  });
});

describe('cpuWeightToShares', () => {
  it('maps the cpu.weight range onto the cpu.shares range as cAdvisor does', () => {
    expect(cpuWeightToShares(1n)).toBe(2n);
    expect(cpuWeightToShares(100n)).toBe(2597n);
    expect(cpuWeightToShares(10000n)).toBe(262144n);
  });
});
