import { isTimeRange, resolveTimeRange } from './time-ranges.js';

/** The audit page's filters as they stand in the address (`/ui/audit?...`). */
export const auditFilterKeys = [
  'range',
  'from',
  'to',
  'event',
  'access',
  'resource',
  'actor',
  'outcome',
  'ip',
] as const;

/**
 * The `/v1/audit` query for the page's filters: a named range becomes `from`/`to` at `now`;
 * datetime-local values (the viewer's time) become ISO instants. Unknown values are dropped,
 * so a hand-edited address never turns into a 400.
 */
export function auditApiParams(params: URLSearchParams, now: Date): Record<string, string> {
  const out: Record<string, string> = {};
  const range = params.get('range');
  if (isTimeRange(range)) {
    const r = resolveTimeRange(range, now);
    out.from = r.from.toISOString();
    if (r.to) out.to = r.to.toISOString();
  } else {
    for (const key of ['from', 'to'] as const) {
      const value = params.get(key);
      const time = value ? new Date(value) : undefined;
      if (time && !Number.isNaN(time.getTime())) out[key] = time.toISOString();
    }
  }
  const event = params.get('event');
  if (event && /^[a-z0-9_.*]+(,[a-z0-9_.*]+)*$/.test(event)) out.event = event;
  const access = params.get('access');
  if (access === 'read' || access === 'write') out.access = access;
  const outcome = params.get('outcome');
  if (outcome === 'success' || outcome === 'failure' || outcome === 'denied') out.outcome = outcome;
  for (const key of ['resource', 'actor', 'ip'] as const) {
    const value = params.get(key)?.trim();
    if (value) out[key] = value;
  }
  return out;
}
