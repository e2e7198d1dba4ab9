import type { Command } from 'commander';
import { formatOption } from '../format-option.js';
import { apiTarget, cliAction, defaultIo, type CliIo } from '../cli-target.js';

interface JobView {
  name: string;
  schedule: string;
  timezone: string;
  next_run_at: string | null;
  last_runs: { started_at: string; outcome: string }[];
}

/** `telform jobs list|run NAME`, against a running daemon (TELFORM_ENDPOINT, TELFORM_TOKEN). */
export function registerJobsCommand(program: Command, io: CliIo = defaultIo): Command {
  const jobs = program.command('jobs').description('List scheduled jobs and run one now');
  const api = () => apiTarget(io.env, 'jobs');

  jobs
    .command('list')
    .description('Scheduled jobs with their schedule, time zone, next and last run')
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(
      cliAction(io, async (options: { format: 'text' | 'json' }) => {
        const { items } = (await api().call('GET', '/v1/jobs')) as { items: JobView[] };
        if (options.format === 'json') return io.out(`${JSON.stringify(items, null, 2)}\n`);
        const rows = [
          ['NAME', 'SCHEDULE', 'TIME ZONE', 'NEXT RUN', 'LAST RUN', 'OUTCOME'],
          ...items.map((j) => [
            j.name,
            j.schedule,
            j.timezone,
            j.next_run_at ?? '-',
            j.last_runs[0]?.started_at ?? '-',
            j.last_runs[0]?.outcome ?? '-',
          ]),
        ];
        const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
        io.out(
          rows
            .map((r) =>
              r
                .map((c, i) => c.padEnd(widths[i]!))
                .join('  ')
                .trimEnd(),
            )
            .join('\n') + '\n',
        );
      }),
    );

  jobs
    .command('run')
    .description(
      'Run a job now (on this daemon, unless another replica is running it) and print its summary',
    )
    .argument('<name>', 'job name, as `telform jobs list` shows it')
    .action(
      cliAction(io, async (name: string) => {
        const result = (await api().call('POST', `/v1/jobs/${encodeURIComponent(name)}/run`)) as {
          outcome: string;
          run_id: string;
          summary: unknown;
        };
        io.out(`${JSON.stringify(result, null, 2)}\n`);
        if (result.outcome !== 'success')
          io.fail(`job ${name} finished with outcome ${result.outcome}`);
      }),
    );
  return jobs;
}
