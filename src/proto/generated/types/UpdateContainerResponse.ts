// Original file: api/grpc/types/api.proto


export interface UpdateContainerResponse {
}

export interface UpdateContainerResponse__Output {
}
