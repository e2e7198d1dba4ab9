/**
 * What the daemon's parts log through: pino's `(fields, message)` at each level. The daemon
 * hands every part the API's pino logger (services.ts), so every line honours TELFORM_LOG_LEVEL
 * and passes the one redaction (secrets/log-redaction.ts).
 *
 * Contract for callers: `fields` carry ids, kinds, counts, statuses, paths and durations; never a
 * request or response body, a header, or an attribute value (redaction is the second line of
 * defence, not the first). Levels:
 * - error: a part failed and an operator should look (a job run failed, claims failing);
 * - warn: degraded, recovers on its own (an idle database connection dropped);
 * - info: lifecycle, and fastify's one line per API request;
 * - debug: one line per decision: a reconcile's action and outcome, a platform call, a job run,
 *   an account's drift scan;
 * - trace: the platform exchange's request and response summaries, claims, leases and locks.
 */
export interface DaemonLog {
  error(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
  debug(fields: object, message: string): void;
  trace(fields: object, message: string): void;
}

const drop = (): void => {};

/** The default of every part that takes a log: nothing is written. */
export const silentLog: DaemonLog = {
  error: drop,
  warn: drop,
  info: drop,
  debug: drop,
  trace: drop,
};
