import { describe, expect, it } from 'vitest';
import {
  checkpointArgs,
  deleteArgs,
  execArgs,
  killArgs,
  listArgs,
  pauseArgs,
  psArgs,
  restoreArgs,
  resumeArgs,
  runArgs,
  stateArgs,
  versionArgs,
} from '../../../src/runtime';
import { LegacydError } from '../../../src/errors';

describe('run argv', () => {
  it('has bundle and pid file, id last, foreground by default', () => {
    expect(runArgs('c1', { bundle: '/b', pidFile: '/s/pid' })).toEqual(['run', '--bundle', '/b', '--pid-file', '/s/pid', 'c1']);
  });

  it('adds every optional flag', () => {
    expect(
      runArgs('c1', { bundle: '/b', pidFile: '/p', consoleSocket: '/s.sock', noPivot: true, noNewKeyring: true, keep: true, detach: true }),
    ).toEqual(['run', '--bundle', '/b', '--pid-file', '/p', '--console-socket', '/s.sock', '--no-pivot', '--no-new-keyring', '--keep', '--detach', 'c1']);
  });

  it('omits flags set to false', () => {
    expect(runArgs('c1', { bundle: '/b', pidFile: '/p', noPivot: false, noNewKeyring: false, keep: false, detach: false })).toEqual([
      'run', '--bundle', '/b', '--pid-file', '/p', 'c1',
    ]);
  });

  it('refuses relative paths (the monitor runs runc from another cwd)', () => {
    expect(() => runArgs('c1', { bundle: 'bundle', pidFile: '/p' })).toThrow(/bundle must be an absolute path/);
    expect(() => runArgs('c1', { bundle: '/b', pidFile: '-d' })).toThrow(LegacydError);
  });
});

describe('exec argv', () => {
  it('passes the process file and pid file, foreground by default', () => {
    expect(execArgs('c1', { processJsonPath: '/s/p1.json', pidFile: '/s/p1.pid' })).toEqual([
      'exec', '--process', '/s/p1.json', '--pid-file', '/s/p1.pid', 'c1',
    ]);
  });

  it('adds console socket and detach', () => {
    expect(execArgs('c1', { processJsonPath: '/p.json', pidFile: '/p.pid', consoleSocket: '/c.sock', detach: true })).toEqual([
      'exec', '--process', '/p.json', '--pid-file', '/p.pid', '--console-socket', '/c.sock', '--detach', 'c1',
    ]);
  });
});

describe('restore argv', () => {
  it('has image, work, bundle, pid file and the CRIU flags', () => {
    expect(
      restoreArgs('c1', {
        imagePath: '/ck/cp1', workPath: '/w', pidFile: '/p', bundle: '/b',
        tcpEstablished: true, extUnixSk: true, shellJob: true, fileLocks: true, noPivot: true, consoleSocket: '/c.sock', detach: true,
      }),
    ).toEqual([
      'restore', '--image-path', '/ck/cp1', '--work-path', '/w', '--tcp-established', '--ext-unix-sk', '--shell-job', '--file-locks',
      '--bundle', '/b', '--pid-file', '/p', '--console-socket', '/c.sock', '--no-pivot', '--detach', 'c1',
    ]);
  });

  it('is minimal without optional flags', () => {
    expect(restoreArgs('c1', { imagePath: '/i', pidFile: '/p', bundle: '/b' })).toEqual([
      'restore', '--image-path', '/i', '--bundle', '/b', '--pid-file', '/p', 'c1',
    ]);
  });
});

describe('checkpoint argv', () => {
  it('has image and work paths and every flag', () => {
    expect(
      checkpointArgs('c1', { imagePath: '/i', workPath: '/w', leaveRunning: true, tcpEstablished: true, extUnixSk: true, shellJob: true, fileLocks: true }),
    ).toEqual(['checkpoint', '--image-path', '/i', '--work-path', '/w', '--tcp-established', '--ext-unix-sk', '--shell-job', '--file-locks', '--leave-running', 'c1']);
  });

  it('stops the container by default (no --leave-running)', () => {
    expect(checkpointArgs('c1', { imagePath: '/i' })).toEqual(['checkpoint', '--image-path', '/i', 'c1']);
  });
});

describe('executed verbs argv', () => {
  it('kill passes id then the numeric signal', () => {
    expect(killArgs('c1', 15)).toEqual(['kill', 'c1', '15']);
    expect(killArgs('c1', 0)).toEqual(['kill', 'c1', '0']);
    expect(killArgs('c1', 9, { all: true })).toEqual(['kill', '--all', 'c1', '9']);
  });

  it('kill refuses signals runc cannot take', () => {
    expect(() => killArgs('c1', -1)).toThrow(/invalid signal -1/);
    expect(() => killArgs('c1', 65)).toThrow(LegacydError);
    expect(() => killArgs('c1', 1.5)).toThrow(LegacydError);
  });

  it('delete, with and without force', () => {
    expect(deleteArgs('c1')).toEqual(['delete', 'c1']);
    expect(deleteArgs('c1', { force: true })).toEqual(['delete', '--force', 'c1']);
  });

  it('pause, resume, state, ps, list, version', () => {
    expect(pauseArgs('c1')).toEqual(['pause', 'c1']);
    expect(resumeArgs('c1')).toEqual(['resume', 'c1']);
    expect(stateArgs('c1')).toEqual(['state', 'c1']);
    expect(psArgs('c1')).toEqual(['ps', '--format', 'json', 'c1']);
    expect(listArgs()).toEqual(['list', '--format', 'json']);
    expect(versionArgs()).toEqual(['--version']);
  });
});

describe('container ids', () => {
  it.each(['c1', 'a_b.c+d-e', 'X'])('accepts %s', (id) => {
    expect(pauseArgs(id)).toEqual(['pause', id]);
  });

  it.each(['', '-d', '--root=/x', 'a b', 'a/b', '..', '.', 'a;rm'])('refuses %j with invalid-argument', (id) => {
    let err: unknown;
    try {
      pauseArgs(id);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LegacydError);
    expect((err as LegacydError).kind).toBe('invalid-argument');
  });
});
