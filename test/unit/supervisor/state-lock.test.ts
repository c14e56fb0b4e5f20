import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockStateDir, type StateDirLock } from '../../../src/supervisor/state-lock';

const dirs: string[] = [];
const locks: StateDirLock[] = [];
afterEach(async () => {
  for (const l of locks.splice(0)) await l.release();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-lock-'));
  dirs.push(d);
  return d;
}

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
});
