// Original file: api/grpc/types/api.proto


export interface DeleteCheckpointResponse {
}

export interface DeleteCheckpointResponse__Output {
}
