// Original file: api/grpc/types/api.proto


export interface SignalResponse {
}

export interface SignalResponse__Output {
}
