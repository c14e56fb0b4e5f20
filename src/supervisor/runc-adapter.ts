import { isNotExistError, type Runc } from '../runtime';
import type { CheckpointFlags, RuntimePort, RuntimeState } from './runtime-port';

/** The supervisor's RuntimePort over the runtime/ wrapper. */
export class RuncAdapter implements RuntimePort {
  constructor(private readonly runc: Runc) {}

  private argv(perCallLog: string, cmd: (r: Runc) => { file: string; args: string[] }): string[] {
    const c = cmd(this.runc.with({ log: perCallLog, logFormat: 'json' }));
    return [c.file, ...c.args];
  }

  /** --keep: the stopped container (and its cgroup) stays until the supervisor deletes it, so a last OOM check can read it. */
  runArgv(id: string, o: { bundle: string; pidFile: string; logFile: string; detach: boolean }): string[] {
    return this.argv(o.logFile, (r) => r.runCommand(id, { bundle: o.bundle, pidFile: o.pidFile, keep: true, detach: o.detach }));
  }

  execArgv(id: string, o: { processFile: string; pidFile: string; logFile: string; detach: boolean }): string[] {
    return this.argv(o.logFile, (r) => r.execCommand(id, { processJsonPath: o.processFile, pidFile: o.pidFile, detach: o.detach }));
  }

  restoreArgv(
    id: string,
    o: { bundle: string; pidFile: string; logFile: string; detach: boolean; imagePath: string; workPath: string } & Omit<CheckpointFlags, 'leaveRunning'>,
  ): string[] {
    return this.argv(o.logFile, (r) =>
      r.restoreCommand(id, {
        bundle: o.bundle,
        pidFile: o.pidFile,
        detach: o.detach,
        imagePath: o.imagePath,
        workPath: o.workPath,
        tcpEstablished: o.tcpEstablished,
        extUnixSk: o.extUnixSk,
        shellJob: o.shellJob,
      }),
    );
  }

  kill(id: string, signal: number): Promise<void> {
    return this.runc.kill(id, signal);
  }
  pause(id: string): Promise<void> {
    return this.runc.pause(id);
  }
  resume(id: string): Promise<void> {
    return this.runc.resume(id);
  }

  async state(id: string): Promise<RuntimeState | undefined> {
    try {
      const s = await this.runc.state(id);
      return { status: s.status, pid: s.pid };
    } catch (e) {
      if (isNotExistError(e)) return undefined;
      throw e;
    }
  }

  async list(): Promise<Map<string, RuntimeState>> {
    return new Map((await this.runc.list()).map((s) => [s.id, { status: s.status, pid: s.pid }]));
  }

  delete(id: string, force: boolean): Promise<void> {
    return this.runc.delete(id, { force });
  }

  checkpoint(id: string, o: { imagePath: string; workPath: string } & CheckpointFlags): Promise<void> {
    return this.runc.checkpoint(id, o);
  }
}
