import { PlatformError } from '../driver/platform-driver.js';
import { ProblemError } from './problem.js';

/**
 * A platform failure as the API answers it: `not_found` and `forbidden` as themselves,
 * anything else as `platform_unavailable` (502) with the platform's Retry-After passed on.
 * Errors that are not PlatformErrors are returned unchanged.
 */
export function platformProblem(err: unknown): unknown {
  if (!(err instanceof PlatformError)) return err;
  const code =
    err.reason === 'not_found' || err.reason === 'forbidden' ? err.reason : 'platform_unavailable';
  const retry = err.details.retryAfterMs;
  const headers: Record<string, string> =
    retry === undefined ? {} : { 'retry-after': String(Math.ceil(retry / 1000)) };
  return new ProblemError(code, `the platform answered: ${err.message}`, undefined, headers);
}
