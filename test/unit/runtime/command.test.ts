import { describe, expect, it } from 'vitest';
import { buildCommand, globalArgs, pauseArgs, Runc, runArgs } from '../../../src/runtime';

describe('global options', () => {
  it('none by default, binary runc', () => {
    expect(globalArgs({})).toEqual([]);
    expect(buildCommand({}, ['list', '--format', 'json'])).toEqual({ file: 'runc', args: ['list', '--format', 'json'] });
  });

  it('every global flag, in order, before the verb', () => {
    const cmd = buildCommand(
      { binary: '/usr/sbin/runc', root: '/run/legacyd/runc', log: '/var/log/runc.log', logFormat: 'json', criu: '/usr/sbin/criu', systemdCgroup: true },
      pauseArgs('c1'),
    );
    expect(cmd).toEqual({
      file: '/usr/sbin/runc',
      args: ['--root', '/run/legacyd/runc', '--log', '/var/log/runc.log', '--log-format', 'json', '--criu', '/usr/sbin/criu', '--systemd-cgroup', 'pause', 'c1'],
    });
  });

  it('each global flag alone', () => {
    expect(globalArgs({ root: '/r' })).toEqual(['--root', '/r']);
    expect(globalArgs({ log: '/l' })).toEqual(['--log', '/l']);
    expect(globalArgs({ logFormat: 'text' })).toEqual(['--log-format', 'text']);
    expect(globalArgs({ criu: 'criu' })).toEqual(['--criu', 'criu']);
    expect(globalArgs({ systemdCgroup: true })).toEqual(['--systemd-cgroup']);
    expect(globalArgs({ systemdCgroup: false })).toEqual([]);
  });

  it('refuses a relative root or log, a bad log format, a flag-like criu', () => {
    expect(() => globalArgs({ root: 'state' })).toThrow(/root must be an absolute path/);
    expect(() => globalArgs({ log: 'runc.log' })).toThrow(/log must be an absolute path/);
    expect(() => globalArgs({ logFormat: 'xml' as 'json' })).toThrow(/logFormat/);
    expect(() => globalArgs({ criu: '--evil' })).toThrow(/criu/);
  });
});

describe('Runc.command', () => {
  const runc = new Runc({ binary: '/opt/runc', root: '/r', criu: '/c' });

  it('puts the globals before any verb', () => {
    expect(runc.command(['state', 'c1'])).toEqual({ file: '/opt/runc', args: ['--root', '/r', '--criu', '/c', 'state', 'c1'] });
  });

  it('builds the monitor commands for run, exec and restore', () => {
    expect(runc.runCommand('c1', { bundle: '/b', pidFile: '/p' }).args).toEqual(['--root', '/r', '--criu', '/c', ...runArgs('c1', { bundle: '/b', pidFile: '/p' })]);
    expect(runc.execCommand('c1', { processJsonPath: '/x.json', pidFile: '/x.pid' }).args).toEqual([
      '--root', '/r', '--criu', '/c', 'exec', '--process', '/x.json', '--pid-file', '/x.pid', 'c1',
    ]);
    expect(runc.restoreCommand('c1', { imagePath: '/i', pidFile: '/p', bundle: '/b' }).args).toEqual([
      '--root', '/r', '--criu', '/c', 'restore', '--image-path', '/i', '--bundle', '/b', '--pid-file', '/p', 'c1',
    ]);
  });

  it('with() overrides one option for a per-process log file, leaving the original alone', () => {
    const perProcess = runc.with({ log: '/s/c1/init/runc.log', logFormat: 'json' });
    expect(perProcess.runCommand('c1', { bundle: '/b', pidFile: '/p' }).args.slice(0, 8)).toEqual([
      '--root', '/r', '--log', '/s/c1/init/runc.log', '--log-format', 'json', '--criu', '/c',
    ]);
    expect(runc.log).toBeUndefined();
  });

  it('defaults the binary to runc and rejects bad globals at construction', () => {
    expect(new Runc().command(['list']).file).toBe('runc');
    expect(() => new Runc({ root: 'relative' })).toThrow(/absolute/);
  });
});
