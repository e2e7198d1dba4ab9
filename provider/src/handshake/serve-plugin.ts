/**
 * Serves the provider over gRPC with mutual TLS as go-plugin expects: our certificate is sent in
 * the handshake line, and only the client certificate Terraform passed in PLUGIN_CLIENT_CERT is
 * trusted. GRPCController.Shutdown is served, or Terraform waits 2 s per launch before killing.
 */
import * as grpc from '@grpc/grpc-js';
import { handshakeLine } from './handshake-line.js';
import { createSelfSignedCertificate } from './self-signed-certificate.js';

export interface ServeOptions {
  readonly clientCertPem: string;
  readonly provider: grpc.ServiceDefinition;
  readonly controller: grpc.ServiceDefinition;
  readonly handlers: grpc.UntypedServiceImplementation;
  /** Writes the handshake line (stdout in production). */
  readonly announce: (line: string) => void;
  readonly onShutdown: () => void;
}

export async function servePlugin(options: ServeOptions): Promise<grpc.Server> {
  const certificate = createSelfSignedCertificate();
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 256 * 1024 * 1024,
    'grpc.max_send_message_length': 256 * 1024 * 1024,
    // Channelz (per-call counters and listeners for gRPC's debugging service) is off: nobody can
    // query a plugin's, and a plan makes about four calls per resource.
    'grpc.enable_channelz': 0,
  });
  server.addService(options.provider, options.handlers);
  server.addService(options.controller, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      callback(null, {});
      setImmediate(options.onShutdown);
    },
  });
  const credentials = grpc.ServerCredentials.createSsl(
    Buffer.from(options.clientCertPem),
    [
      {
        private_key: Buffer.from(certificate.keyPem),
        cert_chain: Buffer.from(certificate.certPem),
      },
    ],
    true,
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', credentials, (err, bound) =>
      err ? reject(err) : resolve(bound),
    ),
  );
  options.announce(handshakeLine(port, certificate.der));
  return server;
}
