/** The daemon's events, in the v0 API's vocabulary (the shim maps them to `types.Event`). */
export type EventType = 'start-container' | 'start-process' | 'exit' | 'oom' | 'pause' | 'resume' | 'checkpoint';

export interface ProcessView {
  pid: number;
  terminal: boolean;
  user: { uid: number; gid: number; additionalGids: number[] };
  args: string[];
  env: string[];
  cwd: string;
}

export interface CheckpointView {
  name: string;
  exit: boolean;
  tcp: boolean;
  unixSockets: boolean;
  shell: boolean;
}

export interface DomainEvent {
  type: EventType;
  id: string;
  pid?: number;
  status?: number;
  bundlePath?: string;
  process?: ProcessView;
  checkpoint?: CheckpointView;
}
