import * as fs from 'node:fs';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseListen, prepareUnixSocket } from '../../../src/shim/listen';
import { useTempDirs } from '../../helpers/tmp';

const tmp = useTempDirs('legacyd-listen');

describe('--listen', () => {
  it('parses unix and tcp addresses, and refuses the rest with the form it wants', () => {
    expect(parseListen('unix:///run/x.sock')).toEqual({ kind: 'unix', path: '/run/x.sock' });
    expect(parseListen('tcp://127.0.0.1:0')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 0 });
    expect(parseListen('tcp://[::1]:7000')).toEqual({ kind: 'tcp', host: '[::1]', port: 7000 });
    expect(() => parseListen('unix://run/x.sock')).toThrow('must be absolute');
    expect(() => parseListen('tcp://h:70000')).toThrow('port out of range');
    expect(() => parseListen('ftp://x')).toThrow('want unix:///path/to.sock or tcp://host:port');
  });

  it('makes the socket\'s directory, and says why it cannot (no hang under /proc)', async () => {
    const sock = path.join(tmp(), 'a', 'b', 'd.sock');
    await prepareUnixSocket(sock);
    expect(fs.statSync(path.dirname(sock)).isDirectory()).toBe(true);
    await expect(prepareUnixSocket('/proc/legacyd-nope/d.sock')).rejects.toMatchObject({
      kind: 'invalid-argument',
      message: expect.stringContaining("cannot make the --listen socket's directory /proc/legacyd-nope: ENOENT"),
    });
  });

  it('replaces a stale socket, never steals a live one, and leaves a file that is not a socket', async () => {
    const sock = path.join(tmp(), 'd.sock');
    // A daemon killed with -9 leaves its socket file behind.
    const holder = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(sock)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => holder.stdout!.once('data', r));
    await expect(prepareUnixSocket(sock)).rejects.toThrow(`another process is serving ${sock}`);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    expect(fs.lstatSync(sock).isSocket()).toBe(true);

    await prepareUnixSocket(sock);

    expect(fs.existsSync(sock)).toBe(false);
    fs.writeFileSync(sock, '');
    await expect(prepareUnixSocket(sock)).rejects.toThrow(`--listen: ${sock} exists and is not a socket`);
  });
});
