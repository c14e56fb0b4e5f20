import { describe, expect, it } from 'vitest';
import { nextContainerStatus } from '../../../src/supervisor/state-machine';
import { LegacydError } from '../../../src/errors';

describe('container state machine', () => {
  it('start moves created to running', () => {
    expect(nextContainerStatus('c1', 'created', 'start')).toBe('running');
  });

  it('pause and resume toggle, and repeating either succeeds', () => {
    expect(nextContainerStatus('c1', 'running', 'pause')).toBe('paused');
    expect(nextContainerStatus('c1', 'paused', 'pause')).toBe('paused');
    expect(nextContainerStatus('c1', 'paused', 'resume')).toBe('running');
    expect(nextContainerStatus('c1', 'running', 'resume')).toBe('running');
  });

  it('exec needs a running container', () => {
    expect(nextContainerStatus('c1', 'running', 'exec')).toBe('running');
    expect(() => nextContainerStatus('c1', 'paused', 'exec')).toThrow('cannot exec container c1 in paused state');
  });

  it('illegal moves are FAILED_PRECONDITION naming the container and the state', () => {
    let err: unknown;
    try {
      nextContainerStatus('web1', 'stopped', 'pause');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LegacydError);
    expect((err as LegacydError).kind).toBe('failed-precondition');
    expect((err as LegacydError).message).toBe('cannot pause container web1 in stopped state');
  });

  it('stop is legal from every state and ends in stopped', () => {
    for (const s of ['created', 'running', 'paused', 'stopped'] as const) expect(nextContainerStatus('c', s, 'stop')).toBe('stopped');
  });

  it('a checkpoint keeps a paused container paused', () => {
    expect(nextContainerStatus('c', 'paused', 'checkpoint')).toBe('paused');
    expect(() => nextContainerStatus('c', 'created', 'checkpoint')).toThrow(LegacydError);
  });
});
