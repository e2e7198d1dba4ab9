import { errors } from '../errors/error-catalogue.js';
import { parseLimit } from '../http/request-context.js';

/**
 * The filters every history page of the consoles offers: a date range and the search bar.
 * Times are inclusive; a date alone means the whole day (UTC) for `until` and its start for
 * `since`, as a date picker means it.
 */
export interface HistoryFilter {
  readonly since?: string;
  readonly until?: string;
  /** Case-insensitive text that one of the entry's columns must contain. */
  readonly search?: string;
  readonly limit: number;
}

/** The query parameters of {@link HistoryFilter}, for route schemas. */
export const historyFilterQuery = {
  since: {
    type: 'string',
    description: 'Only entries at or after this ISO 8601 time (or date).',
  },
  until: {
    type: 'string',
    description: 'Only entries at or before this ISO 8601 time (a date alone: to its end).',
  },
  search: {
    type: 'string',
    description: 'Case-insensitive text that one of the columns contains (at most 200 characters).',
  },
  limit: { type: 'string', description: 'At most this many entries, 1-1000 (default 100).' },
} as const;

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const DAY_MS = 86_400_000;
const MAX_SEARCH = 200;

/** Checks the query; a bad value is a 400 naming the parameter and the rule. */
export function parseHistoryFilter(q: Readonly<Record<string, string | undefined>>): HistoryFilter {
  const since = time(q.since, 'since', 0);
  const until = time(q.until, 'until', DAY_MS - 1);
  if (since !== undefined && until !== undefined && Date.parse(since) > Date.parse(until)) {
    throw errors.badRequest('since must not be after until', 'since', 'not_after_until');
  }
  const search = q.search?.trim();
  if (search !== undefined && search.length > MAX_SEARCH) {
    throw errors.badRequest(`search is at most ${MAX_SEARCH} characters`, 'search', 'max_length');
  }
  return {
    ...(since !== undefined ? { since } : {}),
    ...(until !== undefined ? { until } : {}),
    ...(search ? { search } : {}),
    limit: parseLimit(q.limit, 1000),
  };
}

/** True when the filter's search text is absent or one of the columns contains it. */
export function searchMatches(filter: HistoryFilter, columns: readonly unknown[]): boolean {
  if (filter.search === undefined) return true;
  const needle = filter.search.toLowerCase();
  return columns.some(
    (c) => c !== undefined && c !== null && String(c).toLowerCase().includes(needle),
  );
}

// A date alone is the start of that day (UTC), plus `dateOnlyOffsetMs` (the end, for `until`).
function time(
  raw: string | undefined,
  field: string,
  dateOnlyOffsetMs: number,
): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (!ISO.test(raw) || Number.isNaN(ms)) {
    throw errors.badRequest(
      `${field} must be an ISO 8601 date or date-time, such as 2026-11-01T00:00:00Z`,
      field,
      'date_time',
    );
  }
  return new Date(raw.includes('T') ? ms : ms + dateOnlyOffsetMs).toISOString();
}
