// The audit page's ready-made time ranges, as the vendor consoles offer them. A range is kept
// in the address by name (`range=today`), so a shared link means the same period for whoever
// opens it, resolved against their clock at the time the rows are fetched.

export const timeRanges = {
  last_15m: 'Last 15 minutes',
  last_3h: 'Last 3 hours',
  today: 'Today',
  yesterday: 'Yesterday',
  this_week: 'This week',
  last_week: 'Last week',
} as const;

export type TimeRange = keyof typeof timeRanges;

export function isTimeRange(value: string | null | undefined): value is TimeRange {
  return value != null && Object.hasOwn(timeRanges, value);
}

/** Local midnight at the start of `d`'s day. */
function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

/** Monday 00:00 of `d`'s week (ISO 8601 weeks begin on Monday). */
function startOfWeek(d: Date): Date {
  const day = startOfDay(d);
  return addDays(day, -((day.getDay() + 6) % 7));
}

/**
 * `[from, to)` of a named range at `now`, in the viewer's time zone. Ranges that end now
 * have no `to` (events that arrive meanwhile belong to them).
 */
export function resolveTimeRange(range: TimeRange, now: Date): { from: Date; to?: Date } {
  switch (range) {
    case 'last_15m':
      return { from: new Date(now.getTime() - 15 * 60_000) };
    case 'last_3h':
      return { from: new Date(now.getTime() - 3 * 3_600_000) };
    case 'today':
      return { from: startOfDay(now) };
    case 'yesterday':
      return { from: addDays(startOfDay(now), -1), to: startOfDay(now) };
    case 'this_week':
      return { from: startOfWeek(now) };
    case 'last_week':
      return { from: addDays(startOfWeek(now), -7), to: startOfWeek(now) };
  }
}
