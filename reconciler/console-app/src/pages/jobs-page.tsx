import type { ColumnDef } from '@tanstack/table-core';
import type { Session } from '../api.js';
import { DataTable } from '../data-table.js';
import { useApi } from '../use-api.js';
import { Async, formatTime, NotPermitted } from '../widgets.js';

interface JobRun {
  readonly id?: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly outcome: string | null;
  readonly summary?: unknown;
  readonly error?: string | null;
}

interface Job {
  readonly name: string;
  readonly description: string;
  readonly schedule: string;
  readonly timezone?: string;
  readonly next_run_at: string | null;
  readonly last_runs: JobRun[];
}

interface RunRow extends JobRun {
  readonly job: string;
}

const columns: ColumnDef<RunRow, unknown>[] = [
  { id: 'job', header: 'Job', accessorKey: 'job' },
  {
    id: 'started',
    header: 'Started',
    accessorKey: 'started_at',
    cell: (c) => formatTime(String(c.getValue())),
  },
  {
    id: 'finished',
    header: 'Finished',
    accessorFn: (r) => r.finished_at ?? '',
    cell: (c) => formatTime(c.row.original.finished_at),
  },
  {
    id: 'outcome',
    header: 'Outcome',
    accessorFn: (r) => r.outcome ?? 'running',
    cell: (c) => <span class={`badge ${String(c.getValue())}`}>{String(c.getValue())}</span>,
  },
  {
    id: 'summary',
    header: 'Summary',
    enableSorting: false,
    accessorFn: (r) =>
      r.error ? r.error : r.summary === undefined ? '' : JSON.stringify(r.summary),
  },
];

/** Scheduled jobs and their recent runs, as `/v1/jobs` shows them to this token. */
export function JobsPage(props: { readonly session: Session }) {
  const { session } = props;
  const allowed = session.actions.includes('jobs:read');
  const jobs = useApi<{ items: Job[] }>(allowed ? '/v1/jobs' : null);
  if (!allowed) return <NotPermitted role={session.role} what="job runs" />;
  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <Async loaded={jobs} what="jobs">
        {(j) => (
          <>
            <ul class="jobs">
              {j.items.map((job) => (
                <li key={job.name}>
                  <strong>{job.name}</strong> <code>{job.schedule}</code> — {job.description} (next{' '}
                  {formatTime(job.next_run_at)})
                </li>
              ))}
            </ul>
            <DataTable
              rows={j.items.flatMap((job) => job.last_runs.map((r) => ({ ...r, job: job.name })))}
              columns={columns}
              caption="Recent job runs"
              rowId={(r) => `${r.job}:${r.id ?? r.started_at}`}
              empty="No run yet."
            />
          </>
        )}
      </Async>
    </section>
  );
}
