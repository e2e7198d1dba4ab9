import type { ColumnDef } from '@tanstack/table-core';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { getJson, query, type Session } from '../api.js';
import { auditApiParams, auditFilterKeys } from '../audit-filters.js';
import { DataTable } from '../data-table.js';
import { setParams } from '../location.js';
import { useApi } from '../use-api.js';
import { Async, formatTime, NotPermitted, resourceHref } from '../widgets.js';
import { AuditFilters } from './audit-filters-form.js';
import { ChainStatus } from './chain-status.js';
import { NewEventsNotice } from './new-events-notice.js';

/** One event as `/v1/audit` returns it. */
export interface AuditEvent {
  readonly seq: string;
  readonly time: string;
  readonly event: string;
  readonly access: string;
  readonly resource: string | null;
  readonly account_id: string | null;
  readonly actor: string;
  readonly outcome: string;
  readonly ip: string | null;
  readonly request_id: string | null;
  readonly change: Record<string, unknown> | null;
  readonly prev_hash: string;
  readonly hash: string;
}

interface AuditPage {
  readonly items: AuditEvent[];
  readonly next_cursor: string | null;
}

const PAGE = 100;

function CopyButton(props: { readonly event: AuditEvent }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      class="small"
      aria-label={`Copy event ${props.event.seq} as JSON`}
      onClick={async () => {
        await navigator.clipboard.writeText(JSON.stringify(props.event, null, 2));
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      }}
    >
      {copied ? 'Copied' : 'Copy JSON'}
    </button>
  );
}

const columns: ColumnDef<AuditEvent, unknown>[] = [
  {
    id: 'time',
    header: 'Time',
    accessorKey: 'time',
    cell: (c) => formatTime(String(c.getValue())),
  },
  { id: 'event', header: 'Event', accessorKey: 'event' },
  { id: 'access', header: 'Access', accessorKey: 'access' },
  {
    id: 'resource',
    header: 'Resource',
    accessorFn: (e) => e.resource ?? '',
    cell: (c) => {
      const resource = String(c.getValue());
      const href = resource ? resourceHref(resource) : null;
      return href ? <a href={href}>{resource}</a> : resource || '—';
    },
  },
  { id: 'actor', header: 'Actor', accessorKey: 'actor' },
  {
    id: 'outcome',
    header: 'Outcome',
    accessorKey: 'outcome',
    cell: (c) => <span class={`badge ${String(c.getValue())}`}>{String(c.getValue())}</span>,
  },
  { id: 'ip', header: 'IP', accessorFn: (e) => e.ip ?? '' },
  {
    id: 'copy',
    header: 'Copy',
    enableSorting: false,
    cell: (c) => <CopyButton event={c.row.original} />,
  },
];

/**
 * The audit trail with the vendor consoles' per-column filters. The first page is fetched for
 * the filters in the address; "Load older" follows `next_cursor` (a keyset on seq), so events
 * that arrive meanwhile never shift or repeat the rows already shown.
 */
export function AuditPage(props: { readonly session: Session; readonly params: URLSearchParams }) {
  const { session, params } = props;
  const filterKey = auditFilterKeys.map((k) => `${k}=${params.get(k) ?? ''}`).join('&');
  // Resolved once per filter change: "last 15 minutes" means the 15 minutes before the change.
  // "Show new events" fetches the first page again (and resolves a relative range anew).
  const [version, setVersion] = useState(0);
  const apiQuery = useMemo(() => auditApiParams(params, new Date()), [filterKey, version]);
  const first = useApi<AuditPage>(
    session.actions.includes('audit:read')
      ? `/v1/audit${query({ ...apiQuery, limit: String(PAGE) })}`
      : null,
    version,
  );
  const [more, setMore] = useState<{ items: AuditEvent[]; next: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // A failed "Load older" says why and leaves the button to try again (it said nothing before).
  const [moreError, setMoreError] = useState<string | null>(null);
  useEffect(() => {
    setMore(null);
    setMoreError(null);
  }, [filterKey, version]);

  if (!session.actions.includes('audit:read'))
    return <NotPermitted role={session.role} what="the audit trail" />;
  const exportHref = `/v1/audit${query({ ...apiQuery, format: 'ndjson' })}`;
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit</h1>
      <ChainStatus />
      <AuditFilters
        params={params}
        onChange={setParams}
        seenEvents={first.state === 'ready' ? first.data.items.map((e) => e.event) : []}
      />
      <p class="actions">
        <a class="button" href={exportHref} download="telform-audit.ndjson">
          Export NDJSON (filtered)
        </a>
      </p>
      <Async loaded={first} what="audit events">
        {(page) => {
          const items = more ? [...page.items, ...more.items] : page.items;
          const next = more ? more.next : page.next_cursor;
          return (
            <>
              <NewEventsNotice
                apiQuery={apiQuery}
                newestSeq={page.items[0]?.seq}
                onShow={() => setVersion((v) => v + 1)}
              />
              <p class="muted" role="status" data-testid="audit-count">
                {items.length} event{items.length === 1 ? '' : 's'} shown
                {next ? ', older ones available' : ''}
              </p>
              <DataTable
                rows={items}
                columns={columns}
                caption="Audit events, newest first"
                rowId={(e) => e.seq}
                empty="No event matches these filters."
              />
              {next && (
                <button
                  type="button"
                  disabled={loadingMore}
                  onClick={async () => {
                    setLoadingMore(true);
                    setMoreError(null);
                    try {
                      const older = await getJson<AuditPage>(
                        `/v1/audit${query({ ...apiQuery, limit: String(PAGE), cursor: next })}`,
                      );
                      setMore({
                        items: [...(more?.items ?? []), ...older.items],
                        next: older.next_cursor,
                      });
                    } catch (err) {
                      setMoreError((err as Error).message);
                    } finally {
                      setLoadingMore(false);
                    }
                  }}
                >
                  Load older events
                </button>
              )}
              {next && moreError !== null && (
                <p class="error" role="alert" data-testid="audit-more-error">
                  Could not load older events: {moreError}. Try again.
                </p>
              )}
            </>
          );
        }}
      </Async>
    </section>
  );
}
