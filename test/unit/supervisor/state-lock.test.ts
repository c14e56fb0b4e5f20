import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import * as net from 'node:net';
import { LOCK_FIFO, LOCK_KEY_FILE, lockStateDir, type StateDirLock } from '../../../src/supervisor/state-lock';
import { useTempDirs } from '../../helpers/tmp';

const tmp = useTempDirs('legacyd-lock');
const locks: StateDirLock[] = [];
afterEach(async () => {
  for (const l of locks.splice(0)) await l.release();
});

describe('the state dir lock', () => {
  it('is exclusive: a second claim fails with the holder\'s pid, by any spelling of the dir', async () => {
    const dir = path.join(tmp(), 'state');
    locks.push(await lockStateDir(dir, 4242));
    expect(fs.statSync(dir).isDirectory()).toBe(true); // made if missing
    await expect(lockStateDir(dir)).rejects.toMatchObject({ kind: 'failed-precondition', message: `state dir ${dir} is in use by another legacyd (pid 4242)` });
    fs.symlinkSync(dir, path.join(path.dirname(dir), 'link'));
    await expect(lockStateDir(path.join(path.dirname(dir), 'link'))).rejects.toMatchObject({ kind: 'failed-precondition' });
    await expect(lockStateDir(`${dir}/../state`)).rejects.toMatchObject({ kind: 'failed-precondition' });
  });

  it('another dir is another lock; a released lock can be taken again', async () => {
    const a = path.join(tmp(), 'a');
    const first = await lockStateDir(a);
    locks.push(await lockStateDir(path.join(tmp(), 'b')));
    await first.release();
    locks.push(await lockStateDir(a));
  });

  it('the end of its process lets go of it, even by SIGKILL', async () => {
    const dir = path.join(tmp(), 'state');
    const src = path.resolve(__dirname, '../../../dist/src/supervisor/state-lock.js');
    const child = spawn(process.execPath, ['-e', `require(${JSON.stringify(src)}).lockStateDir(${JSON.stringify(dir)}).then(() => { console.log('held'); setInterval(() => {}, 1000); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => child.stdout!.once('data', r));
    await expect(lockStateDir(dir)).rejects.toMatchObject({ message: expect.stringContaining(`(pid ${child.pid})`) });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    locks.push(await lockStateDir(dir));
  });

  it('its name comes from a key only the owner can read: another user cannot take it first', async () => {
    const dir = path.join(tmp(), 'state');
    // Someone binds the name the dir's path alone would give (anyone can compute that one).
    const squatter = net.createServer();
    const guess = `\0legacyd-state-dir:${createHash('sha256').update(fs.realpathSync(path.dirname(dir)) + '/state').digest('hex')}`;
    await new Promise<void>((r) => squatter.listen(guess, () => r()));
    try {
      const lock = await lockStateDir(dir);
      const key = path.join(dir, LOCK_KEY_FILE);
      expect(fs.statSync(key).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(key, 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
      await lock.release();
      // The same key again: a restart locks under the same name.
      const before = fs.readFileSync(key, 'utf8');
      locks.push(await lockStateDir(dir));
      expect(fs.readFileSync(key, 'utf8')).toBe(before);
    } finally {
      squatter.close();
    }
  });

  it('two daemons starting at once on a new state dir: one gets it', async () => {
    const dir = path.join(tmp(), 'state');
    const outcomes = await Promise.allSettled([lockStateDir(dir, 1), lockStateDir(dir, 2)]);
    for (const o of outcomes) if (o.status === 'fulfilled') locks.push(o.value);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(fs.readdirSync(dir).sort()).toEqual([LOCK_FIFO, LOCK_KEY_FILE, '.lock-pid']); // no temp file left
  });

  it('makes missing parents; a dir it cannot make is invalid-argument with the reason (not a hang, as Node\'s recursive mkdir under /proc)', async () => {
    const nested = path.join(tmp(), 'a', 'b', 'state');
    locks.push(await lockStateDir(nested));
    expect(fs.statSync(nested).isDirectory()).toBe(true);
    await expect(lockStateDir('/proc/legacyd-nope')).rejects.toMatchObject({ kind: 'invalid-argument', message: expect.stringMatching(/cannot make the state dir \/proc\/legacyd-nope: ENOENT/) });
    const file = path.join(tmp(), 'file');
    fs.writeFileSync(file, '');
    await expect(lockStateDir(file)).rejects.toMatchObject({ kind: 'invalid-argument', message: `cannot make the state dir ${file}: not a directory` });
    await expect(lockStateDir(path.join(file, 'below'))).rejects.toMatchObject({ kind: 'invalid-argument', message: expect.stringContaining('ENOTDIR') });
  });

  it('holds across network namespaces too (a daemon in a container with the state dir mounted)', async () => {
    const dir = path.join(tmp(), 'state');
    const src = path.resolve(__dirname, '../../../dist/src/supervisor/state-lock.js');
    // The holder in a network namespace of its own, where the abstract socket's name is another's.
    const child = spawn('unshare', ['--net', process.execPath, '-e', `require(${JSON.stringify(src)}).lockStateDir(${JSON.stringify(dir)}).then(() => { console.log('held'); setInterval(() => {}, 1000); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((r) => child.stdout!.once('data', r));
      await expect(lockStateDir(dir)).rejects.toMatchObject({ kind: 'failed-precondition', message: expect.stringMatching(/in use by another legacyd \(pid \d+, in another network namespace\)/) });
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    locks.push(await lockStateDir(dir)); // its end let go of the fifo
  });
});
