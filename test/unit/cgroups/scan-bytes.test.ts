/** The byte parsers (scan-bytes.ts) agree with the text parsers on every input: same numbers, or the same error. */
import { describe, expect, it } from 'vitest';
import { blkioFromIoStat, parseBlkioV1, parseCpuMax, parseIoStat, parseKeyed, parseLimit, parseNetDev, parsePerCpu, parseSingleU64 } from '../../../src/cgroups';
import { checkPerCpu, KeySet, scanBlkioV1, scanCpuMax, scanIoStat, scanKeyed, scanLimit, scanNetDev, scanSingleU64 } from '../../../src/cgroups/scan-bytes';
import { fixtureText } from './helpers';

/** The bytes of `text` at the start of a bigger, dirty buffer, as a reader's scratch buffer is. */
function bytes(text: string): { buf: Buffer; len: number } {
  const b = Buffer.from(text, 'utf8');
  const buf = Buffer.alloc(b.length + 64, '9 x\n');
  b.copy(buf);
  return { buf, len: b.length };
}

/** fn's value, or its error's class and message. */
function outcome<T>(fn: () => T): { value: T } | { error: string } {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

const toNumber = (v: bigint | 'max'): number | 'max' => (v === 'max' ? 'max' : Number(v));

describe('scanSingleU64 = Number(parseSingleU64)', () => {
  const inputs = ['42\n', '0\n', '  7 \n', '\t8\r\n', '', '\n', 'x\n', '-1\n', '1 2\n', '0x10\n', '12a\n', '123\u00a0\n',
    '999999999999999\n', '1000000000000000\n', '9007199254740993\n', '18446744073709551615\n', '99999999999999999999999\n', '٣\n'];
  for (const text of inputs) {
    it(JSON.stringify(text), () => {
      expect(outcome(() => scanSingleU64(bytes(text), 'f'))).toEqual(outcome(() => Number(parseSingleU64(text, 'f'))));
    });
  }
  it('past 2^53 rounds as Number(bigint) does', () => {
    expect(scanSingleU64(bytes('9007199254740993\n'), 'f')).toBe(Number(9007199254740993n));
    expect(scanSingleU64(bytes('18446744073709551615\n'), 'f')).toBe(18446744073709552000);
  });
});

describe('scanLimit = parseLimit as a number', () => {
  const inputs = ['max\n', '-1\n', ' max ', 'MAX\n', 'maxx\n', '-2\n', '', '104857600\n', '0\n', '9223372036854771712\n', '9223372036854710272\n',
    '9223372036852678656\n', '9223372036852678655\n', '18446744073709551615\n', 'unlimited\n', '100000000000000000\n'];
  for (const text of inputs) {
    it(JSON.stringify(text), () => {
      expect(outcome(() => scanLimit(bytes(text), 'f'))).toEqual(outcome(() => toNumber(parseLimit(text, 'f'))));
    });
  }
  it("v1's page-rounded LONG_MAX is 'max'; just below the bound is a number", () => {
    expect(scanLimit(bytes('9223372036854771712\n'), 'f')).toBe('max');
    expect(scanLimit(bytes('9223372036852678655\n'), 'f')).toBe(Number(9223372036852678655n));
  });
});

describe('scanKeyed = parseKeyed, for the wanted keys', () => {
  const keys = new KeySet(['cache', 'rss', 'total_rss', 'pgfault', 'absent']);
  const byText = (text: string): number[] => {
    const m = parseKeyed(text, 'memory.stat');
    return keys.keys.map((k) => (m[k] === undefined ? NaN : Number(m[k])));
  };
  const inputs = [
    fixtureText('v1-nested', 'sys/fs/cgroup/memory/legacyd/c1/memory.stat'),
    'cache 1\nrss 2\n',
    'cache 1\nrss 2', // no final newline
    'cache 1\n\nrss 2\n', // an empty line
    'cache 1\ncache 5\n', // the last one wins
    'cach 1\ncaches 2\nrss 18446744073709551615\n',
    'cache 1\nfoo\n',
    'cache 1\nfoo 1 2\n',
    'cache 1\nrss x\n',
    'cache 1\n rss 2\n',
    'cache 1\nrss  2\n',
    'cache 1\nrss 2\r\n',
    'cache 1\nrss \n',
    'cache 1\nrss 9007199254740993\n',
    'caché 1\nrss 2\n',
    '',
  ];
  for (const text of inputs) {
    it(JSON.stringify(text.slice(0, 40)), () => {
      const out = new Float64Array(keys.keys.length);
      expect(outcome(() => (scanKeyed(bytes(text), 'memory.stat', keys, out), [...out]))).toEqual(outcome(() => byText(text)));
    });
  }
});

it('scales values (µs → ns) before rounding them, as Number(bigint × 1000) does', () => {
  const keys = new KeySet(['usage_usec', 'nr_periods'], { usage_usec: 1000 });
  const out = new Float64Array(2);
  for (const usage of ['123', '999999999999999', '9007199254740993', '18446744073709551615']) {
    scanKeyed(bytes(`usage_usec ${usage}\nnr_periods 7\n`), 'cpu.stat', keys, out);
    expect([...out]).toEqual([Number(BigInt(usage) * 1000n), 7]);
  }
});

describe('checkPerCpu accepts what parsePerCpu accepts', () => {
  for (const text of ['1 2 3 \n', '', '\n', '1\t2\n', '1 x 3\n', '1 -2\n', '1\u00a02\n', '18446744073709551615 0\n']) {
    it(JSON.stringify(text), () => {
      const errorOf = (o: { value: unknown } | { error: string }) => ('error' in o ? o.error : 'ok');
      expect(errorOf(outcome(() => checkPerCpu(bytes(text), 'cpuacct.usage_percpu')))).toEqual(errorOf(outcome(() => parsePerCpu(text, 'cpuacct.usage_percpu'))));
    });
  }
});

describe('scanBlkioV1 = parseBlkioV1 with number values', () => {
  const byText = (text: string) => parseBlkioV1(text, 'blkio.throttle.io_service_bytes').map((e) => ({ ...e, value: Number(e.value) }));
  const inputs = [
    'Total 0\n',
    '',
    '8:0 Read 999\n8:0 Write 1\n8:0 Sync 2\n8:0 Async 3\n8:0 Discard 0\n8:0 Total 1000\n253:1 Read 5\nTotal 1005\n',
    '8:0 42\n8:16 7\n', // sectors, time: no op
    '8:0 Weird 1\n', // an op the kernel may add
    '  8:0   Read   1  \n\n',
    '8:0 Read 18446744073709551615\n',
    '8:0 Read\n',
    '8:0 Read 1 2\n',
    'sda Read 1\n',
    '8:0:1 Read 1\n',
    '8: Read 1\n',
    'Total x\n',
    'Total\n',
    '8:0 Read -1\n',
    '8:0\u00a0Read 1\n',
  ];
  for (const text of inputs) {
    it(JSON.stringify(text.slice(0, 40)), () => {
      expect(outcome(() => scanBlkioV1(bytes(text), 'blkio.throttle.io_service_bytes'))).toEqual(outcome(() => byText(text)));
    });
  }
});

describe('scanNetDev = parseNetDev with number values', () => {
  const byText = (text: string) =>
    parseNetDev(text, '/proc/1/net/dev').map((d) => Object.fromEntries(Object.entries(d).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])));
  const header = 'Inter-|   Receive |  Transmit\n face |bytes    packets|bytes\n';
  const row = (name: string, first = '1') => `${name}: ${first} 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n`;
  const inputs = [
    fixtureText('hybrid-runc', `proc/${31854}/net/dev`),
    fixtureText('v2', 'proc/4242/net/dev'),
    header + row('    lo') + row('  eth0', '18446744073709551615'),
    header + 'eth0:123456789 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n', // no space after the colon
    header + row('eth0') + '\n   \n',
    header + 'eth0: 1 2 3\n',
    header + row('eth0') + 'eth1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n',
    header + ': 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n',
    header + 'eth0: 1 2 3 4 x 6 7 8 9 10 11 12 13 14 15 16\n', // a column nobody reads
    header + 'eth0: x 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n',
    header + row('eth0') + row('eth0') + row('eth0') + row('eth0') + row('eth0').replace('16', '16 17'),
    header + row('wlän0'),
  ];
  for (const text of inputs) {
    it(JSON.stringify(text.slice(-50)), () => {
      expect(outcome(() => scanNetDev(bytes(text), '/proc/1/net/dev'))).toEqual(outcome(() => byText(text)));
    });
  }
});

describe('scanCpuMax = parseCpuMax as numbers', () => {
  for (const text of ['max 100000\n', '50000 100000\n', ' 50000\t100000 \n', '50000\n', '', 'max\n', '1 2 3\n', 'MAX 100000\n', '-1 100000\n', 'max x\n', 'max 18446744073709551615\n', '9223372036854771712 100000\n', 'max\u00a0100000\n']) {
    it(JSON.stringify(text), () => {
      const byText = () => {
        const v = parseCpuMax(text, 'cpu.max');
        return { quotaUs: v.quotaUs === 'max' ? 'max' : Number(v.quotaUs), periodUs: Number(v.periodUs) };
      };
      expect(outcome(() => scanCpuMax(bytes(text), 'cpu.max'))).toEqual(outcome(byText));
    });
  }
});

describe('scanIoStat = blkioFromIoStat(parseIoStat) as numbers', () => {
  const byText = (text: string) => {
    const s = blkioFromIoStat(parseIoStat(text, 'io.stat'));
    const num = (l: typeof s.ioServicedRecursive) => l.map((e) => ({ ...e, value: Number(e.value) }));
    return { ioServiceBytesRecursive: num(s.ioServiceBytesRecursive), ioServicedRecursive: num(s.ioServicedRecursive) };
  };
  const inputs = [
    fixtureText('v2', 'sys/fs/cgroup/legacyd/web/io.stat'),
    '',
    '\n',
    '8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=5 dios=6 cost.vrate=1.00 cost.usage=7\n',
    '8:0 rbytes=1\n8:16 wios=2\n', // keys missing on a line
    '8:0\n', // a device with no keys
    '8:0 rbytes=1 rbytes=2\n', // the last one wins
    '  8:0   rbytes=1  \n',
    '8:0 rbytes=1 wbytes\n',
    '8:0 =1\n',
    '8:0 rbytes=\n',
    '8:0 rbytes=1.5\n',
    '8:0 rbytes=x\n',
    '8:0 other=x\n',
    'sda rbytes=1\n',
    '8:0 rbytes=18446744073709551615\n',
    '8:0 rbytes=1 naïve=2\n',
  ];
  for (const text of inputs) {
    it(JSON.stringify(text.slice(0, 50)), () => {
      expect(outcome(() => scanIoStat(bytes(text), 'io.stat'))).toEqual(outcome(() => byText(text)));
    });
  }
});
