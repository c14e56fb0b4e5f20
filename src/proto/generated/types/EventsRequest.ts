// Original file: api/grpc/types/api.proto


export interface EventsRequest {
}

export interface EventsRequest__Output {
}
