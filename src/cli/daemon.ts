import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { internal, invalidArgument } from '../errors';
import type { Logger } from '../log';
import { Runc, findCriu, type CriuStatus } from '../runtime';
import { CgroupReader } from '../cgroups';
import { HealthAndReflection, startApiServer, type RunningServer } from '../shim';
import { Supervisor, builtNativeHelper, lockStateDir, startMonitorSpawner } from '../supervisor';
import { RuncAdapter } from '../supervisor/runc-adapter';
import type { Server } from 'node:http';
import { Exporter } from '../exporter';
import { parseHostPort, type DaemonFlags } from './flags';
import { readMachine } from './machine';

const run = promisify(execFile);

export interface Daemon {
  api: RunningServer;
  /** Whether checkpoints work (the health endpoint and metrics report it). */
  criu: CriuStatus;
  supervisor: Supervisor;
  stop(): Promise<void>;
}

/** Checks that the runtime answers `--version`; a one-line reason otherwise. */
export async function checkRuntime(binary: string): Promise<string> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 10_000 });
    return stdout.split('\n')[0] ?? '';
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw invalidArgument(`runtime ${JSON.stringify(binary)} not found (install runc or pass --runtime PATH)`);
    throw invalidArgument(`runtime ${JSON.stringify(binary)} does not run: ${err.message.split('\n')[0]}`);
  }
}

/** Wires runtime → supervisor → shim (and exporter) from the flags. */
export async function startDaemon(flags: DaemonFlags, log: Logger): Promise<Daemon> {
  const version = await checkRuntime(flags.runtime);
  const stateDir = path.resolve(flags.stateDir);
  // First: nothing in the state dir is touched while another daemon owns it.
  const lock = await lockStateDir(stateDir);
  const criu = await findCriu(flags.criu || undefined);
  if (criu.ok) log.info('checkpoints enabled', { criu: criu.path });
  else log.warn('checkpoints disabled: no working CRIU', { reason: criu.reason });
  const cgroups = new CgroupReader();
  // Small, frequent reads (the OOM poll, scrapes) cost far less CPU with blocking reads than
  // through libuv's thread pool; GetStats streams keep the async reader.
  const syncCgroups = new CgroupReader({ io: 'sync' });
  // Self-metrics are wired before anything runs; the exporter reads the supervisor at scrape time.
  let exporter: Exporter | undefined;
  // The helper also runs runc's verbs (kill, pause, delete...), so the daemon never forks itself
  // for them; their output goes through this dir, emptied at each start.
  const scratchDir = path.join(stateDir, 'commands');
  fs.rmSync(scratchDir, { recursive: true, force: true });
  fs.mkdirSync(scratchDir, { mode: 0o700 }); // the state dir exists: the lock made it
  fs.chmodSync(scratchDir, 0o700); // whatever the umask
  // The native helper when the build made it (a C compiler was there), else the Perl one.
  const native = builtNativeHelper(__dirname);
  const spawner = await startMonitorSpawner({ scratchDir, ...(native !== undefined ? { native } : {}) });
  if (native === undefined) log.warn(`${spawner.why}; the native helper is not built (dist/native/legacyd-helper: npm run build with a C compiler)`);
  else if (spawner.fallback) log.warn(spawner.why);
  else log.debug(spawner.why);
  const runc = new Runc({
    binary: flags.runtime,
    root: path.join(stateDir, 'runc'),
    ...(criu.ok ? { criu: criu.path } : {}),
    timeoutMs: 120_000,
    onCall: (verb, seconds, ok) => exporter?.daemon.onRuntimeCall(verb, seconds, ok),
    ...(spawner.launcher ? { launcher: spawner.launcher } : {}),
  });
  const supervisor = new Supervisor({
    spawner: spawner.spawner,
    cgroups: syncCgroups,
    criu,
    stateDir,
    runtime: new RuncAdapter(runc),
    machine: await readMachine(),
    cgroupParent: flags.cgroupParent,
    logger: log,
  });
  await supervisor.start();
  exporter = new Exporter({
    source: supervisor,
    cgroups: syncCgroups,
    labelAllowlist: flags.labelAllowlist,
    criuOk: () => criu.ok,
    health: () => ({ containers: supervisor.info().length, checkpoints: criu.ok ? 'available' : `unavailable: ${criu.reason}` }),
  });
  const metricsExporter = exporter;
  const health = new HealthAndReflection();
  let api: RunningServer;
  try {
    api = await startApiServer(flags.listen, {
      supervisor,
      log,
      stats: { cgroups, intervalMs: flags.statsIntervalMs },
      observer: { onCall: (m, c, s) => metricsExporter.daemon.onCall(m, c, s) },
      extend: (server) => health.addTo(server),
    });
  } catch (e) {
    await supervisor.shutdown();
    throw e instanceof Error && 'kind' in e ? e : internal(`cannot listen on ${flags.listen}: ${(e as Error).message}`);
  }
  let http: Server | undefined;
  if (flags.metricsListen) {
    const { host, port } = parseHostPort('--metrics-listen', flags.metricsListen);
    try {
      http = await exporter.listen(host, port);
    } catch (e) {
      await api.shutdown(1_000);
      await supervisor.shutdown();
      throw invalidArgument(`--metrics-listen ${flags.metricsListen}: ${(e as Error).message}`);
    }
  }
  log.info('serving', { listen: api.url, stateDir, runtime: version || flags.runtime });
  return {
    api,
    criu,
    supervisor,
    async stop() {
      // New calls are refused first; the calls already taken finish (bounded), then the
      // supervisor stops watching, ends the event streams and lets its helper go, and the server
      // stops. Containers keep running.
      health.notServing();
      supervisor.stopAccepting();
      http?.close();
      http?.closeAllConnections();
      // Bounds within legacyd's own 5 s: a stop cut short is as safe as a kill -9.
      await api.drain(2_500);
      await supervisor.shutdown(1_500);
      await api.shutdown(1_000);
      cgroups.closeFiles();
      syncCgroups.closeFiles();
      await lock.release();
    },
  };
}
