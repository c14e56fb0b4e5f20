import type { HandlerContext } from '../wrap';
import { unary } from '../wrap';
import type { Supervisor } from '../../supervisor';
import type { CreateContainerRequest__Output } from '../../proto/generated/types/CreateContainerRequest';
import type { CreateContainerResponse } from '../../proto/generated/types/CreateContainerResponse';
import type { UpdateContainerRequest__Output } from '../../proto/generated/types/UpdateContainerRequest';
import type { UpdateContainerResponse } from '../../proto/generated/types/UpdateContainerResponse';
import type { SignalRequest__Output } from '../../proto/generated/types/SignalRequest';
import type { SignalResponse } from '../../proto/generated/types/SignalResponse';
import type { AddProcessRequest__Output } from '../../proto/generated/types/AddProcessRequest';
import type { AddProcessResponse } from '../../proto/generated/types/AddProcessResponse';
import type { StateRequest__Output } from '../../proto/generated/types/StateRequest';
import type { StateResponse } from '../../proto/generated/types/StateResponse';
import { containerMsg, machineMsg } from '../convert';

export function createContainer(ctx: HandlerContext, sup: Supervisor) {
  return unary<CreateContainerRequest__Output, CreateContainerResponse>(ctx, 'CreateContainer', async (r) => ({
    pid: await sup.create(r),
  }));
}

export function addProcess(ctx: HandlerContext, sup: Supervisor) {
  return unary<AddProcessRequest__Output, AddProcessResponse>(ctx, 'AddProcess', async (r) => ({
    // A missing `user` means root (the 2015 original crashed here).
    pid: await sup.exec({ ...r, user: r.user ?? null }),
  }));
}

export function signal(ctx: HandlerContext, sup: Supervisor) {
  return unary<SignalRequest__Output, SignalResponse>(ctx, 'Signal', async (r) => {
    await sup.signal(r.id, r.pid, r.signal);
    return {};
  });
}

export function updateContainer(ctx: HandlerContext, sup: Supervisor) {
  return unary<UpdateContainerRequest__Output, UpdateContainerResponse>(ctx, 'UpdateContainer', async (r) => {
    await sup.update(r.id, r.status, r.signal);
    return {};
  });
}

export function state(ctx: HandlerContext, sup: Supervisor) {
  return unary<StateRequest__Output, StateResponse>(ctx, 'State', async () => ({
    containers: sup.list().map(containerMsg),
    machine: machineMsg(sup.machine),
  }));
}
