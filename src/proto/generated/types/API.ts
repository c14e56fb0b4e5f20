// Original file: api/grpc/types/api.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AddProcessRequest as _types_AddProcessRequest, AddProcessRequest__Output as _types_AddProcessRequest__Output } from '../types/AddProcessRequest';
import type { AddProcessResponse as _types_AddProcessResponse, AddProcessResponse__Output as _types_AddProcessResponse__Output } from '../types/AddProcessResponse';
import type { CreateCheckpointRequest as _types_CreateCheckpointRequest, CreateCheckpointRequest__Output as _types_CreateCheckpointRequest__Output } from '../types/CreateCheckpointRequest';
import type { CreateCheckpointResponse as _types_CreateCheckpointResponse, CreateCheckpointResponse__Output as _types_CreateCheckpointResponse__Output } from '../types/CreateCheckpointResponse';
import type { CreateContainerRequest as _types_CreateContainerRequest, CreateContainerRequest__Output as _types_CreateContainerRequest__Output } from '../types/CreateContainerRequest';
import type { CreateContainerResponse as _types_CreateContainerResponse, CreateContainerResponse__Output as _types_CreateContainerResponse__Output } from '../types/CreateContainerResponse';
import type { DeleteCheckpointRequest as _types_DeleteCheckpointRequest, DeleteCheckpointRequest__Output as _types_DeleteCheckpointRequest__Output } from '../types/DeleteCheckpointRequest';
import type { DeleteCheckpointResponse as _types_DeleteCheckpointResponse, DeleteCheckpointResponse__Output as _types_DeleteCheckpointResponse__Output } from '../types/DeleteCheckpointResponse';
import type { Event as _types_Event, Event__Output as _types_Event__Output } from '../types/Event';
import type { EventsRequest as _types_EventsRequest, EventsRequest__Output as _types_EventsRequest__Output } from '../types/EventsRequest';
import type { ListCheckpointRequest as _types_ListCheckpointRequest, ListCheckpointRequest__Output as _types_ListCheckpointRequest__Output } from '../types/ListCheckpointRequest';
import type { ListCheckpointResponse as _types_ListCheckpointResponse, ListCheckpointResponse__Output as _types_ListCheckpointResponse__Output } from '../types/ListCheckpointResponse';
import type { SignalRequest as _types_SignalRequest, SignalRequest__Output as _types_SignalRequest__Output } from '../types/SignalRequest';
import type { SignalResponse as _types_SignalResponse, SignalResponse__Output as _types_SignalResponse__Output } from '../types/SignalResponse';
import type { StateRequest as _types_StateRequest, StateRequest__Output as _types_StateRequest__Output } from '../types/StateRequest';
import type { StateResponse as _types_StateResponse, StateResponse__Output as _types_StateResponse__Output } from '../types/StateResponse';
import type { Stats as _types_Stats, Stats__Output as _types_Stats__Output } from '../types/Stats';
import type { StatsRequest as _types_StatsRequest, StatsRequest__Output as _types_StatsRequest__Output } from '../types/StatsRequest';
import type { UpdateContainerRequest as _types_UpdateContainerRequest, UpdateContainerRequest__Output as _types_UpdateContainerRequest__Output } from '../types/UpdateContainerRequest';
import type { UpdateContainerResponse as _types_UpdateContainerResponse, UpdateContainerResponse__Output as _types_UpdateContainerResponse__Output } from '../types/UpdateContainerResponse';

export interface APIClient extends grpc.Client {
  AddProcess(argument: _types_AddProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_AddProcessResponse__Output>): grpc.ClientUnaryCall;
  AddProcess(argument: _types_AddProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_AddProcessResponse__Output>): grpc.ClientUnaryCall;
  AddProcess(argument: _types_AddProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_AddProcessResponse__Output>): grpc.ClientUnaryCall;
  AddProcess(argument: _types_AddProcessRequest, callback: grpc.requestCallback<_types_AddProcessResponse__Output>): grpc.ClientUnaryCall;
  addProcess(argument: _types_AddProcessRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_AddProcessResponse__Output>): grpc.ClientUnaryCall;
  addProcess(argument: _types_AddProcessRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_AddProcessResponse__Output>): grpc.ClientUnaryCall;
  addProcess(argument: _types_AddProcessRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_AddProcessResponse__Output>): grpc.ClientUnaryCall;
  addProcess(argument: _types_AddProcessRequest, callback: grpc.requestCallback<_types_AddProcessResponse__Output>): grpc.ClientUnaryCall;
  
  CreateCheckpoint(argument: _types_CreateCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_CreateCheckpointResponse__Output>): grpc.ClientUnaryCall;
  CreateCheckpoint(argument: _types_CreateCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_CreateCheckpointResponse__Output>): grpc.ClientUnaryCall;
  CreateCheckpoint(argument: _types_CreateCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_CreateCheckpointResponse__Output>): grpc.ClientUnaryCall;
  CreateCheckpoint(argument: _types_CreateCheckpointRequest, callback: grpc.requestCallback<_types_CreateCheckpointResponse__Output>): grpc.ClientUnaryCall;
  createCheckpoint(argument: _types_CreateCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_CreateCheckpointResponse__Output>): grpc.ClientUnaryCall;
  createCheckpoint(argument: _types_CreateCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_CreateCheckpointResponse__Output>): grpc.ClientUnaryCall;
  createCheckpoint(argument: _types_CreateCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_CreateCheckpointResponse__Output>): grpc.ClientUnaryCall;
  createCheckpoint(argument: _types_CreateCheckpointRequest, callback: grpc.requestCallback<_types_CreateCheckpointResponse__Output>): grpc.ClientUnaryCall;
  
  CreateContainer(argument: _types_CreateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  CreateContainer(argument: _types_CreateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  CreateContainer(argument: _types_CreateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  CreateContainer(argument: _types_CreateContainerRequest, callback: grpc.requestCallback<_types_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  createContainer(argument: _types_CreateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  createContainer(argument: _types_CreateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  createContainer(argument: _types_CreateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  createContainer(argument: _types_CreateContainerRequest, callback: grpc.requestCallback<_types_CreateContainerResponse__Output>): grpc.ClientUnaryCall;
  
  DeleteCheckpoint(argument: _types_DeleteCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_DeleteCheckpointResponse__Output>): grpc.ClientUnaryCall;
  DeleteCheckpoint(argument: _types_DeleteCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_DeleteCheckpointResponse__Output>): grpc.ClientUnaryCall;
  DeleteCheckpoint(argument: _types_DeleteCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_DeleteCheckpointResponse__Output>): grpc.ClientUnaryCall;
  DeleteCheckpoint(argument: _types_DeleteCheckpointRequest, callback: grpc.requestCallback<_types_DeleteCheckpointResponse__Output>): grpc.ClientUnaryCall;
  deleteCheckpoint(argument: _types_DeleteCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_DeleteCheckpointResponse__Output>): grpc.ClientUnaryCall;
  deleteCheckpoint(argument: _types_DeleteCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_DeleteCheckpointResponse__Output>): grpc.ClientUnaryCall;
  deleteCheckpoint(argument: _types_DeleteCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_DeleteCheckpointResponse__Output>): grpc.ClientUnaryCall;
  deleteCheckpoint(argument: _types_DeleteCheckpointRequest, callback: grpc.requestCallback<_types_DeleteCheckpointResponse__Output>): grpc.ClientUnaryCall;
  
  Events(argument: _types_EventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_types_Event__Output>;
  Events(argument: _types_EventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_types_Event__Output>;
  events(argument: _types_EventsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_types_Event__Output>;
  events(argument: _types_EventsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_types_Event__Output>;
  
  GetStats(argument: _types_StatsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_types_Stats__Output>;
  GetStats(argument: _types_StatsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_types_Stats__Output>;
  getStats(argument: _types_StatsRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_types_Stats__Output>;
  getStats(argument: _types_StatsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_types_Stats__Output>;
  
  ListCheckpoint(argument: _types_ListCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_ListCheckpointResponse__Output>): grpc.ClientUnaryCall;
  ListCheckpoint(argument: _types_ListCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_ListCheckpointResponse__Output>): grpc.ClientUnaryCall;
  ListCheckpoint(argument: _types_ListCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_ListCheckpointResponse__Output>): grpc.ClientUnaryCall;
  ListCheckpoint(argument: _types_ListCheckpointRequest, callback: grpc.requestCallback<_types_ListCheckpointResponse__Output>): grpc.ClientUnaryCall;
  listCheckpoint(argument: _types_ListCheckpointRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_ListCheckpointResponse__Output>): grpc.ClientUnaryCall;
  listCheckpoint(argument: _types_ListCheckpointRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_ListCheckpointResponse__Output>): grpc.ClientUnaryCall;
  listCheckpoint(argument: _types_ListCheckpointRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_ListCheckpointResponse__Output>): grpc.ClientUnaryCall;
  listCheckpoint(argument: _types_ListCheckpointRequest, callback: grpc.requestCallback<_types_ListCheckpointResponse__Output>): grpc.ClientUnaryCall;
  
  Signal(argument: _types_SignalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_SignalResponse__Output>): grpc.ClientUnaryCall;
  Signal(argument: _types_SignalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_SignalResponse__Output>): grpc.ClientUnaryCall;
  Signal(argument: _types_SignalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_SignalResponse__Output>): grpc.ClientUnaryCall;
  Signal(argument: _types_SignalRequest, callback: grpc.requestCallback<_types_SignalResponse__Output>): grpc.ClientUnaryCall;
  signal(argument: _types_SignalRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_SignalResponse__Output>): grpc.ClientUnaryCall;
  signal(argument: _types_SignalRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_SignalResponse__Output>): grpc.ClientUnaryCall;
  signal(argument: _types_SignalRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_SignalResponse__Output>): grpc.ClientUnaryCall;
  signal(argument: _types_SignalRequest, callback: grpc.requestCallback<_types_SignalResponse__Output>): grpc.ClientUnaryCall;
  
  State(argument: _types_StateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_StateResponse__Output>): grpc.ClientUnaryCall;
  State(argument: _types_StateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_StateResponse__Output>): grpc.ClientUnaryCall;
  State(argument: _types_StateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_StateResponse__Output>): grpc.ClientUnaryCall;
  State(argument: _types_StateRequest, callback: grpc.requestCallback<_types_StateResponse__Output>): grpc.ClientUnaryCall;
  state(argument: _types_StateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_StateResponse__Output>): grpc.ClientUnaryCall;
  state(argument: _types_StateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_StateResponse__Output>): grpc.ClientUnaryCall;
  state(argument: _types_StateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_StateResponse__Output>): grpc.ClientUnaryCall;
  state(argument: _types_StateRequest, callback: grpc.requestCallback<_types_StateResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateContainer(argument: _types_UpdateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  UpdateContainer(argument: _types_UpdateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  UpdateContainer(argument: _types_UpdateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  UpdateContainer(argument: _types_UpdateContainerRequest, callback: grpc.requestCallback<_types_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  updateContainer(argument: _types_UpdateContainerRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_types_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  updateContainer(argument: _types_UpdateContainerRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_types_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  updateContainer(argument: _types_UpdateContainerRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_types_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  updateContainer(argument: _types_UpdateContainerRequest, callback: grpc.requestCallback<_types_UpdateContainerResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface APIHandlers extends grpc.UntypedServiceImplementation {
  AddProcess: grpc.handleUnaryCall<_types_AddProcessRequest__Output, _types_AddProcessResponse>;
  
  CreateCheckpoint: grpc.handleUnaryCall<_types_CreateCheckpointRequest__Output, _types_CreateCheckpointResponse>;
  
  CreateContainer: grpc.handleUnaryCall<_types_CreateContainerRequest__Output, _types_CreateContainerResponse>;
  
  DeleteCheckpoint: grpc.handleUnaryCall<_types_DeleteCheckpointRequest__Output, _types_DeleteCheckpointResponse>;
  
  Events: grpc.handleServerStreamingCall<_types_EventsRequest__Output, _types_Event>;
  
  GetStats: grpc.handleServerStreamingCall<_types_StatsRequest__Output, _types_Stats>;
  
  ListCheckpoint: grpc.handleUnaryCall<_types_ListCheckpointRequest__Output, _types_ListCheckpointResponse>;
  
  Signal: grpc.handleUnaryCall<_types_SignalRequest__Output, _types_SignalResponse>;
  
  State: grpc.handleUnaryCall<_types_StateRequest__Output, _types_StateResponse>;
  
  UpdateContainer: grpc.handleUnaryCall<_types_UpdateContainerRequest__Output, _types_UpdateContainerResponse>;
  
}

export interface APIDefinition extends grpc.ServiceDefinition {
  AddProcess: MethodDefinition<_types_AddProcessRequest, _types_AddProcessResponse, _types_AddProcessRequest__Output, _types_AddProcessResponse__Output>
  CreateCheckpoint: MethodDefinition<_types_CreateCheckpointRequest, _types_CreateCheckpointResponse, _types_CreateCheckpointRequest__Output, _types_CreateCheckpointResponse__Output>
  CreateContainer: MethodDefinition<_types_CreateContainerRequest, _types_CreateContainerResponse, _types_CreateContainerRequest__Output, _types_CreateContainerResponse__Output>
  DeleteCheckpoint: MethodDefinition<_types_DeleteCheckpointRequest, _types_DeleteCheckpointResponse, _types_DeleteCheckpointRequest__Output, _types_DeleteCheckpointResponse__Output>
  Events: MethodDefinition<_types_EventsRequest, _types_Event, _types_EventsRequest__Output, _types_Event__Output>
  GetStats: MethodDefinition<_types_StatsRequest, _types_Stats, _types_StatsRequest__Output, _types_Stats__Output>
  ListCheckpoint: MethodDefinition<_types_ListCheckpointRequest, _types_ListCheckpointResponse, _types_ListCheckpointRequest__Output, _types_ListCheckpointResponse__Output>
  Signal: MethodDefinition<_types_SignalRequest, _types_SignalResponse, _types_SignalRequest__Output, _types_SignalResponse__Output>
  State: MethodDefinition<_types_StateRequest, _types_StateResponse, _types_StateRequest__Output, _types_StateResponse__Output>
  UpdateContainer: MethodDefinition<_types_UpdateContainerRequest, _types_UpdateContainerResponse, _types_UpdateContainerRequest__Output, _types_UpdateContainerResponse__Output>
}
