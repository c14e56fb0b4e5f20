import { describe, expect, it } from 'vitest';
import { blkioFromIoStat, parseBlkioV1, parseIoStat } from '../../../src/cgroups';

describe('parseBlkioV1', () => {
  it('reads "major:minor op value" lines and skips the all-device Total line', () => {
    const text = '254:0 Read 16777216\n254:0 Write 4096\n254:0 Total 16781312\n8:16 Read 1\nTotal 16781313\n';
    expect(parseBlkioV1(text, 'blkio.throttle.io_service_bytes')).toEqual([
      { major: 254, minor: 0, op: 'Read', value: 16777216n },
      { major: 254, minor: 0, op: 'Write', value: 4096n },
      { major: 254, minor: 0, op: 'Total', value: 16781312n },
      { major: 8, minor: 16, op: 'Read', value: 1n },
    ]);
  });

  it('reads op-less files (time, sectors) with op ""', () => {
    expect(parseBlkioV1('8:0 42\n', 'blkio.time_recursive')).toEqual([{ major: 8, minor: 0, op: '', value: 42n }]);
  });

  it('reads a device-less "Total 0" (no I/O yet) as no entries', () => {
    expect(parseBlkioV1('Total 0\n', 'blkio.throttle.io_serviced')).toEqual([]);
  });

  it('rejects lines without a device or with a bad value', () => {
    expect(() => parseBlkioV1('sda Read 1\n', 'blkio.throttle.io_serviced')).toThrow(
      'blkio.throttle.io_serviced: line 1 "sda Read 1" does not start with "major:minor"',
    );
    expect(() => parseBlkioV1('8:0 Read x\n', 'f')).toThrow('f: line 1: "x" is not an unsigned integer');
    expect(() => parseBlkioV1('8:0 Read 1 2\n', 'f')).toThrow('is not "major:minor [op] value"');
  });
});

describe('parseIoStat and blkioFromIoStat', () => {
  const text =
    '254:0 rbytes=1048576 wbytes=4194304 rios=256 wios=1024 dbytes=0 dios=0\n' +
    '8:16 rbytes=0 wbytes=9007199254740993 rios=0 wios=1 dbytes=512 dios=1 cost.vrate=100.00\n';

  it('reads each device with its integer keys, tolerating non-integer extras', () => {
    const devs = parseIoStat(text, 'io.stat');
    expect(devs.map((d) => [d.major, d.minor])).toEqual([[254, 0], [8, 16]]);
    expect(devs[1]!.values.get('wbytes')).toBe(9007199254740993n);
    expect(devs[1]!.values.get('dios')).toBe(1n);
    expect(devs[1]!.values.has('cost.vrate')).toBe(false);
  });

  it('maps rbytes/wbytes to service bytes and rios/wios to serviced; the other six lists stay empty', () => {
    const b = blkioFromIoStat(parseIoStat(text, 'io.stat'));
    expect(b.ioServiceBytesRecursive).toEqual([
      { major: 254, minor: 0, op: 'Read', value: 1048576n },
      { major: 254, minor: 0, op: 'Write', value: 4194304n },
      { major: 8, minor: 16, op: 'Read', value: 0n },
      { major: 8, minor: 16, op: 'Write', value: 9007199254740993n },
    ]);
    expect(b.ioServicedRecursive).toEqual([
      { major: 254, minor: 0, op: 'Read', value: 256n },
      { major: 254, minor: 0, op: 'Write', value: 1024n },
      { major: 8, minor: 16, op: 'Read', value: 0n },
      { major: 8, minor: 16, op: 'Write', value: 1n },
    ]);
    for (const k of ['ioQueuedRecursive', 'ioServiceTimeRecursive', 'ioWaitTimeRecursive', 'ioMergedRecursive', 'ioTimeRecursive', 'sectorsRecursive'] as const) {
      expect(b[k]).toEqual([]);
    }
  });

  it('reads an empty io.stat (no I/O yet) as no devices', () => {
    expect(parseIoStat('', 'io.stat')).toEqual([]);
  });

  it('rejects a bad known counter', () => {
    expect(() => parseIoStat('8:0 rbytes=x\n', 'io.stat')).toThrow('io.stat: line 1 rbytes: "x" is not an unsigned integer');
    expect(() => parseIoStat('8:0 rbytes\n', 'io.stat')).toThrow('"rbytes" is not "key=value"');
  });
});
