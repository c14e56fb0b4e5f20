export { Supervisor } from './supervisor';
export type { SupervisorOptions, CreateRequest, ExecRequest, ContainerView, ContainerInfo, MachineInfo } from './supervisor';
export type { DomainEvent, EventType, ProcessView, CheckpointView } from './events';
export type { Subscription } from './event-bus';
export type { RuntimePort, RuntimeState, CheckpointFlags } from './runtime-port';
export type { ContainerStatus } from './state-machine';
export { checkContainerId, checkCheckpointName, isValidName } from './ids';
export { startMonitorSpawner, HelperSpawner, DirectSpawner, type MonitorSpawner } from './monitor-spawner';
