/**
 * The provider process as go-plugin starts it: refuses to run without the magic cookie, prints
 * the handshake line, serves tfplugin6 over mutual TLS, ignores SIGINT, and exits on
 * GRPCController.Shutdown.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { magicCookieKey, magicCookieValue } from '../../src/handshake/handshake-line.js';
import { createSelfSignedCertificate } from '../../src/handshake/self-signed-certificate.js';
import { loadProtocol } from '../../src/protocol/load-protocol.js';

const main = join(resolve(fileURLToPath(import.meta.url), '..', '..', '..'), 'src', 'main.ts');
const started: ChildProcessWithoutNullStreams[] = [];

function startProvider(env: Record<string, string>): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, ...env },
  });
  started.push(child);
  return child;
}

const exited = (child: ChildProcessWithoutNullStreams) =>
  new Promise<number | null>((done) =>
    child.exitCode !== null ? done(child.exitCode) : child.once('exit', (code) => done(code)),
  );

function firstLine(child: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) done(text.split('\n')[0]!);
    });
    child.once('exit', (code) =>
      fail(new Error(`provider exited with ${code} before the handshake`)),
    );
  });
}

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('the provider process', () => {
  it('refuses to run without the magic cookie, saying it is a plugin', async () => {
    const child = startProvider({ [magicCookieKey]: '' });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    expect(await exited(child)).toBe(1);
    expect(stderr).toContain('This binary is a plugin');
    expect(stdout).toBe('');
  });

  it('handshakes, serves the schema over mutual TLS, ignores SIGINT, and exits on Shutdown', async () => {
    const client = createSelfSignedCertificate();
    const child = startProvider({
      [magicCookieKey]: magicCookieValue,
      PLUGIN_CLIENT_CERT: client.certPem,
      PLUGIN_PROTOCOL_VERSIONS: '5,6',
    });
    const line = await firstLine(child);
    const match = /^1\|6\|tcp\|127\.0\.0\.1:(\d+)\|grpc\|([A-Za-z0-9+/]+)$/.exec(line);
    expect(match, line).not.toBeNull();
    const serverPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(match![2]!, 'base64').toString('base64')}\n-----END CERTIFICATE-----\n`;

    const { provider, controller } = loadProtocol();
    const credentials = grpc.credentials.createSsl(
      Buffer.from(serverPem),
      Buffer.from(client.keyPem),
      Buffer.from(client.certPem),
    );
    const options = { 'grpc.ssl_target_name_override': 'localhost' };
    const Provider = grpc.makeGenericClientConstructor(provider, 'Provider');
    const Controller = grpc.makeGenericClientConstructor(controller, 'GRPCController');
    const address = `127.0.0.1:${match![1]}`;
    const providerClient = new Provider(address, credentials, options);
    const call = <T>(target: grpc.Client, method: string, request: object) =>
      new Promise<T>((done, fail) =>
        (
          target as unknown as Record<
            string,
            (r: object, cb: (e: Error | null, v: T) => void) => void
          >
        )[method]!(request, (e, v) => (e ? fail(e) : done(v))),
      );

    const schema = await call<{
      resource_schemas: Record<string, unknown>;
      server_capabilities: { get_provider_schema_optional: boolean };
    }>(providerClient, 'GetProviderSchema', {});
    expect(Object.keys(schema.resource_schemas)).toContain('telform_user');
    expect(schema.server_capabilities.get_provider_schema_optional).toBe(true);

    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode, 'SIGINT must not end the provider').toBeNull();

    // A client without Terraform's certificate is refused.
    const stranger = createSelfSignedCertificate();
    const strangerClient = new Provider(
      address,
      grpc.credentials.createSsl(
        Buffer.from(serverPem),
        Buffer.from(stranger.keyPem),
        Buffer.from(stranger.certPem),
      ),
      options,
    );
    await expect(call(strangerClient, 'GetProviderSchema', {})).rejects.toThrow();
    strangerClient.close();

    await call(new Controller(address, credentials, options), 'Shutdown', {});
    providerClient.close();
    expect(await exited(child)).toBe(0);
  }, 30_000);
});
