import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isNotExistError, Runc, RuncError, RuncOutputError } from '../../../src/runtime';
import { FakeRuncDir } from './fake-runc';

const fakes = new FakeRuncDir();
afterAll(() => fakes.cleanup());

async function failure(p: Promise<unknown>): Promise<RuncError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RuncError);
    return e as RuncError;
  }
  throw new Error('expected a RuncError');
}

describe('executed verbs pass the right argv', () => {
  const binary = fakes.echoArgv();
  const runc = new Runc({ binary, root: '/r', log: '/l', logFormat: 'json', criu: '/c' });
  const g = ['--root', '/r', '--log', '/l', '--log-format', 'json', '--criu', '/c'];

  it('execute returns stdout with globals before the verb', async () => {
    const out = await runc.execute(['kill', '--all', 'c1', '9']);
    expect(JSON.parse(out.stdout)).toEqual([...g, 'kill', '--all', 'c1', '9']);
    expect(out.stderr).toBe('');
  });

  it.each([
    ['kill', (r: Runc) => r.kill('c1', 15), ['kill', 'c1', '15']],
    ['kill --all', (r: Runc) => r.kill('c1', 9, { all: true }), ['kill', '--all', 'c1', '9']],
    ['pause', (r: Runc) => r.pause('c1'), ['pause', 'c1']],
    ['resume', (r: Runc) => r.resume('c1'), ['resume', 'c1']],
    ['delete', (r: Runc) => r.delete('c1', { force: true }), ['delete', '--force', 'c1']],
    ['checkpoint', (r: Runc) => r.checkpoint('c1', { imagePath: '/i', workPath: '/w', leaveRunning: true }), ['checkpoint', '--image-path', '/i', '--work-path', '/w', '--leave-running', 'c1']],
  ] as const)('%s', async (_name, call, want) => {
    const spy = new Runc({ binary: fakes.script(`printf '%s\\n' "$@" > "$0.args"`), root: '/r' });
    await call(spy);
    expect(readFileSync(`${spy.binary}.args`, 'utf8').trim().split('\n')).toEqual(['--root', '/r', ...want]);
  });
});

describe('parsed results', () => {
  it('state', async () => {
    const runc = new Runc({
      binary: fakes.printing('{"ociVersion":"1.0.2-dev","id":"c1","pid":42,"status":"paused","bundle":"/b","rootfs":"/b/rootfs","created":"2026-11-22T08:59:21.5Z","owner":""}'),
    });
    await expect(runc.state('c1')).resolves.toMatchObject({ id: 'c1', pid: 42, status: 'paused', annotations: {} });
  });

  it('list with runc null is []', async () => {
    await expect(new Runc({ binary: fakes.printing('null') }).list()).resolves.toEqual([]);
  });

  it('list with entries', async () => {
    const runc = new Runc({
      binary: fakes.printing('[{"ociVersion":"1.0.2-dev","id":"a","pid":7,"status":"running","bundle":"/b","rootfs":"/b/rootfs","created":"t","owner":"root"}]'),
    });
    expect((await runc.list()).map((c) => c.id)).toEqual(['a']);
  });

  it('ps', async () => {
    await expect(new Runc({ binary: fakes.printing('[6223,6230]') }).ps('c1')).resolves.toEqual([6223, 6230]);
  });

  it('version', async () => {
    const runc = new Runc({ binary: fakes.printing('runc version 1.1.5+ds1\ncommit: abc\nspec: 1.0.2-dev') });
    await expect(runc.version()).resolves.toEqual({ runc: '1.1.5+ds1', commit: 'abc', spec: '1.0.2-dev' });
  });

  it('garbage output is a RuncOutputError, not a RuncError', async () => {
    await expect(new Runc({ binary: fakes.printing('UID PID') }).ps('c1')).rejects.toBeInstanceOf(RuncOutputError);
  });
});

describe('failures', () => {
  it('not-exist stderr becomes a RuncError recognised as not-found', async () => {
    const binary = fakes.script(`echo 'container "x" does not exist' >&2; exit 1`);
    const e = await failure(new Runc({ binary, root: '/r' }).state('x'));
    expect(e.exitCode).toBe(1);
    expect(e.signal).toBeNull();
    expect(e.stderr).toBe('container "x" does not exist');
    expect(e.argv).toEqual([binary, '--root', '/r', 'state', 'x']);
    expect(e.verb).toBe('state');
    expect(e.id).toBe('x');
    expect(e.message).toBe('runc state x failed (exit 1): container "x" does not exist');
    expect(isNotExistError(e)).toBe(true);
  });

  it('/bin/false: exit 1, empty stderr, still a readable message', async () => {
    const e = await failure(new Runc({ binary: '/bin/false' }).pause('c1'));
    expect(e.exitCode).toBe(1);
    expect(e.stderr).toBe('');
    expect(e.message).toBe('runc pause c1 failed (exit 1)');
    expect(isNotExistError(e)).toBe(false);
  });

  it('reads the reason from the json --log file when stderr is empty', async () => {
    const log = fakes.file('runc.log', '{"level":"warning","msg":"meh","time":"t"}\n{"level":"error","msg":"container not running","time":"t"}\n');
    const e = await failure(new Runc({ binary: '/bin/false', log, logFormat: 'json' }).pause('c1'));
    expect(e.stderr).toBe('');
    expect(e.detail).toBe('container not running');
    expect(e.message).toBe('runc pause c1 failed (exit 1): container not running');
  });

  it('a missing binary is a RuncError with no exit code', async () => {
    const e = await failure(new Runc({ binary: join(fakes.dir, 'no-such-runc') }).pause('c1'));
    expect(e.exitCode).toBeNull();
    expect(e.message).toMatch(/^runc pause c1 failed: spawn .*no-such-runc ENOENT$/);
  });

  it('a killed runc reports the signal', async () => {
    const e = await failure(new Runc({ binary: fakes.script('kill -TERM $$') }).resume('c1'));
    expect(e.exitCode).toBeNull();
    expect(e.signal).toBe('SIGTERM');
    expect(e.message).toBe('runc resume c1 failed (signal SIGTERM)');
  });
});

describe('timeouts', () => {
  it('kills runc and what it started, and says it timed out', async () => {
    const marker = join(fakes.dir, 'child-survived');
    // Not exec: the sleep is a child of the script, so only a process-group kill stops it.
    const binary = fakes.script(`(sleep 2; touch ${marker}) & sleep 30`);
    const t0 = Date.now();
    const e = await failure(new Runc({ binary }).pause('c1', { timeoutMs: 200 }));
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(e.timedOut).toBe(true);
    expect(e.signal).toBe('SIGKILL');
    expect(e.message).toBe('runc pause c1 timed out after 200ms (killed)');
    await new Promise((r) => setTimeout(r, 2500));
    expect(existsSync(marker)).toBe(false);
  });

  it('uses the default timeout from the options, and a per-call override wins', async () => {
    const binary = fakes.script('sleep 1; echo null');
    const runc = new Runc({ binary, timeoutMs: 100 });
    await expect(runc.list()).rejects.toThrow(/timed out after 100ms/);
    await expect(runc.list({ timeoutMs: 10_000 })).resolves.toEqual([]);
  });
});

describe('onCall observer', () => {
  it('gets verb, seconds and ok for successes and failures', async () => {
    const calls: [string, number, boolean][] = [];
    const onCall = (verb: string, seconds: number, ok: boolean) => calls.push([verb, seconds, ok]);
    await new Runc({ binary: fakes.printing('null'), onCall }).list();
    await new Runc({ binary: '/bin/false', onCall }).pause('c1').catch(() => undefined);
    await new Runc({ binary: fakes.printing('runc version 1.1.5'), onCall }).version();
    await new Runc({ binary: fakes.printing('not json'), onCall }).state('c1').catch(() => undefined);
    expect(calls.map(([v, , ok]) => [v, ok])).toEqual([
      ['list', true],
      ['pause', false],
      ['version', true],
      ['state', false],
    ]);
    for (const [, s] of calls) expect(s).toBeGreaterThan(0);
  });

  it('a throwing observer does not change the outcome', async () => {
    const runc = new Runc({
      binary: fakes.printing('null'),
      onCall: () => {
        throw new Error('metric broke');
      },
    });
    await expect(runc.list()).resolves.toEqual([]);
  });

  it('with() keeps the observer', async () => {
    const verbs: string[] = [];
    const runc = new Runc({ binary: fakes.printing('null'), onCall: (v) => verbs.push(v) }).with({ root: '/other' });
    await runc.list();
    expect(verbs).toEqual(['list']);
  });
});
