import { failedPrecondition } from '../errors';

/** Container lifecycle, as in containerd's task states. */
export type ContainerStatus = 'created' | 'running' | 'paused' | 'stopped';
export type ContainerAction = 'start' | 'pause' | 'resume' | 'exec' | 'checkpoint' | 'stop';

const CONTAINER_TRANSITIONS: Record<ContainerAction, Partial<Record<ContainerStatus, ContainerStatus>>> = {
  start: { created: 'running' },
  pause: { running: 'paused', paused: 'paused' },
  resume: { paused: 'running', running: 'running' },
  exec: { running: 'running' },
  checkpoint: { running: 'running', paused: 'paused' },
  stop: { created: 'stopped', running: 'stopped', paused: 'stopped', stopped: 'stopped' },
};

/** The status after `action`, or a FAILED_PRECONDITION naming the container and its state. */
export function nextContainerStatus(id: string, from: ContainerStatus, action: ContainerAction): ContainerStatus {
  const to = CONTAINER_TRANSITIONS[action][from];
  if (to === undefined) throw failedPrecondition(`cannot ${action} container ${id} in ${from} state`);
  return to;
}

export type ProcessStatus = 'starting' | 'running' | 'exited';
