import type { ColumnDef } from '@tanstack/table-core';
import { useMemo } from 'preact/hooks';
import uPlot from 'uplot';
import type { Session } from '../api.js';
import { Chart } from '../chart.js';
import { DataTable } from '../data-table.js';
import { useApi } from '../use-api.js';
import { Async, formatTime, NotPermitted } from '../widgets.js';
import { ChainStatus } from './chain-status.js';

type Seats =
  | {
      readonly purchased: number;
      readonly assigned: number;
      readonly remaining: number;
      readonly seat_limit: number | null;
      /** Seats the account can use: its seat limit, else the seats purchased. */
      readonly capacity: number;
      readonly usage_percent: number;
      readonly warning_threshold_percent: number;
      readonly warning_active: boolean;
    }
  | { readonly error: string };

export interface AccountRow {
  readonly id: string;
  readonly kind: 'account' | 'sub_account';
  readonly parent_id: string | null;
  readonly name: string | null;
  readonly on_platform: boolean;
  readonly open_drift: number;
  readonly unmanaged: number;
  readonly last_scan: { finished_at: string | null; outcome: string | null } | null;
  readonly seats: Seats | null;
}

export interface AccountsPage {
  readonly items: AccountRow[];
  readonly next_cursor: string | null;
}

const seatsOf = (a: AccountRow) => (a.seats && !('error' in a.seats) ? a.seats : null);

function SeatCell(props: { readonly account: AccountRow }) {
  const { seats } = props.account;
  if (seats === null) return <span class="muted">not on the platform</span>;
  if ('error' in seats) return <span class="error">{seats.error}</span>;
  return (
    <span>
      {seats.purchased} / {seats.assigned} / {seats.remaining}{' '}
      {seats.warning_active ? (
        <span class="badge warning" title={`warning at ${seats.warning_threshold_percent}% used`}>
          {seats.usage_percent.toFixed(0)}% ≥ {seats.warning_threshold_percent}%
        </span>
      ) : (
        <span class="badge success">{seats.usage_percent.toFixed(0)}%</span>
      )}
    </span>
  );
}

const columns: ColumnDef<AccountRow, unknown>[] = [
  {
    id: 'name',
    header: 'Account',
    accessorFn: (a) => a.name ?? a.id,
    cell: (c) => {
      const a = c.row.original;
      return (
        <span class={a.kind === 'sub_account' ? 'sub' : ''}>
          <a href={`/ui/resource?kind=${a.kind}&id=${encodeURIComponent(a.id)}`}>
            {a.name ?? a.id}
          </a>
          <br />
          <small class="muted">
            {a.kind === 'sub_account' ? `sub-account of ${a.parent_id}` : 'account'} · {a.id}
          </small>
        </span>
      );
    },
  },
  {
    id: 'open_drift',
    header: 'Open drift',
    accessorKey: 'open_drift',
    cell: (c) => {
      const a = c.row.original;
      return a.open_drift > 0 ? (
        <a href={`/ui/drift?account=${encodeURIComponent(a.id)}`}>{a.open_drift}</a>
      ) : (
        '0'
      );
    },
  },
  { id: 'unmanaged', header: 'Unmanaged', accessorKey: 'unmanaged' },
  {
    id: 'seats',
    header: 'Seats purchased / assigned / remaining',
    accessorFn: (a) => seatsOf(a)?.usage_percent ?? -1,
    cell: (c) => <SeatCell account={c.row.original} />,
  },
  {
    id: 'last_scan',
    header: 'Last scan',
    accessorFn: (a) => a.last_scan?.finished_at ?? '',
    cell: (c) => {
      const scan = c.row.original.last_scan;
      return scan ? `${formatTime(scan.finished_at)} (${scan.outcome ?? 'running'})` : 'never';
    },
  },
];

function SeatsChart(props: { readonly accounts: readonly AccountRow[] }) {
  const withSeats = props.accounts.filter((a) => seatsOf(a) !== null);
  const data = useMemo(
    () =>
      [
        withSeats.map((_a, i) => i),
        withSeats.map((a) => seatsOf(a)!.assigned),
        withSeats.map((a) => seatsOf(a)!.capacity),
      ] as [number[], number[], number[]],
    [props.accounts],
  );
  const names = withSeats.map((a) => a.name ?? a.id);
  const options = useMemo(
    () => ({
      scales: {
        x: { time: false },
        y: {
          range: (_u: unknown, _min: number, max: number) =>
            [0, Math.max(1, max * 1.1)] as [number, number],
        },
      },
      series: [
        {},
        {
          label: 'Assigned',
          fill: 'rgba(37,99,235,0.6)',
          stroke: '#1d4ed8',
          paths: uPlot.paths.bars!({ size: [0.6, 60] }),
          points: { show: false },
        },
        { label: 'Limit', stroke: '#b91c1c', width: 2, dash: [6, 4], points: { show: true } },
      ],
      axes: [
        { values: (_u: unknown, ticks: number[]) => ticks.map((t) => names[t] ?? ''), space: 60 },
        { label: 'seats' },
      ],
    }),
    [props.accounts],
  );
  if (withSeats.length === 0) return null;
  return (
    <Chart
      title="Seat usage per account against its limit"
      summary={withSeats
        .map((a) => `${a.name ?? a.id}: ${seatsOf(a)!.assigned} of ${seatsOf(a)!.capacity}`)
        .join('; ')}
      data={data}
      options={options}
    />
  );
}

/** Every visible account and sub-account: drift, unmanaged objects, seats, last scan, chain. */
export function AccountsPage(props: { readonly session: Session }) {
  const { session } = props;
  const allowed = session.actions.includes('status:read');
  const accounts = useApi<AccountsPage>(allowed ? '/v1/accounts?limit=200' : null);
  if (!allowed) return <NotPermitted role={session.role} what="account status" />;
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Accounts</h1>
      {session.actions.includes('audit:read') && <ChainStatus />}
      <Async loaded={accounts} what="accounts">
        {(page) => (
          <>
            <DataTable
              rows={page.items}
              columns={columns}
              caption="Accounts and sub-accounts"
              rowId={(a) => a.id}
              empty="No account is visible to this token."
            />
            <SeatsChart accounts={page.items} />
          </>
        )}
      </Async>
    </section>
  );
}
