import { describe, expect, it } from 'vitest';
import { parseList, parsePs, parseState, parseVersion, RuncOutputError } from '../../../src/runtime';

// Verbatim from runc 1.1.5 on this machine.
const STATE = `{
  "ociVersion": "1.0.2-dev",
  "id": "c1",
  "pid": 6223,
  "status": "running",
  "bundle": "/tmp/b",
  "rootfs": "/tmp/b/rootfs",
  "created": "2026-11-22T08:59:21.594656279Z",
  "owner": ""
}`;

describe('parseState', () => {
  it('reads runc state, defaulting the omitted annotations to {}', () => {
    expect(parseState(STATE)).toEqual({
      ociVersion: '1.0.2-dev', id: 'c1', pid: 6223, status: 'running', bundle: '/tmp/b', rootfs: '/tmp/b/rootfs',
      created: '2026-11-22T08:59:21.594656279Z', annotations: {}, owner: '',
    });
  });

  it('keeps annotations', () => {
    const s = parseState(JSON.stringify({ ...JSON.parse(STATE), annotations: { 'io.legacyd.x': 'y' } }));
    expect(s.annotations).toEqual({ 'io.legacyd.x': 'y' });
  });

  it('maps an unheard-of status to unknown', () => {
    expect(parseState(STATE.replace('"running"', '"exploded"')).status).toBe('unknown');
  });

  it.each(['paused', 'created', 'stopped', 'pausing'])('keeps status %s', (st) => {
    expect(parseState(STATE.replace('"running"', `"${st}"`)).status).toBe(st);
  });

  it('throws RuncOutputError on non-JSON or missing fields', () => {
    expect(() => parseState('oops')).toThrow(RuncOutputError);
    expect(() => parseState('{"id":"c1"}')).toThrow(/pid/);
    expect(() => parseState('[]')).toThrow(/not an object/);
  });
});

describe('parseList', () => {
  it('reads runc null (empty root) as []', () => {
    expect(parseList('null')).toEqual([]);
    expect(parseList('null\n')).toEqual([]);
  });

  it('reads entries', () => {
    const text =
      '[{"ociVersion":"1.0.2-dev","id":"c1","pid":6223,"status":"running","bundle":"/b","rootfs":"/b/rootfs","created":"2026-11-22T08:59:21.594656279Z","owner":"root"},' +
      '{"ociVersion":"1.0.2-dev","id":"c2","pid":0,"status":"stopped","bundle":"/b2","rootfs":"/b2/rootfs","created":"2026-11-22T08:59:22Z","owner":"root"}]';
    const l = parseList(text);
    expect(l.map((c) => [c.id, c.pid, c.status, c.owner])).toEqual([
      ['c1', 6223, 'running', 'root'],
      ['c2', 0, 'stopped', 'root'],
    ]);
  });

  it('throws on an object', () => {
    expect(() => parseList('{}')).toThrow(/not an array/);
  });
});

describe('parsePs', () => {
  it('reads pids and null', () => {
    expect(parsePs('[6223]\n')).toEqual([6223]);
    expect(parsePs('[1,2,3]')).toEqual([1, 2, 3]);
    expect(parsePs('null')).toEqual([]);
  });

  it('refuses the table format', () => {
    expect(() => parsePs('UID PID PPID\nroot 1 0')).toThrow(RuncOutputError);
    expect(() => parsePs('["1"]')).toThrow(/pids/);
  });
});

describe('parseVersion', () => {
  it('reads runc --version', () => {
    const text = 'runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\ngo: go1.19.8\nlibseccomp: 2.5.4\n';
    expect(parseVersion(text)).toEqual({ runc: '1.1.5+ds1', commit: '1.1.5+ds1-1+deb12u1', spec: '1.0.2-dev', go: 'go1.19.8', libseccomp: '2.5.4' });
  });

  it('tolerates a minimal build', () => {
    expect(parseVersion('runc version 1.0.0\nspec: 1.0.2\n')).toEqual({ runc: '1.0.0', commit: '', spec: '1.0.2' });
  });

  it('throws when it is not runc', () => {
    expect(() => parseVersion('crun version 1.8')).toThrow(RuncOutputError);
  });
});
