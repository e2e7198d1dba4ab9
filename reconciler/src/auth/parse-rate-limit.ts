const WINDOW_UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000 };
const MAX_WINDOW_MS = 86_400_000;

/** A request budget per token: at most `max` requests in any `timeWindowMs`. */
export interface RateLimit {
  readonly max: number;
  readonly timeWindowMs: number;
}

/**
 * `<requests>/<window>` as `--rate-limit` and TELFORM_RATE_LIMIT take it: `6000/1m`, `100/10s`,
 * `50000/h` (a window without a number is one unit). Throws an error naming `source` and the
 * broken rule; `source` is the flag and variable, such as `--rate-limit / TELFORM_RATE_LIMIT`.
 */
export function parseRateLimit(text: string, source: string): RateLimit {
  const match = /^(\d{1,9})\/(\d{0,6})([smh])$/.exec(text.trim());
  if (!match) {
    throw new Error(
      `${source}: format: expected <requests>/<window> such as 6000/1m or 100/10s (window in s, m or h), got "${text}"`,
    );
  }
  const max = Number(match[1]);
  const timeWindowMs = Number(match[2] === '' ? 1 : match[2]) * WINDOW_UNITS[match[3]!]!;
  if (max < 1) throw new Error(`${source}: minimum: requests must be at least 1, got "${text}"`);
  if (timeWindowMs < 1_000 || timeWindowMs > MAX_WINDOW_MS) {
    throw new Error(`${source}: range: the window must be between 1s and 24h, got "${text}"`);
  }
  return { max, timeWindowMs };
}
