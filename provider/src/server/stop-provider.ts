import type { ProviderServer } from './provider-server.js';

/** Terraform was interrupted: waits in progress end now and report it, applies already sent stay. */
export function stopProvider(server: ProviderServer): object {
  server.stop.abort();
  return { Error: '' };
}
