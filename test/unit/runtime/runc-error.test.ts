import { describe, expect, it } from 'vitest';
import {
  isAlreadyExistsError,
  isNotExistError,
  isNotPausedError,
  isNotRunningError,
  lastLoggedError,
  parseLogLine,
  RuncError,
  runcMessage,
} from '../../../src/runtime';

const base = { argv: ['runc', '--root', '/r', 'pause', 'c1'], verb: 'pause', id: 'c1', exitCode: 1, signal: null };

describe('RuncError', () => {
  it('names verb, container, exit code and runc reason on one line', () => {
    const e = new RuncError({ ...base, stderr: 'time="2026-11-22T08:59:23Z" level=error msg="container not running"\n' });
    expect(e.message).toBe('runc pause c1 failed (exit 1): container not running');
    expect(e.name).toBe('RuncError');
    expect(e).toBeInstanceOf(Error);
    expect(e.stderr).toBe('time="2026-11-22T08:59:23Z" level=error msg="container not running"');
    expect(e.detail).toBe('container not running');
    expect(e.exitCode).toBe(1);
    expect(e.signal).toBeNull();
    expect(e.argv).toEqual(base.argv);
    expect(e.timedOut).toBe(false);
  });

  it('says the signal when runc was killed', () => {
    const e = new RuncError({ ...base, exitCode: null, signal: 'SIGKILL', stderr: '' });
    expect(e.message).toBe('runc pause c1 failed (signal SIGKILL)');
  });

  it('says it timed out', () => {
    const e = new RuncError({ ...base, exitCode: null, signal: 'SIGKILL', stderr: '', timedOut: true, timeoutMs: 250 });
    expect(e.message).toBe('runc pause c1 timed out after 250ms (killed)');
    expect(isNotExistError(e)).toBe(false);
  });

  it('omits the id for verbs without one', () => {
    const e = new RuncError({ argv: ['runc', 'list'], verb: 'list', exitCode: 2, signal: null, stderr: 'boom' });
    expect(e.message).toBe('runc list failed (exit 2): boom');
    expect(e.id).toBeNull();
  });

  it('collapses multi-line plain stderr', () => {
    const e = new RuncError({ ...base, stderr: 'line one\nline two\n' });
    expect(e.message).toBe('runc pause c1 failed (exit 1): line one; line two');
  });
});

describe('runc log lines', () => {
  it('reads logrus text, quoted and bare', () => {
    expect(parseLogLine('time="x" level=error msg="exec failed: exec: \\"sh\\": executable file not found in $PATH"')).toEqual({
      level: 'error',
      msg: 'exec failed: exec: "sh": executable file not found in $PATH',
    });
    expect(parseLogLine('time="x" level=warning msg=hello')).toEqual({ level: 'warning', msg: 'hello' });
  });

  it('reads json lines', () => {
    expect(parseLogLine('{"level":"error","msg":"container does not exist","time":"2026-11-22T08:59:09Z"}')).toEqual({
      level: 'error',
      msg: 'container does not exist',
    });
  });

  it('ignores other text', () => {
    expect(parseLogLine('container does not exist')).toBeNull();
  });

  it('picks the LAST error, skipping warnings', () => {
    const log = [
      '{"level":"error","msg":"old failure","time":"t"}',
      '{"level":"warning","msg":"cgroup not empty","time":"t"}',
      '{"level":"error","msg":"container not paused","time":"t"}',
      '{"level":"info","msg":"bye","time":"t"}',
    ].join('\n');
    expect(lastLoggedError(log)).toBe('container not paused');
    expect(lastLoggedError('nothing here')).toBe('');
  });

  it('runcMessage falls back to the plain text (what runc prints to stderr when --log is a file)', () => {
    expect(runcMessage('container does not exist\n')).toBe('container does not exist');
    expect(runcMessage('time="x" level=error msg="No help topic for \'version\'\\n"')).toBe("No help topic for 'version'");
  });
});

describe('classifying runc errors', () => {
  const err = (stderr: string) => new RuncError({ ...base, stderr });

  it.each([
    'time="t" level=error msg="container does not exist"',
    'container does not exist',
    'time="t" level=error msg="exec failed: container does not exist"',
    'container "x" does not exist',
    '{"level":"error","msg":"container does not exist","time":"t"}',
  ])('not-exist: %s', (stderr) => {
    expect(isNotExistError(err(stderr))).toBe(true);
  });

  it('not-exist is false for other failures and non-RuncErrors', () => {
    expect(isNotExistError(err('container not running'))).toBe(false);
    expect(isNotExistError(err('open /x/config.json: no such file or directory'))).toBe(false);
    expect(isNotExistError(new Error('container does not exist'))).toBe(false);
    expect(isNotExistError(undefined)).toBe(false);
  });

  it('not-running, not-paused, already-exists', () => {
    expect(isNotRunningError(err('time="t" level=error msg="container not running"'))).toBe(true);
    expect(isNotPausedError(err('time="t" level=error msg="container not paused"'))).toBe(true);
    expect(isAlreadyExistsError(err('time="t" level=error msg="runc create failed: container with given ID already exists"'))).toBe(true);
    expect(isNotRunningError(err('container not paused'))).toBe(false);
  });
});
