import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeBundle } from '../helpers/bundle';
import { integrationPrerequisites } from '../helpers/ci';
import { exitOf, findContainer } from '../helpers/client';
import { useDaemon } from '../helpers/fixture';
import { tempDir } from '../helpers/tmp';

const ready = integrationPrerequisites();
const EXAMPLE = path.resolve(__dirname, '../fixtures/bundles/legacy-0.2.0');

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ['config.json', 'runtime.json']) out[f] = createHash('sha256').update(fs.readFileSync(path.join(dir, f))).digest('hex');
  return out;
}

describe.skipIf(!ready)('a 2015 bundle (config.json 0.2.0 + runtime.json) runs unchanged', () => {
  const t = useDaemon();

  it('the example bundle runs with its args and hostname; its files are byte-identical afterwards', async () => {
    // The example's own config.json and runtime.json, beside a busybox rootfs.
    const bundle = path.join(await tempDir('legacyd-legacy'), 'bundle');
    fs.mkdirSync(bundle);
    fs.cpSync(path.join(await makeBundle(['true']), 'rootfs'), path.join(bundle, 'rootfs'), { recursive: true, verbatimSymlinks: true });
    for (const f of ['config.json', 'runtime.json']) fs.copyFileSync(path.join(EXAMPLE, f), path.join(bundle, f));
    const before = hashes(bundle);

    t.track('legacy-peer');
    const events = await t.events();
    const { pid } = await t.api.createContainer({ id: 'legacy-peer', bundlePath: bundle });

    const c = findContainer(await t.api.state(), 'legacy-peer');
    expect(c?.processes[0]).toMatchObject({ pid, args: ['sleep', '300'], cwd: '/' });
    const out = path.join(await tempDir('legacyd-legacy-out'), 'out');
    const exec = await t.api.addProcess({ id: 'legacy-peer', args: ['hostname'], stdout: out });
    await events.waitFor(exitOf('legacy-peer', exec.pid));
    expect(fs.readFileSync(out, 'utf8')).toBe('peer\n');
    expect(hashes(bundle)).toEqual(before);
    expect(fs.readdirSync(bundle).sort()).toEqual(['config.json', 'rootfs', 'runtime.json']);
  });
});
