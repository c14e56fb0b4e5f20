/**
 * What the supervisor needs from the OCI runtime. `runc-adapter.ts` implements it with the
 * runtime/ wrapper; tests may swap it. Argv builders return the whole command line (binary
 * first) because the per-process monitor, not the daemon, runs those verbs: detached (`-d`)
 * under a monitor that reaps the process itself, else in the foreground (monitor-spawner.ts).
 */
export interface RuntimeState {
  status: string;
  pid: number;
}

export interface CheckpointFlags {
  leaveRunning: boolean;
  tcpEstablished: boolean;
  extUnixSk: boolean;
  shellJob: boolean;
}

export interface RuntimePort {
  runArgv(id: string, o: { bundle: string; pidFile: string; logFile: string; detach: boolean }): string[];
  execArgv(id: string, o: { processFile: string; pidFile: string; logFile: string; detach: boolean }): string[];
  restoreArgv(id: string, o: { bundle: string; pidFile: string; logFile: string; detach: boolean; imagePath: string; workPath: string } & Omit<CheckpointFlags, 'leaveRunning'>): string[];
  kill(id: string, signal: number): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  /** undefined when runc does not know the container. */
  state(id: string): Promise<RuntimeState | undefined>;
  /** Every container runc knows, by id, from one call (a restart reads them all at once). */
  list(): Promise<Map<string, RuntimeState>>;
  delete(id: string, force: boolean): Promise<void>;
  checkpoint(id: string, o: { imagePath: string; workPath: string } & CheckpointFlags): Promise<void>;
}
