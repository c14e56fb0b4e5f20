import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateDir, readInt, readJson, removeTreeSync, writeJsonAtomic } from '../../../src/supervisor/state-dir';
import { isContainerRecord } from '../../../src/supervisor/records';
import { Backlog } from '../../../src/supervisor/backlog';
import { fillWith, mountTmpfs, unmount } from '../../helpers/disk';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-sd-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('state dir files', () => {
  it('atomic JSON writes leave no temp files and read back', async () => {
    const d = tmp();
    await writeJsonAtomic(path.join(d, 'x.json'), { a: 1 });
    expect(fs.readdirSync(d)).toEqual(['x.json']);
    expect(await readJson(path.join(d, 'x.json'), (v): v is { a: number } => typeof v === 'object')).toEqual({ kind: 'ok', value: { a: 1 } });
  });

  it.skipIf(process.getuid?.() !== 0)('a write to a full filesystem is resource-exhausted, names the file, and leaves no temp file', async () => {
    const d = tmp();
    mountTmpfs(d, '64k');
    try {
      fillWith(path.join(d, 'filler'));
      const err = await writeJsonAtomic(path.join(d, 'x.json'), { a: 'b'.repeat(8192) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'resource-exhausted', message: expect.stringMatching(/x\.json.*ENOSPC/) });
      expect(fs.readdirSync(d)).toEqual(['filler']);
    } finally {
      unmount(d);
    }
  });

  it('any other write failure is internal', async () => {
    const err = await writeJsonAtomic(path.join(tmp(), 'missing-dir', 'x.json'), {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'internal', message: expect.stringMatching(/x\.json.*ENOENT/) });
  });

  it('a torn JSON file reads as corrupt with the file named, never throws', async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'container.json'), '{"id":');
    const r = await readJson(path.join(d, 'container.json'), isContainerRecord);
    expect(r.kind).toBe('corrupt');
    expect(r.kind === 'corrupt' && r.reason).toContain('container.json');
  });

  it('JSON of the wrong shape is corrupt, a missing file is absent', async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'container.json'), '{"id": 3}');
    expect((await readJson(path.join(d, 'container.json'), isContainerRecord)).kind).toBe('corrupt');
    expect((await readJson(path.join(d, 'nope.json'), isContainerRecord)).kind).toBe('absent');
  });

  it('pid and exit files: numbers, partial writes are corrupt', async () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'exit'), '137\n');
    fs.writeFileSync(path.join(d, 'pid'), '');
    fs.writeFileSync(path.join(d, 'bad'), '13x');
    expect(await readInt(path.join(d, 'exit'))).toEqual({ kind: 'ok', value: 137 });
    expect((await readInt(path.join(d, 'pid'))).kind).toBe('corrupt');
    expect((await readInt(path.join(d, 'bad'))).kind).toBe('corrupt');
  });

  it('claiming a container id twice fails the second time', async () => {
    const sd = new StateDir(tmp());
    await sd.init();
    expect(await sd.claimContainer('c1')).toBe(true);
    expect(await sd.claimContainer('c1')).toBe(false);
    expect(await sd.listContainerIds()).toEqual(['c1']);
  });

  it('the backlog survives a restart until its events are delivered', async () => {
    const root = tmp();
    const b1 = new Backlog(root);
    b1.add({ type: 'exit', id: 'c1', pid: 10, status: 137 });
    b1.add({ type: 'exit', id: 'c2', pid: 11, status: 3 });
    await b1.persist();

    const b2 = new Backlog(root);
    expect(await b2.load()).toBeUndefined();
    const pending = b2.pending();
    expect(pending.map((p) => p.event)).toEqual([
      { type: 'exit', id: 'c1', pid: 10, status: 137 },
      { type: 'exit', id: 'c2', pid: 11, status: 3 },
    ]);
    pending[0]!.delivered();
    await b2.persist();

    const b3 = new Backlog(root);
    await b3.load();
    expect(b3.pending().map((p) => p.event.id)).toEqual(['c2']);
  });

  it('a torn backlog file is reported and skipped', async () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'backlog.json'), '{"events": [');
    const b = new Backlog(root);
    expect(await b.load()).toContain('backlog.json');
    expect(b.pending()).toEqual([]);
  });
});

describe('removing state', () => {
  it('a container dir goes with all its process dirs and files; its neighbours stay', async () => {
    const sd = new StateDir(tmp());
    await sd.init();
    for (const id of ['a', 'b']) {
      expect(sd.claimContainer(id)).toBe(true);
      for (const key of ['init', 'exec-1']) {
        fs.mkdirSync(sd.processDir(id, key), { recursive: true });
        for (const f of ['process.json', 'monitor.json', 'pid', 'exit', 'runc.log']) fs.writeFileSync(path.join(sd.processDir(id, key), f), 'x');
      }
      fs.writeFileSync(path.join(sd.containerDir(id), 'config.json'), '{}');
    }
    await sd.removeProcess('a', 'exec-1');
    expect(fs.readdirSync(sd.processesDir('a'))).toEqual(['init']);
    await sd.removeContainer('a');
    expect(fs.readdirSync(sd.containersDir)).toEqual(['b']);
    expect(fs.readdirSync(sd.processesDir('b')).sort()).toEqual(['exec-1', 'init']);
    // Gone already: no error, as after a restart's clean-up.
    await sd.removeContainer('a');
    await sd.removeProcess('b', 'nope');
  });

  it('never follows a symlink: a linked-to directory and file keep their contents', () => {
    const d = tmp();
    const outside = path.join(d, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'keep'), 'k');
    const tree = path.join(d, 'tree');
    fs.mkdirSync(path.join(tree, 'sub'), { recursive: true });
    fs.symlinkSync(outside, path.join(tree, 'sub', 'dir-link'));
    fs.symlinkSync(path.join(outside, 'keep'), path.join(tree, 'file-link'));
    removeTreeSync(tree);
    expect(fs.existsSync(tree)).toBe(false);
    expect(fs.readFileSync(path.join(outside, 'keep'), 'utf8')).toBe('k');
    // The tree itself a symlink to a directory: the link goes, not what it points at.
    const link = path.join(d, 'link');
    fs.symlinkSync(outside, link);
    removeTreeSync(link);
    expect(fs.existsSync(link)).toBe(false);
    expect(fs.readdirSync(outside)).toEqual(['keep']);
  });

  it('a plain file is unlinked; a failure other than absence is thrown', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'f'), 'x');
    removeTreeSync(path.join(d, 'f'));
    expect(fs.readdirSync(d)).toEqual([]);
    // Under a file: ENOTDIR from lstat is not "absent", so it is reported.
    fs.writeFileSync(path.join(d, 'g'), 'x');
    expect(() => removeTreeSync(path.join(d, 'g', 'h'))).toThrow(/ENOTDIR/);
  });
});
