import { logRedaction } from '../secrets/log-redaction.js';

/** The levels TELFORM_LOG_LEVEL accepts, most quiet first (pino's names). */
const logLevels = ['silent', 'fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
type LogLevel = (typeof logLevels)[number];

/** pino options of the daemon's one logger: what `serve` starts it with. */
interface DaemonLoggerOptions {
  readonly level: LogLevel;
  readonly redact: ReturnType<typeof logRedaction>;
}

/**
 * The daemon's logger from TELFORM_LOG_LEVEL (default info; any case). The level alone would drop
 * the redaction of secrets, so both always come together. Throws, naming the variable and the
 * allowed values, for anything else: a typo must not silently log at info.
 */
export function daemonLogger(
  env: Readonly<Record<string, string | undefined>> = process.env,
): DaemonLoggerOptions {
  const raw = env.TELFORM_LOG_LEVEL;
  const level = raw === undefined || raw.trim() === '' ? 'info' : raw.trim().toLowerCase();
  if (!(logLevels as readonly string[]).includes(level)) {
    throw new Error(
      `TELFORM_LOG_LEVEL: must be one of ${logLevels.join(', ')}; got "${raw ?? ''}"`,
    );
  }
  return { level: level as LogLevel, redact: logRedaction() };
}
