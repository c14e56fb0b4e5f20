import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProto } from 'grpc-health-check';
import { describe, expect, it } from 'vitest';
import { integrationPrerequisites } from '../helpers/ci';
import { useDaemon } from '../helpers/fixture';

const ready = integrationPrerequisites();

describe.skipIf(!ready)('grpc.health.v1 and server reflection on the daemon socket', () => {
  const t = useDaemon();

  it('Health.Check answers SERVING overall and for types.API', async () => {
    const def = grpc.loadPackageDefinition(protoLoader.loadSync(healthProto, { keepCase: true, enums: String })) as any;
    const client = new def.grpc.health.v1.Health(t.daemon.address, grpc.credentials.createInsecure());
    const check = (service: string) =>
      new Promise<{ status: string }>((resolve, reject) => client.Check({ service }, (e: Error | null, r: { status: string }) => (e ? reject(e) : resolve(r))));
    expect((await check('')).status).toBe('SERVING');
    expect((await check('types.API')).status).toBe('SERVING');
    client.close();
  });

  it('reflection lists types.API', async () => {
    const path = require.resolve('@grpc/reflection/build/proto/grpc/reflection/v1alpha/reflection.proto');
    const def = grpc.loadPackageDefinition(protoLoader.loadSync(path, { keepCase: true })) as any;
    const client = new def.grpc.reflection.v1alpha.ServerReflection(t.daemon.address, grpc.credentials.createInsecure());
    const services = await new Promise<string[]>((resolve, reject) => {
      const call = client.ServerReflectionInfo();
      call.on('data', (r: { list_services_response?: { service: { name: string }[] } }) => {
        resolve((r.list_services_response?.service ?? []).map((s) => s.name));
        call.end();
      });
      call.on('error', reject);
      call.write({ list_services: '*' });
    });
    expect(services).toContain('types.API');
    client.close();
  });
});
