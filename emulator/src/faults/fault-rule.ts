import { errors } from '../errors/error-catalogue.js';

/**
 * One injected fault. It applies to requests whose path matches `route` (`*` matches any run of
 * characters; default every path), whose method matches `method`, and whose account (the
 * `{accountId}` of the path) is `account_id` (default any), with probability `rate`, at most
 * `count` times when given.
 */
export interface FaultRule {
  readonly id: string;
  readonly mode: 'throttle' | 'error' | 'latency' | 'drop';
  readonly account_id?: string;
  readonly route?: string;
  readonly method?: string;
  readonly rate: number;
  /** `error`: the status, 500-599 (default 503). */
  readonly status?: number;
  /** `throttle`: the Retry-After in seconds (default 1). */
  readonly retry_after_s?: number;
  /** `latency`: the delay added before the request is handled. */
  readonly latency_ms?: number;
  readonly count?: number;
  /** Makes the `rate` draws reproducible. */
  readonly seed?: number;
}

const modes = ['throttle', 'error', 'latency', 'drop'] as const;

/** Checks an admin request body; the error names the field and the rule. */
export function parseFaultRule(id: string, body: unknown): FaultRule {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const mode = b.mode;
  if (!modes.includes(mode as FaultRule['mode'])) {
    throw errors.invalid('mode', 'enum', `mode must be one of ${modes.join(', ')}`);
  }
  const num = (field: string, min: number, max: number, integer = true): number | undefined => {
    const v = b[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || (integer && !Number.isInteger(v)) || v < min || v > max) {
      throw errors.invalid(
        field,
        'range',
        `${field} must be a${integer ? 'n integer' : ' number'} from ${min} to ${max}`,
      );
    }
    return v;
  };
  const str = (field: string): string | undefined => {
    const v = b[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '')
      throw errors.invalid(field, 'type', `${field} must be a non-empty string`);
    return v;
  };
  const rule: FaultRule = {
    id,
    mode: mode as FaultRule['mode'],
    rate: num('rate', 0, 1, false) ?? 1,
  };
  const extra = {
    account_id: str('account_id'),
    route: str('route'),
    method: str('method')?.toUpperCase(),
    status: num('status', 500, 599),
    retry_after_s: num('retry_after_s', 0, 86_400),
    latency_ms: num('latency_ms', 0, 60_000),
    count: num('count', 1, 1_000_000),
    seed: num('seed', 0, 2 ** 32 - 1),
  };
  if (rule.mode === 'latency' && extra.latency_ms === undefined) {
    throw errors.invalid('latency_ms', 'required', 'latency_ms is required for mode latency');
  }
  return Object.fromEntries(
    Object.entries({ ...rule, ...extra }).filter(([, v]) => v !== undefined),
  ) as unknown as FaultRule;
}

export function routeMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(path);
}
