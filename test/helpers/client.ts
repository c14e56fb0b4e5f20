import * as grpc from '@grpc/grpc-js';
import { loadApi } from '../../src/proto/load';
import type { APIClient } from '../../src/proto/generated/types/API';
import type { AddProcessRequest } from '../../src/proto/generated/types/AddProcessRequest';
import type { AddProcessResponse__Output } from '../../src/proto/generated/types/AddProcessResponse';
import type { CreateCheckpointRequest } from '../../src/proto/generated/types/CreateCheckpointRequest';
import type { CreateCheckpointResponse__Output } from '../../src/proto/generated/types/CreateCheckpointResponse';
import type { CreateContainerRequest } from '../../src/proto/generated/types/CreateContainerRequest';
import type { CreateContainerResponse__Output } from '../../src/proto/generated/types/CreateContainerResponse';
import type { DeleteCheckpointRequest } from '../../src/proto/generated/types/DeleteCheckpointRequest';
import type { DeleteCheckpointResponse__Output } from '../../src/proto/generated/types/DeleteCheckpointResponse';
import type { Event__Output } from '../../src/proto/generated/types/Event';
import type { ListCheckpointRequest } from '../../src/proto/generated/types/ListCheckpointRequest';
import type { ListCheckpointResponse__Output } from '../../src/proto/generated/types/ListCheckpointResponse';
import type { SignalRequest } from '../../src/proto/generated/types/SignalRequest';
import type { SignalResponse__Output } from '../../src/proto/generated/types/SignalResponse';
import type { StateResponse__Output } from '../../src/proto/generated/types/StateResponse';
import type { Container__Output } from '../../src/proto/generated/types/Container';
import type { UpdateContainerRequest } from '../../src/proto/generated/types/UpdateContainerRequest';
import type { UpdateContainerResponse__Output } from '../../src/proto/generated/types/UpdateContainerResponse';

export type { Event__Output as Event } from '../../src/proto/generated/types/Event';
export type { Container__Output as Container } from '../../src/proto/generated/types/Container';

/** Bound on every unary call, so a wedged daemon fails a test instead of hanging it. */
const UNARY_DEADLINE_MS = 30_000;
const CHECKPOINT_DEADLINE_MS = 120_000;

/** The v0 API with promisified unary calls; rejections are the grpc ServiceError (assert `.code`). */
export interface ApiClient {
  raw: APIClient;
  createContainer(req: CreateContainerRequest): Promise<CreateContainerResponse__Output>;
  addProcess(req: AddProcessRequest): Promise<AddProcessResponse__Output>;
  signal(req: SignalRequest): Promise<SignalResponse__Output>;
  updateContainer(req: UpdateContainerRequest): Promise<UpdateContainerResponse__Output>;
  state(): Promise<StateResponse__Output>;
  createCheckpoint(req: CreateCheckpointRequest): Promise<CreateCheckpointResponse__Output>;
  listCheckpoint(req: ListCheckpointRequest): Promise<ListCheckpointResponse__Output>;
  deleteCheckpoint(req: DeleteCheckpointRequest): Promise<DeleteCheckpointResponse__Output>;
  close(): void;
}

function unary<Res>(deadlineMs: number, start: (opts: grpc.CallOptions, cb: grpc.requestCallback<Res>) => void): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    start({ deadline: Date.now() + deadlineMs }, (err, value) => (err ? reject(err) : resolve(value as Res)));
  });
}

export function connect(address: string): ApiClient {
  const api = loadApi();
  const raw = new api.types.API(address, grpc.credentials.createInsecure());
  const d = UNARY_DEADLINE_MS;
  return {
    raw,
    createContainer: (req) => unary(d, (o, cb) => raw.createContainer(req, o, cb)),
    addProcess: (req) => unary(d, (o, cb) => raw.addProcess(req, o, cb)),
    signal: (req) => unary(d, (o, cb) => raw.signal(req, o, cb)),
    updateContainer: (req) => unary(d, (o, cb) => raw.updateContainer(req, o, cb)),
    state: () => unary(d, (o, cb) => raw.state({}, o, cb)),
    createCheckpoint: (req) => unary(CHECKPOINT_DEADLINE_MS, (o, cb) => raw.createCheckpoint(req, o, cb)),
    listCheckpoint: (req) => unary(d, (o, cb) => raw.listCheckpoint(req, o, cb)),
    deleteCheckpoint: (req) => unary(d, (o, cb) => raw.deleteCheckpoint(req, o, cb)),
    close: () => raw.close(),
  };
}

export function isServiceError(err: unknown): err is grpc.ServiceError {
  return err instanceof Error && typeof (err as Partial<grpc.ServiceError>).code === 'number' && 'details' in err;
}

/**
 * The call must fail with exactly `code`; resolves with the error so the test can check
 * `details`. A success or another code fails with both codes named.
 */
export async function expectCode(call: Promise<unknown>, code: grpc.status): Promise<grpc.ServiceError> {
  let value: unknown;
  try {
    value = await call;
  } catch (err) {
    if (!isServiceError(err)) throw err;
    if (err.code !== code) {
      throw new Error(`expected ${grpc.status[code]} but got ${grpc.status[err.code]}: ${err.details}`);
    }
    return err;
  }
  throw new Error(`expected ${grpc.status[code]} but the call succeeded with ${JSON.stringify(value)}`);
}

/** The container of that id in a State reply, or undefined. */
export function findContainer(state: StateResponse__Output, id: string): Container__Output | undefined {
  return state.containers.find((c) => c.id === id);
}

/** Predicates for EventCollector.waitFor. */
export const exitOf = (id: string, pid?: number) => (ev: Event__Output) =>
  ev.type === 'exit' && ev.id === id && (pid === undefined || ev.pid === pid);
export const eventOf = (type: string, id: string, pid?: number) => (ev: Event__Output) =>
  ev.type === type && ev.id === id && (pid === undefined || ev.pid === pid);

const EVENT_TIMEOUT_MS = 15_000;

/** One Events subscription; keeps every event it sees, in order. */
export class EventCollector {
  readonly seen: Event__Output[] = [];
  /** Resolves with the stream's final status (OK when the daemon ended it cleanly). */
  readonly ended: Promise<grpc.StatusObject>;
  private endStatus: grpc.StatusObject | undefined;
  private waiters = new Set<() => void>();
  private readonly stream: grpc.ClientReadableStream<Event__Output>;

  private constructor(client: ApiClient) {
    this.stream = client.raw.events({});
    this.stream.on('data', (ev: Event__Output) => {
      this.seen.push(ev);
      this.wake();
    });
    this.stream.on('error', () => undefined); // the status event below carries it
    this.ended = new Promise((resolve) =>
      this.stream.on('status', (status: grpc.StatusObject) => {
        this.endStatus = status;
        this.wake();
        resolve(status);
      }),
    );
  }

  /**
   * Subscribe, then make one State round trip on the same channel, so the subscription is
   * registered before the test's next call (events after that are not missed).
   */
  static async open(client: ApiClient): Promise<EventCollector> {
    const collector = new EventCollector(client);
    await client.state();
    return collector;
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  /**
   * The first event (from index `from` on) matching `pred`, waiting up to `timeoutMs`.
   * Fails with every event seen (and the stream's status if it ended) otherwise.
   */
  waitFor(pred: (ev: Event__Output) => boolean, timeoutMs = EVENT_TIMEOUT_MS, from = 0): Promise<Event__Output> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.seen.slice(from).find(pred);
        if (hit) return finish(() => resolve(hit));
        if (this.endStatus) return finish(() => reject(this.failure(`the stream ended (${grpc.status[this.endStatus!.code]}: ${this.endStatus!.details}) first`)));
      };
      const timer = setTimeout(() => finish(() => reject(this.failure(`not seen within ${timeoutMs} ms`))), timeoutMs);
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Index of the first event matching pred, or -1 (for ordering assertions). */
  indexOf(pred: (ev: Event__Output) => boolean): number {
    return this.seen.findIndex(pred);
  }

  private failure(why: string): Error {
    const list = this.seen.map((e) => `  ${e.type} id=${e.id} pid=${e.pid} status=${e.status}`).join('\n');
    return new Error(`expected event ${why}; events seen (${this.seen.length}):\n${list || '  (none)'}`);
  }

  close(): void {
    this.stream.cancel();
  }
}
