import type * as grpc from '@grpc/grpc-js';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation } from 'grpc-health-check';
import { loadPackageDefinition } from '../proto/load';

/**
 * grpc.health.v1 (overall "" and "types.API") and server reflection over api.proto, from the
 * grpc-node maintainers' packages, so generic tools (grpcurl, grpc_health_probe) can talk to legacyd.
 */
export class HealthAndReflection {
  private readonly health = new HealthImplementation({ '': 'SERVING', 'types.API': 'SERVING' });
  private readonly reflection = new ReflectionService(loadPackageDefinition());

  addTo(server: grpc.Server): void {
    this.health.addToServer(server);
    this.reflection.addToServer(server);
  }

  /** During shutdown: NOT_SERVING, so load balancers and probes stop sending calls. */
  notServing(): void {
    this.health.setStatus('', 'NOT_SERVING');
    this.health.setStatus('types.API', 'NOT_SERVING');
  }
}
