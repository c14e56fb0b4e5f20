import * as fs from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../log';
import { loadApi } from '../proto/load';
import type { APIHandlers } from '../proto/generated/types/API';
import type { Supervisor } from '../supervisor';
import { addProcess, createContainer, signal, state, updateContainer } from './handlers/containers';
import { events } from './handlers/events';
import { getStats } from './handlers/stats';
import type { CgroupReader } from '../cgroups';
import { notYetStream } from './handlers/unimplemented';
import { createCheckpoint, deleteCheckpoint, listCheckpoint } from './handlers/checkpoints';
import { bindTarget, parseListen, prepareUnixSocket, type ListenAddress } from './listen';
import { InFlight } from '../in-flight';
import type { CallObserver } from './observer';
import { noopObserver } from './observer';
import type { HandlerContext } from './wrap';

export interface ApiServerOptions {
  supervisor: Supervisor;
  log: Logger;
  observer?: CallObserver;
  /** Extra services on the same server (health, reflection), added by the caller. */
  extend?: (server: grpc.Server) => void;
  /** Replaces handlers (GetStats, checkpoints) that other modules provide. */
  handlers?: Partial<APIHandlers>;
  /** cgroup/net readers for GetStats, and its period. */
  stats?: { cgroups: CgroupReader; intervalMs: number };
}

export function apiHandlers(ctx: HandlerContext, sup: Supervisor, extra: Partial<APIHandlers> = {}): APIHandlers {
  return {
    CreateContainer: createContainer(ctx, sup),
    AddProcess: addProcess(ctx, sup),
    Signal: signal(ctx, sup),
    UpdateContainer: updateContainer(ctx, sup),
    State: state(ctx, sup),
    Events: events(ctx, sup),
    GetStats: notYetStream(ctx, 'GetStats', 'container stats'),
    CreateCheckpoint: createCheckpoint(ctx, sup),
    ListCheckpoint: listCheckpoint(ctx, sup),
    DeleteCheckpoint: deleteCheckpoint(ctx, sup),
    ...extra,
  };
}

export interface RunningServer {
  address: ListenAddress;
  /** The address as given, with the real port for tcp://host:0. */
  url: string;
  server: grpc.Server;
  /** Waits (bounded) for the unary calls being handled to finish; new ones are the supervisor's to refuse. */
  drain(timeoutMs: number): Promise<void>;
  shutdown(timeoutMs: number): Promise<void>;
}

/** Binds the v0 API on `listen` (unix socket mode 0660, or tcp). */
export async function startApiServer(listen: string, opts: ApiServerOptions): Promise<RunningServer> {
  const address = parseListen(listen);
  const api = loadApi();
  // channelz off: nothing here serves its introspection service, and its per-call bookkeeping was
  // a visible share of the CPU a CreateContainer costs the daemon.
  const server = new grpc.Server({ 'grpc.max_receive_message_length': 16 * 1024 * 1024, 'grpc.enable_channelz': 0 });
  const inFlight = new InFlight();
  const ctx: HandlerContext = { observer: opts.observer ?? noopObserver, log: opts.log, inFlight };
  const statsHandler = opts.stats ? { GetStats: getStats(ctx, opts.supervisor, opts.stats.cgroups, opts.stats.intervalMs) } : {};
  server.addService(api.types.API.service, apiHandlers(ctx, opts.supervisor, { ...statsHandler, ...opts.handlers }));
  opts.extend?.(server);
  if (address.kind === 'unix') await prepareUnixSocket(address.path);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(bindTarget(address), grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
  });
  if (address.kind === 'unix') fs.chmodSync(address.path, 0o660);
  const url = address.kind === 'unix' ? `unix://${address.path}` : `tcp://${address.host}:${port}`;
  return {
    address,
    url,
    server,
    drain: (timeoutMs) => inFlight.idle(timeoutMs),
    shutdown: (timeoutMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, timeoutMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }).finally(() => {
        if (address.kind === 'unix') fs.rmSync(address.path, { force: true });
      }),
  };
}
