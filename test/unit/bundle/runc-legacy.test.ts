import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle, writeRuntimeConfig } from '../../../src/bundle';
import { FIXTURES, readJson, snapshot, tempDir } from './helpers';

const MAKE_BUNDLE = path.resolve(__dirname, '../../../scripts/make-bundle.sh');
const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const canRun = process.getuid?.() === 0 && has('runc') && has('busybox');

describe('a converted legacy bundle under the real runc', () => {
  // Needs root, runc and busybox-static (see scripts/make-bundle.sh).
  it.skipIf(!canRun)('runs and prints the hostname from config.json', async () => {
    const work = await tempDir('legacyd-runc-');
    const bundle = path.join(work, 'bundle');
    execFileSync(MAKE_BUNDLE, [bundle], { stdio: 'pipe' });
    // Same busybox rootfs, but a 2015 split bundle around it instead of runc's OCI config.
    await fs.rm(path.join(bundle, 'config.json'));
    const config = await readJson(path.join(FIXTURES, 'legacy-0.2.0', 'config.json'));
    config.process.args = ['sh', '-c', 'hostname; echo ok'];
    await fs.writeFile(path.join(bundle, 'config.json'), JSON.stringify(config, null, 2));
    await fs.copyFile(path.join(FIXTURES, 'legacy-0.2.0', 'runtime.json'), path.join(bundle, 'runtime.json'));
    const before = await snapshot(bundle);

    const loaded = await loadBundle(bundle);
    expect(loaded.format).toBe('legacy-0.2.0');
    const state = path.join(work, 'state');
    const runcBundle = await writeRuntimeConfig(loaded, state);
    expect(runcBundle).toBe(state);

    const runcRoot = path.join(work, 'runc-root');
    const id = `legacyd-bundle-test-${process.pid}`;
    try {
      const run = spawnSync('runc', ['--root', runcRoot, 'run', '-b', runcBundle, id], {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect({ status: run.status, stdout: run.stdout, stderr: run.stderr }).toStrictEqual({
        status: 0,
        stdout: 'peer\nok\n',
        stderr: '',
      });
    } finally {
      spawnSync('runc', ['--root', runcRoot, 'delete', '--force', id], { stdio: 'ignore' });
    }
    expect(await snapshot(bundle)).toStrictEqual(before);
  });
});
