export { startApiServer, apiHandlers, type ApiServerOptions, type RunningServer } from './server';
export { parseListen, type ListenAddress } from './listen';
export { toServiceError } from './status';
export type { CallObserver } from './observer';
export type { HandlerContext } from './wrap';
export { unary, serverStream, writeMessage } from './wrap';
export { HealthAndReflection } from './health';
