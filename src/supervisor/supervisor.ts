import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  alreadyExists,
  internal,
  invalidArgument,
  isLegacydError,
  LegacydError,
  notFound,
  oneLine,
  unavailable,
  unimplemented,
} from '../errors';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { BundleCache, writeRuntimeConfig, type LoadedBundle } from '../bundle';
import { ContainerEntry } from './container-entry';
import { EventBus, type Subscription } from './event-bus';
import type { ProcessView } from './events';
import { checkContainerId } from './ids';
import { isMonitorAlive, isPidAlive } from './monitor';
import { InFlight } from '../in-flight';
import { DirectSpawner } from './direct-spawner';
import type { MonitorSpawner } from './monitor-spawner';
import { ProcessEntry } from './process-entry';
import { EXIT_FILE, launchProcess, prepareProcess } from './process-launcher';
import type { ContainerRecord, ProcessRecord, UserSpec } from './records';
import type { RuntimePort } from './runtime-port';
import { StateDir, readInt, readIntSync, writeJsonAtomic } from './state-dir';
import type { ContainerStatus } from './state-machine';
import { resolveStdio, type StdioSpec } from './stdio';
import { recoverState } from './recovery';
import { OomWatcher } from './oom-watcher';
import type { CgroupReader } from '../cgroups';
import type { CriuStatus } from '../runtime';
import { CheckpointOps, restoreFlags } from './checkpoints';

export interface MachineInfo {
  hostname: string;
  cpus: number;
  memoryBytes: number;
}

export interface SupervisorOptions {
  stateDir: string;
  runtime: RuntimePort;
  machine: MachineInfo;
  procRoot?: string;
  /** cgroup parent for containers whose spec names none (e.g. /legacyd). */
  cgroupParent?: string;
  logger?: Logger;
  startTimeoutMs?: number;
  reconcileIntervalMs?: number;
  eventBuffer?: number;
  backlogRetentionMs?: number;
  /** cgroup reader for OOM events; without it no `oom` events are sent. */
  cgroups?: CgroupReader;
  /** The CRIU found at start; checkpoint calls answer FAILED_PRECONDITION when it does not work. */
  criu?: CriuStatus;
  /** What forks the monitors (monitor-spawner.ts), closed at shutdown; the daemon forks them itself when absent. */
  spawner?: MonitorSpawner;
}

export interface CreateRequest {
  id: string;
  bundlePath: string;
  stdin: string;
  stdout: string;
  stderr: string;
  console: string;
  checkpoint: string;
}

export interface ExecRequest {
  id: string;
  terminal: boolean;
  user: UserSpec | null | undefined;
  args: string[];
  env: string[];
  cwd: string;
  stdin: string;
  stdout: string;
  stderr: string;
  console: string;
}

export interface ContainerView {
  id: string;
  bundlePath: string;
  status: ContainerStatus;
  processes: ProcessView[];
}

/** What the stats readers and the exporter need to find a container's cgroup and label it. */
export interface ContainerInfo {
  id: string;
  pid: number;
  bundlePath: string;
  image: string;
  annotations: Record<string, string>;
  cgroupsPath: string;
  createdAt: string;
  status: ContainerStatus;
}

const MAX_SIGNAL = 64;
/** Reconcile sweeps between two full exit checks of a process whose monitor is alive. */
const FULL_CHECK_EVERY = 15;

/**
 * The container table and its lifecycle. Every container init and exec process runs under a
 * detached monitor (monitor.ts) whose exit file is the source of truth for exit statuses; the
 * table is rebuilt from the state dir on start (recovery.ts).
 */
export class Supervisor {
  readonly events: EventBus;
  readonly stateDir: StateDir;
  private readonly containers = new Map<string, ContainerEntry>();
  private readonly creating = new Set<string>();
  /** Process ends being handled (event, runc delete, state removal): shutdown lets them finish. */
  private readonly exiting = new InFlight();
  private readonly runtime: RuntimePort;
  private readonly log: Logger;
  private readonly procRoot: string;
  private readonly cgroupParent: string;
  private readonly startTimeoutMs: number;
  private readonly reconcileIntervalMs: number;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly oom: OomWatcher | undefined;
  private readonly spawner: MonitorSpawner;
  /** Bundles created from before, while their files are unchanged. */
  private readonly bundles = new BundleCache();
  private stopSignal = new AbortController();
  readonly checkpoints: CheckpointOps;

  constructor(private readonly opts: SupervisorOptions) {
    this.stateDir = new StateDir(opts.stateDir);
    this.runtime = opts.runtime;
    this.log = opts.logger ?? silentLogger;
    this.procRoot = opts.procRoot ?? '/proc';
    this.cgroupParent = opts.cgroupParent ?? '/legacyd';
    this.startTimeoutMs = opts.startTimeoutMs ?? 60_000;
    this.reconcileIntervalMs = opts.reconcileIntervalMs ?? 2_000;
    this.spawner = opts.spawner ?? new DirectSpawner();
    this.events = new EventBus({
      maxBuffered: opts.eventBuffer ?? 10_000,
      backlogRetentionMs: opts.backlogRetentionMs ?? 30_000,
    });
    this.checkpoints = new CheckpointOps({
      runtime: this.runtime,
      stateDir: this.stateDir,
      criu: opts.criu ?? { ok: false, path: '', reason: 'no CRIU configured' },
      log: this.log,
      publish: (ev) => this.events.publish(ev),
      lookup: (id) => this.mustGet(id),
    });
    this.oom = opts.cgroups ? new OomWatcher(opts.cgroups, (ev) => this.events.publish(ev), this.log, 1000, this.procRoot) : undefined;
  }

  /** Aborted when the daemon starts shutting down: streams end on it. */
  get stopped(): AbortSignal {
    return this.stopSignal.signal;
  }

  get machine(): MachineInfo {
    return this.opts.machine;
  }

  /** Rebuilds the table from the state dir and starts watching for exits. */
  async start(): Promise<void> {
    await this.stateDir.init();
    const recovered = await recoverState({
      stateDir: this.stateDir,
      runtime: this.runtime,
      procRoot: this.procRoot,
      log: this.log,
    });
    for (const c of recovered.containers) {
      this.containers.set(c.id, c);
      c.oomWatched = this.oom?.watch(c.id, c.init.pid, false, c.record.cgroupsPath);
      for (const p of c.processes()) this.watchExit(c, p);
    }
    this.events.setBacklog(recovered.backlog);
    this.reconcileTimer = setInterval(() => void this.reconcile(), this.reconcileIntervalMs);
    this.reconcileTimer.unref();
    this.log.info('state recovered', {
      containers: recovered.containers.length,
      pendingExits: recovered.backlog.length,
      cleaned: recovered.cleaned,
    });
  }

  /**
   * The first step of a shutdown: new calls answer UNAVAILABLE and stats streams end. Calls
   * already taken go on, and exits are still handled and sent, until `shutdown`.
   */
  stopAccepting(): void {
    this.stopping = true;
    this.stopSignal.abort();
  }

  /**
   * Stops watching for exits (one not yet seen stays on disk for the next start), lets those
   * being handled finish (bounded), ends the event streams, then lets the helper go. Containers
   * keep running for the next start.
   */
  async shutdown(exitsBoundMs = 1_500): Promise<void> {
    this.stopAccepting();
    this.oom?.stop();
    if (this.reconcileTimer) clearInterval(this.reconcileTimer);
    for (const c of this.containers.values()) for (const p of c.processes()) p.unwatch?.();
    // An exit half-handled (its runc delete goes through the helper) would leave runc's record
    // of a stopped container that no state dir names any more.
    await this.exiting.idle(exitsBoundMs);
    this.events.close();
    this.spawner.close();
  }

  get isStopping(): boolean {
    return this.stopping;
  }

  // ---- queries -------------------------------------------------------------------------

  list(): ContainerView[] {
    return [...this.containers.values()]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((c) => ({
        id: c.id,
        bundlePath: c.record.bundlePath,
        status: c.status,
        processes: c.processes().map((p) => p.view()),
      }));
  }

  info(): ContainerInfo[] {
    return [...this.containers.values()].filter((c) => c.init.pid > 0).map((c) => this.infoOf(c));
  }

  get(id: string): ContainerInfo {
    return this.infoOf(this.mustGet(checkContainerId(id)));
  }

  has(id: string): boolean {
    return this.containers.has(id);
  }

  subscribe(): Subscription {
    this.ensureRunning();
    return this.events.subscribe();
  }

  // ---- lifecycle -----------------------------------------------------------------------

  async create(req: CreateRequest): Promise<number> {
    this.ensureRunning();
    const id = checkContainerId(req.id);
    if (this.containers.has(id) || this.creating.has(id)) throw alreadyExists(`container ${id} already exists`);
    this.creating.add(id);
    try {
      return await this.createFresh(id, req);
    } finally {
      this.creating.delete(id);
    }
  }

  private async createFresh(id: string, req: CreateRequest): Promise<number> {
    const what = `container ${id}`;
    // Looked up together; a bad bundle is still reported before a bad stdio path.
    const stdioLookup = resolveStdio(what, req);
    stdioLookup.catch(() => undefined);
    const bundle = await this.bundles.load(req.bundlePath).catch((e: unknown) => {
      throw isLegacydError(e) ? new LegacydError(e.kind, `${what}: ${e.message}`, { cause: e }) : e;
    });
    if (req.console || bundle.terminal) {
      throw unimplemented(`${what}: terminal mode (console) is not supported by legacyd; set process.terminal=false in the bundle and use fifos`);
    }
    const stdio = await stdioLookup;
    const restore = req.checkpoint ? await this.checkpoints.forRestore(id, bundle.bundlePath, req.checkpoint) : undefined;
    if (!this.stateDir.claimContainer(id)) throw alreadyExists(`container ${id} already exists (state dir entry present)`);
    let entry: ContainerEntry | undefined;
    const workPath = path.join(this.stateDir.containerDir(id), 'restore-work');
    try {
      const init = new ProcessEntry(processRecord('init', bundle.process, stdio), this.stateDir.processDir(id, 'init'));
      const record = this.containerRecord(id, bundle);
      entry = new ContainerEntry(record, init);
      // What runc needs and the records a restart reads, all before the monitor starts (a daemon
      // killed before they are all there leaves a half-made entry the next start kills and cleans).
      await this.writeRuntimeConfig(id, bundle, record.cgroupsPath);
      if (restore) fs.mkdirSync(workPath, { recursive: true });
      await writeJsonAtomic(path.join(this.stateDir.containerDir(id), 'container.json'), record);
      prepareProcess(init.dir, init.record);
      // Taken before runc starts anything, so any OOM kill of the container comes after it.
      const oomSince = this.oom?.killsSoFar();
      const launched = await launchProcess(
        init.dir,
        init.record,
        (files) =>
          restore
            ? this.runtime.restoreArgv(id, {
                bundle: record.runtimeBundle,
                ...files,
                imagePath: restore.imagePath,
                workPath,
                ...restoreFlags(restore.options),
              })
            : this.runtime.runArgv(id, { bundle: record.runtimeBundle, ...files }),
        restore ? `runc restore ${id} from ${req.checkpoint}` : `runc run ${id}`,
        this.startTimeoutMs,
        this.spawner,
      );
      init.pid = launched.pid;
      init.monitor = launched.monitor;
      init.status = 'running';
      entry.apply('start');
      this.containers.set(id, entry);
      this.events.publish({ type: 'start-container', id, pid: init.pid, bundlePath: record.bundlePath });
      // After the reply (setImmediate: its first reads would otherwise run before the reply is
      // written); only the last OOM look at the init's exit waits for it (processExited).
      const oom = this.oom;
      entry.oomWatched = oom && new Promise<void>((resolve) => setImmediate(resolve)).then(() => oom.watch(id, init.pid, true, record.cgroupsPath, oomSince));
      this.watchExit(entry, init, launched.monitor.exited);
      this.log.info('container started', { id, pid: init.pid });
      return init.pid;
    } catch (e) {
      this.containers.delete(id);
      const err = restore ? await this.checkpoints.restoreFailure(id, req.checkpoint, workPath, e) : e;
      await this.discard(id);
      throw err;
    }
  }

  /** The container's record; its cgroup path is the bundle's, else one of its own under the daemon's parent. */
  private containerRecord(id: string, bundle: LoadedBundle): ContainerRecord {
    const cgroupsPath = bundle.spec.linux?.cgroupsPath || path.posix.join(this.cgroupParent, id);
    return {
      id,
      bundlePath: bundle.bundlePath,
      // writeRuntimeConfig below puts runc's config.json into the container's dir.
      runtimeBundle: this.stateDir.containerDir(id),
      image: bundle.image,
      annotations: bundle.annotations,
      cgroupsPath,
      createdAt: new Date().toISOString(),
    };
  }

  /** Writes the runtime config.json runc runs (root made absolute, cgroup path set) into the container's dir. */
  private async writeRuntimeConfig(id: string, bundle: LoadedBundle, cgroupsPath: string): Promise<void> {
    const dir = this.stateDir.containerDir(id);
    const written = await writeRuntimeConfig(bundle, dir, { always: true, cgroupsPath });
    if (written !== dir) throw internal(`container ${id}: runtime config written to ${written}, not ${dir}`);
  }

  /** Removes every trace of a container that failed to start. */
  private async discard(id: string): Promise<void> {
    try {
      await this.runtime.delete(id, true);
    } catch (e) {
      this.log.debug('runc delete after failed create', { id, err: e as Error });
    }
    await this.stateDir.removeContainer(id);
  }

  async exec(req: ExecRequest): Promise<number> {
    this.ensureRunning();
    const id = checkContainerId(req.id);
    const c = this.mustGet(id);
    if (!req.args || req.args.length === 0) throw invalidArgument(`container ${id}: exec needs args`);
    if (req.terminal || req.console) {
      throw unimplemented(`container ${id}: terminal mode (console) is not supported by legacyd; use fifos`);
    }
    c.check('exec');
    const what = `exec in container ${id}`;
    const stdio = await resolveStdio(what, req);
    const key = `exec-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const initRec = c.init.record;
    const rec = processRecord('exec', {
      terminal: false,
      user: req.user ?? { uid: 0, gid: 0, additionalGids: [] },
      args: req.args,
      // An empty env or cwd means "as the container's init has it" (PATH is needed to find args[0]).
      env: req.env.length > 0 ? req.env : initRec.env,
      cwd: req.cwd || initRec.cwd || '/',
    }, stdio);
    rec.key = key;
    const p = new ProcessEntry(rec, this.stateDir.processDir(id, key));
    c.execs.set(key, p);
    try {
      const processFile = path.join(p.dir, 'runc-process.json');
      const base = this.initOciProcess(c);
      prepareProcess(p.dir, rec);
      await writeJsonAtomic(processFile, ociProcess(await base, rec));
      const launched = await launchProcess(
        p.dir,
        rec,
        (files) => this.runtime.execArgv(id, { processFile, ...files }),
        `runc exec ${id}`,
        this.startTimeoutMs,
        this.spawner,
      );
      p.pid = launched.pid;
      p.monitor = launched.monitor;
      p.status = 'running';
      this.events.publish({ type: 'start-process', id, pid: p.pid, process: p.view() });
      this.watchExit(c, p, launched.monitor.exited);
      return p.pid;
    } catch (e) {
      c.execs.delete(key);
      await this.stateDir.removeProcess(id, key);
      throw e;
    }
  }

  async signal(id: string, pid: number, signal: number): Promise<void> {
    this.ensureRunning();
    checkContainerId(id);
    checkSignal(id, signal);
    const c = this.mustGet(id);
    const p = c.findByPid(pid);
    if (!p) throw notFound(`container ${id} has no process with pid ${pid}`);
    if (p === c.init && signal !== 0) {
      try {
        await this.runtime.kill(id, signal);
        return;
      } catch (e) {
        // The init may have exited an instant ago: fall through to the direct kill, which says so.
        this.log.debug('runc kill failed, signalling the pid directly', { id, err: e as Error });
      }
    }
    try {
      process.kill(pid, signal);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') throw notFound(`container ${id}: process ${pid} is gone`);
      throw internal(`container ${id}: signal ${signal} to pid ${pid}: ${(e as Error).message}`);
    }
  }

  async update(id: string, status: string, signal: number): Promise<void> {
    this.ensureRunning();
    checkContainerId(id);
    if (status !== '' && status !== 'paused' && status !== 'running') {
      throw invalidArgument(`container ${id}: unknown status ${JSON.stringify(status)} (want "paused", "running" or "")`);
    }
    if (signal !== 0) checkSignal(id, signal);
    const c = this.mustGet(id);
    if (status) {
      await c.serial(async () => {
        const action = status === 'paused' ? 'pause' : 'resume';
        const before = c.status;
        c.check(action);
        if (before !== (status === 'paused' ? 'paused' : 'running')) {
          await this.runtimeCall(id, () => (action === 'pause' ? this.runtime.pause(id) : this.runtime.resume(id)));
          c.apply(action);
          this.events.publish({ type: action, id, pid: c.init.pid });
        }
      });
    }
    if (signal !== 0) await this.signal(id, c.init.pid, signal);
  }

  /** The init's OCI process from the runtime config: exec processes inherit its capabilities and limits. */
  private async initOciProcess(c: ContainerEntry): Promise<Record<string, unknown>> {
    try {
      const cfg = JSON.parse(await fs.promises.readFile(path.join(c.record.runtimeBundle, 'config.json'), 'utf8'));
      return (cfg.process ?? {}) as Record<string, unknown>;
    } catch {
      return {};
    }
  }

  // ---- exits ---------------------------------------------------------------------------

  /**
   * Handles the process's exit once its monitor has recorded it. A monitor this daemon started
   * is reported when it exits (by its helper, or by Node for the daemon's own children), after
   * it wrote the exit file: no inotify watch then, unless that report can no longer come (its
   * helper went, the monitor lives on), when the dir is watched from then on. Monitors re-adopted
   * at a start are watched at once. The reconcile sweep is the safety net for both.
   */
  private watchExit(c: ContainerEntry, p: ProcessEntry, monitorExited?: Promise<number | undefined>): void {
    const check = (): void => void this.checkExit(c, p);
    p.sweepsToFullCheck = 1 + Math.floor(Math.random() * FULL_CHECK_EVERY);
    const watchDir = (): void => {
      try {
        const w = fs.watch(p.dir, (_ev, name) => {
          if (name === EXIT_FILE || name === null) check();
        });
        w.on('error', () => undefined);
        p.unwatch = () => w.close();
      } catch {
        p.unwatch = undefined;
      }
    };
    if (monitorExited) {
      // Unwatched (a shutdown, or the exit handled): the report is let go like an inotify event.
      let watching = true;
      p.unwatch = () => {
        watching = false;
      };
      void monitorExited.then((status) => {
        if (!watching) return;
        if (status === undefined) watchDir();
        check();
      });
    } else watchDir();
    check();
  }

  /**
   * Safety net for missed inotify events and monitors that died without an exit file. The
   * monitor writes the exit file as its last act, so while it lives there is nothing to read:
   * most sweeps cost one kill(pid, 0) per process. A reused pid or an unreaped zombie would fool
   * that, so every FULL_CHECK_EVERY sweeps (staggered) the monitor's start time and state in
   * /proc decide instead; the exit file is read only once the monitor is gone.
   */
  private async reconcile(): Promise<void> {
    for (const c of [...this.containers.values()]) {
      for (const p of c.processes()) {
        if (p.status !== 'running') continue;
        if (p.monitor && isPidAlive(p.monitor.pid) && --p.sweepsToFullCheck > 0) continue;
        p.sweepsToFullCheck = FULL_CHECK_EVERY;
        if (p.monitor && isMonitorAlive(this.procRoot, p.monitor)) continue;
        await this.checkExit(c, p);
        if (p.status === 'running' && !isPidAlive(p.pid)) {
          // Lost monitor (killed by hand): the status is gone with it. Say so rather than hang forever.
          const again = await readInt(path.join(p.dir, EXIT_FILE));
          if (again.kind !== 'ok') {
            this.log.warn('monitor vanished without recording an exit status; reporting 255', { id: c.id, pid: p.pid });
            await this.processExited(c, p, 255);
          }
        }
      }
    }
  }

  private async checkExit(c: ContainerEntry, p: ProcessEntry): Promise<void> {
    if (p.status !== 'running') return;
    // Blocking: one stat while the process runs (the usual case), a tiny read once it exited.
    const exit = readIntSync(path.join(p.dir, EXIT_FILE));
    if (exit.kind === 'ok' && p.status === 'running') await this.processExited(c, p, exit.value);
  }

  /** A process ended: its exit event, then its records go. Tracked until done (shutdown waits for it). */
  private processExited(c: ContainerEntry, p: ProcessEntry, status: number): Promise<void> {
    if (p.status !== 'running') return Promise.resolve();
    p.status = 'exited';
    p.unwatch?.();
    return this.exiting.track(this.endProcess(c, p, status));
  }

  private async endProcess(c: ContainerEntry, p: ProcessEntry, status: number): Promise<void> {
    // An OOM kill of the init is reported before its exit (the cgroup is kept until runc delete),
    // and a checkpoint that stopped the container before the exits it caused (init and execs).
    if (p === c.init) {
      await c.oomWatched;
      await this.oom?.final(c.id);
    }
    if (c.exitHold) await c.exitHold;
    // The streams ended (a shutdown past its bound): the exit stays on disk for the next start.
    if (this.events.isClosed) return;
    this.events.publish({ type: 'exit', id: c.id, pid: p.pid, status });
    this.log.info('process exited', { id: c.id, pid: p.pid, status, init: p === c.init });
    if (p === c.init) {
      // The container is gone with its init (pid namespace): its exec processes follow.
      await c.serial(async () => {
        c.apply('stop');
        this.containers.delete(c.id);
        for (const e of c.execs.values()) {
          if (e.status !== 'running') continue;
          const st = await this.waitExitFile(e, 2_000);
          await this.processExited(c, e, st ?? 137);
        }
        // An exec's exit not sent for that reason keeps the container's records (the next start
        // sends every exit in them, the init's a second time).
        if (this.events.isClosed) return;
        try {
          await this.runtime.delete(c.id, true);
        } catch {
          /* runc run already deleted it */
        }
        await this.stateDir.removeContainer(c.id);
      });
    } else {
      c.execs.delete(p.key);
      await this.stateDir.removeProcess(c.id, p.key);
    }
  }

  private async waitExitFile(p: ProcessEntry, ms: number): Promise<number | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const r = await readInt(path.join(p.dir, EXIT_FILE));
      if (r.kind === 'ok') return r.value;
      if (Date.now() > deadline) return undefined;
      await new Promise((res) => setTimeout(res, 25));
    }
  }

  // ---- helpers ------------------------------------------------------------------------

  private mustGet(id: string): ContainerEntry {
    const c = this.containers.get(id);
    if (!c) throw notFound(`container ${id} not found`);
    return c;
  }

  private ensureRunning(): void {
    if (this.stopping) throw unavailable('legacyd is shutting down');
  }

  private infoOf(c: ContainerEntry): ContainerInfo {
    const r = c.record;
    return {
      id: c.id,
      pid: c.init.pid,
      bundlePath: r.bundlePath,
      image: r.image,
      annotations: r.annotations,
      cgroupsPath: r.cgroupsPath,
      createdAt: r.createdAt,
      status: c.status,
    };
  }

  /** Runs a runtime verb; a runc failure becomes INTERNAL naming the container, with runc's words. */
  private async runtimeCall<T>(id: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (isLegacydError(e)) throw e;
      throw internal(`container ${id}: ${oneLine((e as Error).message)}`, e);
    }
  }

}

function checkSignal(id: string, signal: number): void {
  if (!Number.isInteger(signal) || signal < 0 || signal > MAX_SIGNAL) {
    throw invalidArgument(`container ${id}: signal ${signal} is not a valid signal number (0-${MAX_SIGNAL})`);
  }
}

function processRecord(
  kind: 'init' | 'exec',
  p: { terminal: boolean; user: UserSpec; args: string[]; env: string[]; cwd: string },
  stdio: StdioSpec,
): ProcessRecord {
  return {
    key: kind,
    kind,
    terminal: p.terminal,
    user: { uid: p.user.uid, gid: p.user.gid, additionalGids: [...(p.user.additionalGids ?? [])] },
    args: [...p.args],
    env: [...p.env],
    cwd: p.cwd,
    stdio,
  };
}

/** The OCI process object `runc exec --process` reads: the init's, with the caller's user, args, env and cwd. */
function ociProcess(base: Record<string, unknown>, r: ProcessRecord): object {
  return {
    ...base,
    terminal: false,
    user: { uid: r.user.uid, gid: r.user.gid, ...(r.user.additionalGids.length ? { additionalGids: r.user.additionalGids } : {}) },
    args: r.args,
    env: r.env,
    cwd: r.cwd,
  };
}
