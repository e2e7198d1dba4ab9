import type { ColumnDef } from '@tanstack/table-core';
import { query, type Session } from '../api.js';
import { DataTable } from '../data-table.js';
import { useApi } from '../use-api.js';
import { Async, formatTime, NotPermitted } from '../widgets.js';
import type { AuditEvent } from './audit-page.js';
import {
  FieldsTable,
  PlatformChangeCell,
  type DriftRecord,
  type DriftReport,
} from './drift-widgets.js';

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly message: string;
  readonly field: string | null;
  readonly last_transition_time: string;
}

interface ResourceView {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
  readonly generation: number;
  readonly spec?: Record<string, unknown>;
  readonly secrets_set?: string[];
  readonly status: {
    readonly applied_generation: number;
    readonly external_id: string | null;
    readonly observed: Record<string, unknown> | null;
    readonly conditions: Condition[];
    readonly last_reconciled_at: string | null;
  };
}

const conditionColumns: ColumnDef<Condition, unknown>[] = [
  { id: 'type', header: 'Condition', accessorKey: 'type' },
  { id: 'status', header: 'Status', accessorKey: 'status' },
  { id: 'reason', header: 'Reason', accessorKey: 'reason' },
  {
    id: 'message',
    header: 'Message',
    accessorFn: (c) => c.message || (c.field ? `field ${c.field}` : ''),
  },
  {
    id: 'since',
    header: 'Since',
    accessorKey: 'last_transition_time',
    cell: (c) => formatTime(String(c.getValue())),
  },
];

const historyColumns: ColumnDef<AuditEvent, unknown>[] = [
  {
    id: 'time',
    header: 'Time',
    accessorKey: 'time',
    cell: (c) => formatTime(String(c.getValue())),
  },
  { id: 'event', header: 'Event', accessorKey: 'event' },
  { id: 'actor', header: 'Actor', accessorKey: 'actor' },
  { id: 'outcome', header: 'Outcome', accessorKey: 'outcome' },
  { id: 'ip', header: 'IP', accessorFn: (e) => e.ip ?? '' },
];

const driftColumns: ColumnDef<DriftRecord, unknown>[] = [
  {
    id: 'fields',
    header: 'Desired vs actual',
    enableSorting: false,
    cell: (c) => <FieldsTable fields={c.row.original.fields} />,
  },
  {
    id: 'changed_by',
    header: 'Changed on the platform by',
    accessorFn: (r) => r.platform_change?.actor ?? '',
    cell: (c) => <PlatformChangeCell change={c.row.original.platform_change} />,
  },
  { id: 'state', header: 'State', accessorKey: 'state' },
  {
    id: 'first_seen',
    header: 'First seen',
    accessorKey: 'first_seen_at',
    cell: (c) => formatTime(String(c.getValue())),
  },
  {
    id: 'resolved',
    header: 'Resolved',
    accessorFn: (r) => r.resolved_at ?? '',
    cell: (c) => formatTime(c.row.original.resolved_at),
  },
];

/**
 * This resource's drift records, open and resolved. The report filters by account and kind;
 * the records of this one resource are picked from that answer.
 */
function ResourceDrift(props: {
  readonly kind: string;
  readonly id: string;
  readonly accountId: string;
}) {
  const report = useApi<DriftReport>(
    `/v1/drift${query({ account_id: props.accountId, kind: props.kind, state: 'all', limit: '10000' })}`,
  );
  return (
    <Async loaded={report} what="drift">
      {(r) => (
        <DataTable
          rows={r.records.filter((d) => d.resource_id === props.id)}
          columns={driftColumns}
          caption="Drift records of this resource"
          rowId={(d) => d.id}
          empty="No drift recorded for this resource."
        />
      )}
    </Async>
  );
}

function Json(props: { readonly label: string; readonly value: unknown }) {
  return (
    <section class="json">
      <h2>{props.label}</h2>
      <pre tabIndex={0}>{JSON.stringify(props.value, null, 2)}</pre>
    </section>
  );
}

/**
 * One resource: its spec (roles with resources:read; others see status only, as the API
 * answers them), the values observed on the platform, its conditions and its audit history.
 */
export function ResourcePage(props: {
  readonly session: Session;
  readonly params: URLSearchParams;
}) {
  const { session, params } = props;
  const kind = params.get('kind') ?? '';
  const id = params.get('id') ?? '';
  const valid = /^[a-z][a-z0-9_]*$/.test(kind) && /^[A-Za-z0-9_-]+$/.test(id);
  const withSpec = session.actions.includes('resources:read');
  const path = `/v1/resources/${kind}/${encodeURIComponent(id)}${withSpec ? '' : '/status'}`;
  const resource = useApi<ResourceView>(
    valid && (withSpec || session.actions.includes('status:read')) ? path : null,
  );
  const history = useApi<{ items: AuditEvent[] }>(
    valid && session.actions.includes('audit:read')
      ? `/v1/audit${query({ resource: `${kind}/${id}`, limit: '100' })}`
      : null,
  );
  if (!valid)
    return (
      <p class="error" role="alert">
        Open a resource from the Accounts, Drift or Audit page.
      </p>
    );
  return (
    <section aria-labelledby="resource-title">
      <h1 id="resource-title">
        {kind}/{id}
      </h1>
      <Async loaded={resource} what="the resource">
        {(r) => (
          <>
            <p class="muted">
              generation {r.generation}, applied {r.status.applied_generation}; platform id{' '}
              {r.status.external_id ?? '—'}; last reconciled{' '}
              {formatTime(r.status.last_reconciled_at)}
              {r.account_id ? `; account ${r.account_id}` : ''}
            </p>
            <h2>Conditions</h2>
            <DataTable
              rows={r.status.conditions}
              columns={conditionColumns}
              caption="Conditions"
              rowId={(c) => c.type}
            />
            <div class="side-by-side">
              {r.spec ? (
                <Json label="Spec (desired)" value={r.spec} />
              ) : (
                <section class="json">
                  <h2>Spec (desired)</h2>
                  <NotPermitted role={session.role} what="desired specs" />
                </section>
              )}
              <Json label="Observed (platform)" value={r.status.observed} />
            </div>
            <h2>Drift</h2>
            {!session.actions.includes('drift:read') ? (
              <NotPermitted role={session.role} what="drift" />
            ) : r.account_id || r.kind === 'account' ? (
              <ResourceDrift kind={kind} id={id} accountId={r.account_id ?? id} />
            ) : null}
          </>
        )}
      </Async>
      <h2>Audit history</h2>
      {session.actions.includes('audit:read') ? (
        <Async loaded={history} what="audit history">
          {(h) => (
            <DataTable
              rows={h.items}
              columns={historyColumns}
              caption="Audit history of this resource"
              rowId={(e) => e.seq}
              empty="No event names this resource."
            />
          )}
        </Async>
      ) : (
        <NotPermitted role={session.role} what="the audit trail" />
      )}
    </section>
  );
}
