import type { Supervisor } from '../../supervisor';
import type { CreateCheckpointRequest__Output } from '../../proto/generated/types/CreateCheckpointRequest';
import type { CreateCheckpointResponse } from '../../proto/generated/types/CreateCheckpointResponse';
import type { ListCheckpointRequest__Output } from '../../proto/generated/types/ListCheckpointRequest';
import type { ListCheckpointResponse } from '../../proto/generated/types/ListCheckpointResponse';
import type { DeleteCheckpointRequest__Output } from '../../proto/generated/types/DeleteCheckpointRequest';
import type { DeleteCheckpointResponse } from '../../proto/generated/types/DeleteCheckpointResponse';
import { unary, type HandlerContext } from '../wrap';

export function createCheckpoint(ctx: HandlerContext, sup: Supervisor) {
  return unary<CreateCheckpointRequest__Output, CreateCheckpointResponse>(ctx, 'CreateCheckpoint', async (r) => {
    // A missing `checkpoint` message is INVALID_ARGUMENT (the 2015 original crashed on it).
    await sup.checkpoints.create(r.id, r.checkpoint);
    return {};
  });
}

export function listCheckpoint(ctx: HandlerContext, sup: Supervisor) {
  return unary<ListCheckpointRequest__Output, ListCheckpointResponse>(ctx, 'ListCheckpoint', async (r) => ({
    checkpoints: (await sup.checkpoints.list(r.id)).map(({ name, exit, tcp, unixSockets, shell }) => ({ name, exit, tcp, unixSockets, shell })),
  }));
}

export function deleteCheckpoint(ctx: HandlerContext, sup: Supervisor) {
  return unary<DeleteCheckpointRequest__Output, DeleteCheckpointResponse>(ctx, 'DeleteCheckpoint', async (r) => {
    await sup.checkpoints.delete(r.id, r.name);
    return {};
  });
}
