/**
 * The project's tfplugin6 and go-plugin protocol definitions as gRPC service definitions.
 * Field names stay snake_case (keepCase): camelCase conversion silently loses fields such as
 * planned_state. The installed bundle reads `protocol.json`, the definitions pre-parsed at
 * install time (parsing the .proto text costs ~100 ms on each of terraform's provider launches);
 * the source tree parses `provider/proto/*.proto`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

export const protoFiles = ['tfplugin6.proto', 'plugin.proto'] as const;
export const protocolJsonFile = 'protocol.json';

const here = dirname(fileURLToPath(import.meta.url));

/** Parses the .proto files of `dir` into protobufjs JSON (what `protocol.json` holds). */
export function parseProtoFiles(dir: string): protobuf.INamespace {
  const root = new protobuf.Root();
  for (const file of protoFiles) {
    protobuf.parse(readFileSync(join(dir, file), 'utf8'), root, { keepCase: true });
  }
  return root.toJSON();
}

function protocolRoot(): protobuf.Root {
  const bundled = join(here, protocolJsonFile);
  if (existsSync(bundled)) return protobuf.Root.fromJSON(JSON.parse(readFileSync(bundled, 'utf8')));
  return protobuf.Root.fromJSON(parseProtoFiles(join(here, '..', '..', 'proto')));
}

const toObjectOptions: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
};

function serviceDefinition(root: protobuf.Root, name: string): grpc.ServiceDefinition {
  const service = root.lookupService(name);
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const request = method.resolvedRequestType!;
    const response = method.resolvedResponseType!;
    definition[method.name] = {
      path: `/${name}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: object) =>
        Buffer.from(request.encode(request.fromObject(value)).finish()),
      requestDeserialize: (bytes: Buffer): object =>
        request.toObject(request.decode(bytes), toObjectOptions),
      responseSerialize: (value: object) =>
        Buffer.from(response.encode(response.fromObject(value)).finish()),
      responseDeserialize: (bytes: Buffer): object =>
        response.toObject(response.decode(bytes), toObjectOptions),
      originalName: method.name,
    };
  }
  return definition;
}

export interface LoadedProtocol {
  readonly provider: grpc.ServiceDefinition;
  readonly controller: grpc.ServiceDefinition;
}

export function loadProtocol(): LoadedProtocol {
  const root = protocolRoot();
  return {
    provider: serviceDefinition(root, 'tfplugin6.Provider'),
    controller: serviceDefinition(root, 'plugin.GRPCController'),
  };
}
