import { describe, expect, it } from 'vitest';
import { parseEnv, parseSignal, parseUser, parseWholeNumber } from '../../src/cli/ctl/signals';
import { bytes, streamRow, table } from '../../src/cli/ctl/output';
import { call, connect, errorLine, target } from '../../src/cli/ctl/client';

describe('legacyctl parsing and output', () => {
  it('signals by name, SIG-name, lower case and number', () => {
    expect(parseSignal('KILL')).toBe(9);
    expect(parseSignal('SIGTERM')).toBe(15);
    expect(parseSignal('hup')).toBe(1);
    expect(parseSignal('9')).toBe(9);
    expect(() => parseSignal('NOPE')).toThrow('unknown signal "NOPE"');
    expect(() => parseSignal('99')).toThrow('out of range');
  });
  it('users and env', () => {
    expect(parseUser('1000')).toEqual({ uid: 1000, gid: 1000, additionalGids: [] });
    expect(parseUser('1000:5')).toEqual({ uid: 1000, gid: 5, additionalGids: [] });
    expect(() => parseUser('bob')).toThrow('want UID or UID:GID');
    expect(parseEnv('A=b=c')).toBe('A=b=c');
    expect(() => parseEnv('A')).toThrow('want KEY=VALUE');
  });
  it('whole numbers for --count and --pid, with the flag named when it is not one', () => {
    expect(parseWholeNumber('--count', '3')).toBe(3);
    expect(parseWholeNumber('--count', '0')).toBe(0);
    expect(() => parseWholeNumber('--count', 'abc')).toThrow('--count "abc": want a whole number');
    expect(() => parseWholeNumber('--pid', '-1')).toThrow('--pid "-1": want a whole number');
    expect(() => parseWholeNumber('--pid', '1.5')).toThrow('want a whole number');
  });
  it('tables and units', () => {
    expect(table(['ID', 'PID'], [['web', 42]])).toBe('ID   PID\nweb  42\n');
    expect(bytes(512)).toBe('512 B');
    expect(bytes(2.5 * 1024 * 1024)).toBe('2.5 MiB');
  });
  it('streamed rows line up with their header whatever the values', () => {
    const widths = [7, 10, 10];
    const header = streamRow(widths, ['CPU', 'MEMORY', 'NET RX', 'NET TX']);
    const row = streamRow(widths, ['0.1%', bytes(749568), bytes(0), bytes(0)]);
    expect(header).toBe('CPU      MEMORY      NET RX      NET TX\n');
    expect(row).toBe('0.1%     732.0 KiB   0 B         0 B\n');
    expect(row.indexOf('732.0')).toBe(header.indexOf('MEMORY'));
  });
  it('addresses', () => {
    expect(target('tcp://127.0.0.1:7000')).toBe('127.0.0.1:7000');
    expect(target('unix:///run/x.sock')).toBe('unix:///run/x.sock');
  });
});

describe('legacyctl errors', () => {
  it('no daemon at the address: the socket\'s own error and what to check, in one line', async () => {
    const sock = `/tmp/legacyctl-test-${process.pid}-absent.sock`;
    const client = connect(`unix://${sock}`);
    try {
      const e = await call(client.State.bind(client), {}, 5_000).then(() => undefined, (err: unknown) => err);
      expect(errorLine(e)).toBe(`cannot reach legacyd: connect ENOENT ${sock} (is it running, with this --listen address?)`);
    } finally {
      client.close();
    }
  });
});
