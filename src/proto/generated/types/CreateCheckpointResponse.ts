// Original file: api/grpc/types/api.proto


export interface CreateCheckpointResponse {
}

export interface CreateCheckpointResponse__Output {
}
