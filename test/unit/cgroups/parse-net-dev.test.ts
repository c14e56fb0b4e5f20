import { describe, expect, it } from 'vitest';
import { CgroupFileError, parseNetDev } from '../../../src/cgroups';

const HEADER =
  'Inter-|   Receive                                                |  Transmit\n' +
  ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';

describe('parseNetDev', () => {
  it('returns every interface, lo included, with rx columns 1-4 and tx columns 9-12', () => {
    const text =
      HEADER +
      '    lo:    1234      12    0    0    0     0          0         0     1234      12    0    0    0     0       0          0\n' +
      '  eth0: 9007199254740993 7654321    3    4    9     9          9         9  5555555    44444    5    6    9     9       9          9\n';
    expect(parseNetDev(text)).toEqual([
      { name: 'lo', rxBytes: 1234n, rxPackets: 12n, rxErrors: 0n, rxDropped: 0n, txBytes: 1234n, txPackets: 12n, txErrors: 0n, txDropped: 0n },
      {
        name: 'eth0',
        rxBytes: 9007199254740993n,
        rxPackets: 7654321n,
        rxErrors: 3n,
        rxDropped: 4n,
        txBytes: 5555555n,
        txPackets: 44444n,
        txErrors: 5n,
        txDropped: 6n,
      },
    ]);
  });

  it('reads the old format with no space after the colon', () => {
    const [eth] = parseNetDev(HEADER + 'eth0:123456789 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n');
    expect(eth).toMatchObject({ name: 'eth0', rxBytes: 123456789n, rxDropped: 3n, txBytes: 8n, txDropped: 11n });
  });

  it('reads a namespace with no interfaces as []', () => {
    expect(parseNetDev(HEADER)).toEqual([]);
  });

  it('rejects a short line, naming the interface', () => {
    expect(() => parseNetDev(HEADER + '  eth0: 1 2 3\n', 'net/dev')).toThrow('net/dev: line 3 (eth0) has 3 counters, want 16');
    expect(() => parseNetDev(HEADER + 'garbage\n')).toThrow(CgroupFileError);
  });
});
