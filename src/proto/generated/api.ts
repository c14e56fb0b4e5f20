import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { APIClient as _types_APIClient, APIDefinition as _types_APIDefinition } from './types/API';
import type { AddProcessRequest as _types_AddProcessRequest, AddProcessRequest__Output as _types_AddProcessRequest__Output } from './types/AddProcessRequest';
import type { AddProcessResponse as _types_AddProcessResponse, AddProcessResponse__Output as _types_AddProcessResponse__Output } from './types/AddProcessResponse';
import type { BlkioStats as _types_BlkioStats, BlkioStats__Output as _types_BlkioStats__Output } from './types/BlkioStats';
import type { BlkioStatsEntry as _types_BlkioStatsEntry, BlkioStatsEntry__Output as _types_BlkioStatsEntry__Output } from './types/BlkioStatsEntry';
import type { CgroupStats as _types_CgroupStats, CgroupStats__Output as _types_CgroupStats__Output } from './types/CgroupStats';
import type { Checkpoint as _types_Checkpoint, Checkpoint__Output as _types_Checkpoint__Output } from './types/Checkpoint';
import type { Container as _types_Container, Container__Output as _types_Container__Output } from './types/Container';
import type { ContainerState as _types_ContainerState, ContainerState__Output as _types_ContainerState__Output } from './types/ContainerState';
import type { CpuStats as _types_CpuStats, CpuStats__Output as _types_CpuStats__Output } from './types/CpuStats';
import type { CpuUsage as _types_CpuUsage, CpuUsage__Output as _types_CpuUsage__Output } from './types/CpuUsage';
import type { CreateCheckpointRequest as _types_CreateCheckpointRequest, CreateCheckpointRequest__Output as _types_CreateCheckpointRequest__Output } from './types/CreateCheckpointRequest';
import type { CreateCheckpointResponse as _types_CreateCheckpointResponse, CreateCheckpointResponse__Output as _types_CreateCheckpointResponse__Output } from './types/CreateCheckpointResponse';
import type { CreateContainerRequest as _types_CreateContainerRequest, CreateContainerRequest__Output as _types_CreateContainerRequest__Output } from './types/CreateContainerRequest';
import type { CreateContainerResponse as _types_CreateContainerResponse, CreateContainerResponse__Output as _types_CreateContainerResponse__Output } from './types/CreateContainerResponse';
import type { DeleteCheckpointRequest as _types_DeleteCheckpointRequest, DeleteCheckpointRequest__Output as _types_DeleteCheckpointRequest__Output } from './types/DeleteCheckpointRequest';
import type { DeleteCheckpointResponse as _types_DeleteCheckpointResponse, DeleteCheckpointResponse__Output as _types_DeleteCheckpointResponse__Output } from './types/DeleteCheckpointResponse';
import type { Event as _types_Event, Event__Output as _types_Event__Output } from './types/Event';
import type { EventsRequest as _types_EventsRequest, EventsRequest__Output as _types_EventsRequest__Output } from './types/EventsRequest';
import type { HugetlbStats as _types_HugetlbStats, HugetlbStats__Output as _types_HugetlbStats__Output } from './types/HugetlbStats';
import type { ListCheckpointRequest as _types_ListCheckpointRequest, ListCheckpointRequest__Output as _types_ListCheckpointRequest__Output } from './types/ListCheckpointRequest';
import type { ListCheckpointResponse as _types_ListCheckpointResponse, ListCheckpointResponse__Output as _types_ListCheckpointResponse__Output } from './types/ListCheckpointResponse';
import type { Machine as _types_Machine, Machine__Output as _types_Machine__Output } from './types/Machine';
import type { MemoryData as _types_MemoryData, MemoryData__Output as _types_MemoryData__Output } from './types/MemoryData';
import type { MemoryStats as _types_MemoryStats, MemoryStats__Output as _types_MemoryStats__Output } from './types/MemoryStats';
import type { NetworkStats as _types_NetworkStats, NetworkStats__Output as _types_NetworkStats__Output } from './types/NetworkStats';
import type { Process as _types_Process, Process__Output as _types_Process__Output } from './types/Process';
import type { SignalRequest as _types_SignalRequest, SignalRequest__Output as _types_SignalRequest__Output } from './types/SignalRequest';
import type { SignalResponse as _types_SignalResponse, SignalResponse__Output as _types_SignalResponse__Output } from './types/SignalResponse';
import type { StateRequest as _types_StateRequest, StateRequest__Output as _types_StateRequest__Output } from './types/StateRequest';
import type { StateResponse as _types_StateResponse, StateResponse__Output as _types_StateResponse__Output } from './types/StateResponse';
import type { Stats as _types_Stats, Stats__Output as _types_Stats__Output } from './types/Stats';
import type { StatsRequest as _types_StatsRequest, StatsRequest__Output as _types_StatsRequest__Output } from './types/StatsRequest';
import type { ThrottlingData as _types_ThrottlingData, ThrottlingData__Output as _types_ThrottlingData__Output } from './types/ThrottlingData';
import type { UpdateContainerRequest as _types_UpdateContainerRequest, UpdateContainerRequest__Output as _types_UpdateContainerRequest__Output } from './types/UpdateContainerRequest';
import type { UpdateContainerResponse as _types_UpdateContainerResponse, UpdateContainerResponse__Output as _types_UpdateContainerResponse__Output } from './types/UpdateContainerResponse';
import type { User as _types_User, User__Output as _types_User__Output } from './types/User';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  types: {
    API: SubtypeConstructor<typeof grpc.Client, _types_APIClient> & { service: _types_APIDefinition }
    AddProcessRequest: MessageTypeDefinition<_types_AddProcessRequest, _types_AddProcessRequest__Output>
    AddProcessResponse: MessageTypeDefinition<_types_AddProcessResponse, _types_AddProcessResponse__Output>
    BlkioStats: MessageTypeDefinition<_types_BlkioStats, _types_BlkioStats__Output>
    BlkioStatsEntry: MessageTypeDefinition<_types_BlkioStatsEntry, _types_BlkioStatsEntry__Output>
    CgroupStats: MessageTypeDefinition<_types_CgroupStats, _types_CgroupStats__Output>
    Checkpoint: MessageTypeDefinition<_types_Checkpoint, _types_Checkpoint__Output>
    Container: MessageTypeDefinition<_types_Container, _types_Container__Output>
    ContainerState: MessageTypeDefinition<_types_ContainerState, _types_ContainerState__Output>
    CpuStats: MessageTypeDefinition<_types_CpuStats, _types_CpuStats__Output>
    CpuUsage: MessageTypeDefinition<_types_CpuUsage, _types_CpuUsage__Output>
    CreateCheckpointRequest: MessageTypeDefinition<_types_CreateCheckpointRequest, _types_CreateCheckpointRequest__Output>
    CreateCheckpointResponse: MessageTypeDefinition<_types_CreateCheckpointResponse, _types_CreateCheckpointResponse__Output>
    CreateContainerRequest: MessageTypeDefinition<_types_CreateContainerRequest, _types_CreateContainerRequest__Output>
    CreateContainerResponse: MessageTypeDefinition<_types_CreateContainerResponse, _types_CreateContainerResponse__Output>
    DeleteCheckpointRequest: MessageTypeDefinition<_types_DeleteCheckpointRequest, _types_DeleteCheckpointRequest__Output>
    DeleteCheckpointResponse: MessageTypeDefinition<_types_DeleteCheckpointResponse, _types_DeleteCheckpointResponse__Output>
    Event: MessageTypeDefinition<_types_Event, _types_Event__Output>
    EventsRequest: MessageTypeDefinition<_types_EventsRequest, _types_EventsRequest__Output>
    HugetlbStats: MessageTypeDefinition<_types_HugetlbStats, _types_HugetlbStats__Output>
    ListCheckpointRequest: MessageTypeDefinition<_types_ListCheckpointRequest, _types_ListCheckpointRequest__Output>
    ListCheckpointResponse: MessageTypeDefinition<_types_ListCheckpointResponse, _types_ListCheckpointResponse__Output>
    Machine: MessageTypeDefinition<_types_Machine, _types_Machine__Output>
    MemoryData: MessageTypeDefinition<_types_MemoryData, _types_MemoryData__Output>
    MemoryStats: MessageTypeDefinition<_types_MemoryStats, _types_MemoryStats__Output>
    NetworkStats: MessageTypeDefinition<_types_NetworkStats, _types_NetworkStats__Output>
    Process: MessageTypeDefinition<_types_Process, _types_Process__Output>
    SignalRequest: MessageTypeDefinition<_types_SignalRequest, _types_SignalRequest__Output>
    SignalResponse: MessageTypeDefinition<_types_SignalResponse, _types_SignalResponse__Output>
    StateRequest: MessageTypeDefinition<_types_StateRequest, _types_StateRequest__Output>
    StateResponse: MessageTypeDefinition<_types_StateResponse, _types_StateResponse__Output>
    Stats: MessageTypeDefinition<_types_Stats, _types_Stats__Output>
    StatsRequest: MessageTypeDefinition<_types_StatsRequest, _types_StatsRequest__Output>
    ThrottlingData: MessageTypeDefinition<_types_ThrottlingData, _types_ThrottlingData__Output>
    UpdateContainerRequest: MessageTypeDefinition<_types_UpdateContainerRequest, _types_UpdateContainerRequest__Output>
    UpdateContainerResponse: MessageTypeDefinition<_types_UpdateContainerResponse, _types_UpdateContainerResponse__Output>
    User: MessageTypeDefinition<_types_User, _types_User__Output>
  }
}

