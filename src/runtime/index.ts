/** The runc wrapper: a leaf layer (node built-ins and ../errors only; no gRPC, no metrics library). */
export { Runc, type RuncOptions, type RuncCallObserver, type CallOptions } from './runc';
export { buildCommand, globalArgs, DEFAULT_BINARY, type RuncGlobalOptions, type RuncCommand, type LogFormat } from './command';
export {
  runArgs,
  execArgs,
  restoreArgs,
  checkpointArgs,
  killArgs,
  deleteArgs,
  pauseArgs,
  resumeArgs,
  stateArgs,
  psArgs,
  listArgs,
  versionArgs,
  type RunOptions,
  type ExecOptions,
  type RestoreOptions,
  type CheckpointOptions,
  type KillOptions,
  type DeleteOptions,
} from './options';
export { execute, type ExecuteOptions, type RuncOutput } from './execute';
export { nodeLauncher, killGroup, MAX_STDERR, type CommandLauncher, type LaunchResult } from './launcher';
export {
  RuncError,
  isRuncError,
  isNotExistError,
  isNotRunningError,
  isNotPausedError,
  isAlreadyExistsError,
  runcMessage,
  lastLoggedError,
  parseLogLine,
  type RuncErrorInit,
} from './runc-error';
export {
  parseState,
  parseList,
  parsePs,
  parseVersion,
  RuncOutputError,
  type ContainerStateJson,
  type RuncStatus,
  type RuncVersion,
} from './output';
export {
  renderProcessSpec,
  writeProcessSpec,
  DEFAULT_PATH,
  type OciProcess,
  type OciUser,
  type ProcessSpecInput,
  type ProcessSpecBase,
} from './process-spec';
export { containerId, absolutePath, signalNumber } from './validate';
export { findCriu, DEFAULT_CRIU_CANDIDATES, type CriuStatus } from './criu';
