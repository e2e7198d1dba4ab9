/**
 * terraform-provider-telform: started by Terraform (go-plugin), never by hand. Prints the
 * handshake line, serves tfplugin6 until GRPCController.Shutdown, ignores SIGINT (Terraform
 * sends StopProvider and in-flight applies must finish to be saved), and prints crashes behind
 * `panic: `, the prefix Terraform shows to the user.
 */
import { telformVersion } from '@telform/schemas/version';
import { traceRequested } from './diag/trace-requested.js';
import { loadProtocol } from './protocol/load-protocol.js';
import { magicCookieKey, magicCookieValue } from './handshake/handshake-line.js';
import { servePlugin } from './handshake/serve-plugin.js';
import { providerHandlers } from './server/provider-handlers.js';
import { ProviderServer } from './server/provider-server.js';

function panic(err: unknown): never {
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`panic: ${text}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  // The one thing a person may run it for; Terraform never passes arguments.
  if (process.argv[2] === '--version') {
    process.stdout.write(`terraform-provider-telform ${telformVersion}\n`);
    process.exit(0);
  }
  if (process.env[magicCookieKey] !== magicCookieValue) {
    process.stderr.write(
      'This binary is a plugin. These are not meant to be executed directly.\n' +
        'terraform-provider-telform is started by Terraform: run `telform provider install` and then `terraform init`.\n',
    );
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? '6').split(',');
  if (!versions.includes('6')) {
    process.stderr.write(
      `terraform-provider-telform speaks plugin protocol 6; this Terraform offers ${versions.join(',')}.\n`,
    );
    process.exit(1);
  }
  const clientCertPem = process.env.PLUGIN_CLIENT_CERT;
  if (!clientCertPem) {
    process.stderr.write(
      'PLUGIN_CLIENT_CERT is not set: this Terraform does not use AutoMTLS, which telform requires.\n',
    );
    process.exit(1);
  }
  // Anything on stdout before the handshake line breaks the handshake; nothing else goes there.
  console.log = console.error;
  process.on('SIGINT', () => {});
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const { provider, controller } = loadProtocol();
  const server = new ProviderServer();
  const grpcServer = await servePlugin({
    clientCertPem,
    provider,
    controller,
    handlers: providerHandlers(server, log, traceRequested(process.env)),
    announce: (line) => process.stdout.write(line),
    onShutdown: () => {
      // Let the Shutdown answer reach Terraform, then go; never linger past half a second.
      setTimeout(() => process.exit(0), 500).unref();
      grpcServer.tryShutdown(() => process.exit(0));
    },
  });
}

process.on('uncaughtException', panic);
process.on('unhandledRejection', panic);
main().catch(panic);
