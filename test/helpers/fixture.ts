import { afterAll, afterEach, beforeAll, beforeEach, onTestFinished } from 'vitest';
import type { CreateContainerRequest } from '../../src/proto/generated/types/CreateContainerRequest';
import { makeBundle, type BundleOptions } from './bundle';
import { connect, EventCollector, type ApiClient } from './client';
import { startDaemon, tail, type DaemonHandle, type DaemonOptions } from './daemon';
import { killFifoPeers } from './fifo';
import { cleanupAfterTest } from './runc';
import { removeTempDirs } from './tmp';

export type StdioPaths = Pick<CreateContainerRequest, 'stdin' | 'stdout' | 'stderr'>;

/**
 * One daemon for a test file: started in beforeAll, destroyed (with every container under
 * its runc root, its cgroups and temp dirs) in afterAll; its stderr tail is printed when a
 * test fails. Tests reach it through the getters once beforeAll has run.
 */
export class DaemonFixture {
  private handle: DaemonHandle | undefined;
  private client: ApiClient | undefined;

  get daemon(): DaemonHandle {
    if (!this.handle) throw new Error('the daemon is not started (beforeAll failed?)');
    return this.handle;
  }

  get api(): ApiClient {
    if (!this.client) throw new Error('no client (beforeAll failed?)');
    return this.client;
  }

  /** Adopt a restarted daemon (same socket): a fresh client, the old one closed. */
  use(handle: DaemonHandle): void {
    this.client?.close();
    this.handle = handle;
    this.client = connect(handle.address);
  }

  /** Inside a test: this container is killed and deleted when the test ends, pass or fail. */
  track(id: string): string {
    return cleanupAfterTest(this.daemon.runcRoot, id);
  }

  /** A bundle running `args`, created as container `id` (tracked); resolves once the reply came. */
  async start(id: string, args: string[] = ['sleep', '3600'], stdio: StdioPaths = {}, bundleOpts: BundleOptions = {}): Promise<{ pid: number; bundle: string }> {
    this.track(id);
    const bundle = await makeBundle(args, bundleOpts);
    const { pid } = await this.api.createContainer({ id, bundlePath: bundle, ...stdio });
    return { pid, bundle };
  }

  /** An Events subscription for this test, registered before it returns, closed when the test ends. */
  async events(): Promise<EventCollector> {
    const collector = await EventCollector.open(this.api);
    onTestFinished(() => collector.close());
    return collector;
  }
}

/** Register the hooks of a one-daemon test file and return its fixture. */
export function useDaemon(opts: DaemonOptions = {}): DaemonFixture {
  const fixture = new DaemonFixture();
  let current: DaemonHandle | undefined;
  beforeAll(async () => {
    current = await startDaemon(opts);
    fixture.use(current);
  });
  beforeEach(({ onTestFailed }) => {
    const d = fixture.daemon;
    const mark = d.stderr().length;
    onTestFailed(() => {
      // What the daemon said during this test (a restarted daemon's log from its start).
      const now = fixture.daemon;
      const log = now === d ? now.stderr().slice(mark) : now.stderr();
      console.error(`--- legacyd stderr during the test (exited=${now.exited()}) ---\n${tail(log, 80)}\n--- end ---`);
    });
  });
  afterEach(() => killFifoPeers());
  afterAll(async () => {
    try {
      fixture.api.close();
    } catch {
      // beforeAll failed: nothing to close
    }
    killFifoPeers();
    // The fixture may hold a restarted daemon; destroy the newest (it owns the same dirs).
    let newest: DaemonHandle | undefined;
    try {
      newest = fixture.daemon;
    } catch {
      newest = current;
    }
    await newest?.destroy();
    await removeTempDirs();
  });
  return fixture;
}
