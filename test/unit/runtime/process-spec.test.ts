import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_PATH, renderProcessSpec, writeProcessSpec } from '../../../src/runtime';

describe('renderProcessSpec', () => {
  it('renders the client process as given', () => {
    expect(
      renderProcessSpec({ args: ['sh', '-c', 'id'], terminal: true, user: { uid: 1000, gid: 100, additionalGids: [10, 20] }, env: ['PATH=/bin', 'A=1'], cwd: '/tmp' }),
    ).toEqual({ terminal: true, user: { uid: 1000, gid: 100, additionalGids: [10, 20] }, args: ['sh', '-c', 'id'], env: ['PATH=/bin', 'A=1'], cwd: '/tmp' });
  });

  it('defaults to root, "/", no terminal and a PATH (runc exec adds none)', () => {
    expect(renderProcessSpec({ args: ['true'] })).toEqual({ terminal: false, user: { uid: 0, gid: 0 }, args: ['true'], env: [DEFAULT_PATH], cwd: '/' });
  });

  it('adds PATH to an env without one', () => {
    expect(renderProcessSpec({ args: ['true'], env: ['A=1'] }).env).toEqual(['A=1', DEFAULT_PATH]);
  });

  it('takes env, cwd and user from the base (the container config) when the client gives none', () => {
    const base = { env: ['PATH=/usr/bin', 'TERM=xterm'], cwd: '/srv', user: { uid: 5, gid: 6 } };
    expect(renderProcessSpec({ args: ['true'], env: [], cwd: '' }, base)).toMatchObject({ env: base.env, cwd: '/srv', user: { uid: 5, gid: 6 } });
  });

  it('refuses empty args, relative cwd, bad env and bad ids', () => {
    expect(() => renderProcessSpec({ args: [] })).toThrow(/args/);
    expect(() => renderProcessSpec({ args: ['true'], cwd: 'tmp' })).toThrow(/cwd must be an absolute path/);
    expect(() => renderProcessSpec({ args: ['true'], env: ['NOEQUALS'] })).toThrow(/NAME=value/);
    expect(() => renderProcessSpec({ args: ['true'], user: { uid: -1, gid: 0 } })).toThrow(/uid/);
  });
});

describe('writeProcessSpec', () => {
  const dir = mkdtempSync(join(tmpdir(), 'legacyd-pspec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the JSON atomically with mode 0600 and leaves no temp file', async () => {
    const spec = renderProcessSpec({ args: ['echo', 'hi'] });
    const file = join(dir, 'p1.json');
    await writeProcessSpec(file, spec);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(spec);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['p1.json']);
  });
});
