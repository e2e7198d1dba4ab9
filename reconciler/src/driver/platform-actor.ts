import { AsyncLocalStorage } from 'node:async_hooks';

/** The name the daemon's own work (reconcile, scans, jobs) carries to the platform. */
export const daemonActor = 'telform';

const current = new AsyncLocalStorage<string>();

/**
 * Runs `fn` with `actor` (an authenticated principal's name, such as a token name; never a
 * secret) as the person behind every platform call made inside it: the HTTP driver sends it as
 * `X-Telform-Actor`, and the platform shows it in its deletion history and seat log.
 */
export function asPlatformActor<T>(actor: string, fn: () => T): T {
  return current.run(actor, fn);
}

/** The actor of the calls being made now; `telform` outside {@link asPlatformActor}. */
export function platformActor(): string {
  return current.getStore() ?? daemonActor;
}
