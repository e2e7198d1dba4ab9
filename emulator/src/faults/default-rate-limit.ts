import type { RateLimit } from './fault-injector.js';

/** The per-account request-rate limit when none is given. Its own module: the CLI's help shows it. */
export const defaultRateLimit: RateLimit = { requests_per_second: 100, burst: 200 };
