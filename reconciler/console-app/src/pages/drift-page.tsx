import type { ColumnDef } from '@tanstack/table-core';
import { useMemo } from 'preact/hooks';
import { query, type Session } from '../api.js';
import { Chart } from '../chart.js';
import { DataTable } from '../data-table.js';
import { setParams } from '../location.js';
import { useApi } from '../use-api.js';
import { Async, formatTime, NotPermitted } from '../widgets.js';
import type { AccountsPage } from './accounts-page.js';
import {
  FieldsTable,
  PlatformChangeCell,
  type DriftRecord,
  type DriftReport,
} from './drift-widgets.js';

const columns: ColumnDef<DriftRecord, unknown>[] = [
  {
    id: 'resource',
    header: 'Resource',
    accessorKey: 'resource_id',
    cell: (c) => {
      const r = c.row.original;
      return (
        <a href={`/ui/resource?kind=${r.kind}&id=${encodeURIComponent(r.resource_id)}`}>
          {r.kind}/{r.resource_id}
        </a>
      );
    },
  },
  { id: 'account', header: 'Account', accessorKey: 'account_id' },
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
  { id: 'action', header: 'Action', accessorKey: 'action' },
  {
    id: 'first_seen',
    header: 'First seen',
    accessorKey: 'first_seen_at',
    cell: (c) => formatTime(String(c.getValue())),
  },
  {
    id: 'last_seen',
    header: 'Last seen',
    accessorKey: 'last_seen_at',
    cell: (c) => formatTime(String(c.getValue())),
  },
  {
    id: 'resolved',
    header: 'Resolved',
    accessorFn: (r) => r.resolved_at ?? '',
    cell: (c) => formatTime(c.row.original.resolved_at),
  },
];

function DriftChart(props: { readonly accountId: string | undefined }) {
  const history = useApi<{ points: { at: string; open: number }[] }>(
    `/v1/drift/history${query({ account_id: props.accountId, days: '30' })}`,
  );
  return (
    <Async loaded={history} what="drift history">
      {(h) => <DriftHistoryChart points={h.points} />}
    </Async>
  );
}

function DriftHistoryChart(props: { readonly points: readonly { at: string; open: number }[] }) {
  const data = useMemo(
    () =>
      [props.points.map((p) => Date.parse(p.at) / 1000), props.points.map((p) => p.open)] as [
        number[],
        number[],
      ],
    [props.points],
  );
  const options = useMemo(
    () => ({
      scales: {
        x: { time: true },
        y: {
          range: (_u: unknown, _min: number, max: number) =>
            [0, Math.max(1, max)] as [number, number],
        },
      },
      series: [
        {},
        { label: 'Open drift', stroke: '#b45309', fill: 'rgba(180,83,9,0.15)', width: 2 },
      ],
      axes: [{}, { label: 'open records' }],
    }),
    [],
  );
  const last = props.points.at(-1)?.open ?? 0;
  return (
    <Chart
      title="Open drift, last 30 days"
      summary={`${last} open now`}
      data={data}
      options={options}
    />
  );
}

/** Drift records with per-field desired and actual values side by side, filters, downloads. */
export function DriftPage(props: { readonly session: Session; readonly params: URLSearchParams }) {
  const { session, params } = props;
  const filters = {
    account_id: params.get('account') ?? undefined,
    kind: params.get('kind') ?? undefined,
    state: params.get('state') ?? 'open',
  };
  const allowed = session.actions.includes('drift:read');
  const report = useApi<DriftReport>(
    allowed ? `/v1/drift${query({ ...filters, limit: '500' })}` : null,
  );
  const accounts = useApi<AccountsPage>(
    session.actions.includes('status:read') ? '/v1/accounts?limit=200' : null,
  );
  if (!allowed) return <NotPermitted role={session.role} what="drift" />;
  const download = (format: string) => `/v1/drift${query({ ...filters, format })}`;
  return (
    <section aria-labelledby="drift-title">
      <h1 id="drift-title">Drift</h1>
      <DriftChart accountId={filters.account_id} />
      <form class="filters" aria-label="Drift filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Account
          <select
            name="account"
            value={filters.account_id ?? ''}
            onChange={(e) => setParams({ account: e.currentTarget.value || undefined })}
          >
            <option value="">All visible accounts</option>
            {accounts.state === 'ready' &&
              accounts.data.items.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name ?? a.id}
                </option>
              ))}
          </select>
        </label>
        <label>
          Kind
          <input
            type="search"
            name="kind"
            placeholder="user, seat, …"
            key={filters.kind ?? ''}
            defaultValue={filters.kind ?? ''}
            onChange={(e) => setParams({ kind: e.currentTarget.value.trim() || undefined })}
          />
        </label>
        <label>
          State
          <select
            name="state"
            value={filters.state}
            onChange={(e) => setParams({ state: e.currentTarget.value })}
          >
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="all">All</option>
          </select>
        </label>
      </form>
      <p class="actions">
        Download:{' '}
        <a class="button" href={download('csv')} download="telform-drift.csv">
          CSV
        </a>{' '}
        <a class="button" href={download('json')} download="telform-drift.json">
          JSON
        </a>{' '}
        <a class="button" href={download('markdown')} download="telform-drift.md">
          Markdown
        </a>
      </p>
      <Async loaded={report} what="drift">
        {(r) => (
          <>
            <p class="muted" role="status">
              {r.summary.open} open, {r.summary.resolved} resolved, {r.summary.unmanaged} unmanaged
            </p>
            <DataTable
              rows={r.records}
              columns={columns}
              caption="Drift records"
              rowId={(d) => d.id}
              empty="No drift matches these filters."
            />
          </>
        )}
      </Async>
    </section>
  );
}
