import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileReader, createSyncFileReader } from '../../../src/cgroups';

const dir = mkdtempSync(join(tmpdir(), 'cgroups-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readers = { async: createFileReader(), sync: createSyncFileReader() };

describe.each(Object.entries(readers))('%s file reader', (_name, files) => {
  it('reads a file larger than the first buffer whole (a big memory.stat or per-cpu list)', async () => {
    const big = Array.from({ length: 3000 }, (_, i) => `key_${i} ${i}`).join('\n') + '\n';
    writeFileSync(join(dir, 'big'), big);
    expect(big.length).toBeGreaterThan(16000);
    expect(await files.read(join(dir, 'big'))).toBe(big);
  });

  it('reads files of exactly the first buffer size and empty files', async () => {
    writeFileSync(join(dir, 'exact'), 'x'.repeat(4000));
    writeFileSync(join(dir, 'empty'), '');
    expect(await files.read(join(dir, 'exact'))).toHaveLength(4000);
    expect(await files.read(join(dir, 'empty'))).toBe('');
  });

  it('rejects with the fs error code', async () => {
    await expect(files.read(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(files.read(dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('reads real procfs files (seq_file, size 0)', async () => {
    expect(await files.read('/proc/self/mountinfo')).toMatch(/ - proc proc /);
  });
});

describe('async reader limit', () => {
  it('queues reads above maxOpenFiles and completes them all', async () => {
    const files = createFileReader({ maxOpenFiles: 2 });
    for (let i = 0; i < 50; i++) writeFileSync(join(dir, `f${i}`), `${i}\n`);
    const texts = await Promise.all(Array.from({ length: 50 }, (_, i) => files.read(join(dir, `f${i}`))));
    expect(texts).toEqual(Array.from({ length: 50 }, (_, i) => `${i}\n`));
  });

  it('frees its slot after a failed read', async () => {
    const files = createFileReader({ maxOpenFiles: 1 });
    writeFileSync(join(dir, 'after-missing'), 'ok\n');
    const results = await Promise.allSettled([files.read(join(dir, 'missing')), files.read(join(dir, 'after-missing'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
  });
});
