import { useEffect, useState } from 'preact/hooks';
import { getJson, isOwnRequest, query } from '../api.js';
import type { AuditEvent } from './audit-page.js';

/** How often the page asks whether newer events match its filters. */
const POLL_MS = 5000;
const PEEK = 100;

/**
 * Says when events newer than the rows shown have arrived for the same filters, and offers to
 * show them; the rows shown (and "Load older" paging) never move until asked. The console's
 * own reads of the trail (audited like any read) are not counted as news.
 */
export function NewEventsNotice(props: {
  readonly apiQuery: Readonly<Record<string, string | undefined>>;
  /** seq of the newest row shown; undefined: none shown. */
  readonly newestSeq: string | undefined;
  readonly onShow: () => void;
}) {
  const [count, setCount] = useState(0);
  const key = JSON.stringify(props.apiQuery);
  useEffect(() => {
    setCount(0);
    let stopped = false;
    const peek = async () => {
      try {
        const page = await getJson<{ items: AuditEvent[] }>(
          `/v1/audit${query({ ...props.apiQuery, limit: String(PEEK) })}`,
        );
        const newest = props.newestSeq === undefined ? -1n : BigInt(props.newestSeq);
        const fresh = page.items.filter(
          (e) => BigInt(e.seq) > newest && !isOwnRequest(e.request_id),
        );
        if (!stopped) setCount(fresh.length);
      } catch {
        // A failed peek changes nothing shown; the next one tries again.
      }
    };
    const timer = setInterval(() => void peek(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [key, props.newestSeq]);
  if (count === 0) return <div role="status" aria-live="polite" class="new-events" />;
  return (
    <div role="status" aria-live="polite" class="new-events notice" data-testid="new-events">
      {count >= PEEK ? `${PEEK}+` : count} new event{count === 1 ? '' : 's'} since this list was
      loaded.{' '}
      <button type="button" onClick={props.onShow}>
        Show new events
      </button>
    </div>
  );
}
