// Original file: api/grpc/types/api.proto


export interface StateRequest {
}

export interface StateRequest__Output {
}
