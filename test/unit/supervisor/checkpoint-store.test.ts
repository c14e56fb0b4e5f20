import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointStore, criuLogExcerpt, OPTIONS_FILE } from '../../../src/supervisor/checkpoint-store';

describe('checkpoint store: <bundle>/checkpoints/<name>/ with its options beside the images', () => {
  it('records options, lists them, defaults images made by other tools, removes', async () => {
    const bundle = fs.mkdtempSync(path.join(os.tmpdir(), 'legacyd-cks-'));
    const s = new CheckpointStore(bundle);
    expect(await s.claim('one')).toBe(true);
    expect(await s.claim('one')).toBe(false);
    await s.record({ name: 'one', exit: true, tcp: false, unixSockets: true, shell: false });
    fs.mkdirSync(path.join(bundle, 'checkpoints', 'foreign'));
    expect(fs.statSync(path.join(bundle, 'checkpoints', 'one')).mode & 0o777).toBe(0o755);

    const list = await s.list();
    expect(list.map(({ created, ...rest }) => rest)).toEqual([
      { name: 'foreign', exit: false, tcp: false, unixSockets: false, shell: false },
      { name: 'one', exit: true, tcp: false, unixSockets: true, shell: false },
    ]);
    expect(JSON.parse(fs.readFileSync(path.join(bundle, 'checkpoints', 'one', OPTIONS_FILE), 'utf8')).created).toMatch(/^\d{4}-/);

    await s.remove('one');
    expect(await s.exists('one')).toBe(false);
    fs.rmSync(bundle, { recursive: true });
  });

  it('a bundle without checkpoints lists none', async () => {
    expect(await new CheckpointStore('/nonexistent-bundle').list()).toEqual([]);
  });

  it('the CRIU log excerpt keeps the errors and drops the harmless RLIMIT_NOFILE line', () => {
    const log = [
      '(00.000100) Version: 4.1.1',
      '(00.000200) Error (criu/util.c:100): Can\'t setup RLIMIT_NOFILE for self: Operation not permitted',
      '(00.010000) Error (criu/sk-unix.c:200): unix: Unix socket 22274 not found',
      '(00.020000) Dumping FAILED.',
    ].join('\n');
    expect(criuLogExcerpt(log)).toBe('Error (criu/sk-unix.c:200): unix: Unix socket 22274 not found; Dumping FAILED.');
  });
});
