import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { formatOption } from '../format-option.js';
import { apiTarget, cliAction, defaultIo, type CliIo } from '../cli-target.js';
import { renderCsvReport } from '../../drift/csv-report.js';
import type { DriftPage } from '../../drift/drift-query.js';
import { hasDrift, type DriftReportFormat } from '../../drift/drift-report.js';
import { renderMarkdownReport } from '../../drift/markdown-report.js';
import { registerDriftPolicyCommand } from './drift-policy.js';

/** Exit code when drift is found, so CI can tell drift (3) from a failure (1) or bad usage (2). */
export const driftFoundExitCode = exitCodes.driftFound;

interface DriftOptions {
  account?: string;
  kind?: string;
  state: string;
  format: string;
  scan?: boolean;
}

const states = ['open', 'resolved', 'all'];

/**
 * `telform drift`: prints the drift report of a running daemon (TELFORM_ENDPOINT, TELFORM_TOKEN)
 * and exits 3 when there is open drift or an unmanaged object, for CI. Every page is fetched as
 * JSON and rendered here with the daemon's own renderers, so the output matches `/v1/drift`.
 */
export function registerDriftCommand(program: Command, io: CliIo = defaultIo): Command {
  const drift = program.command('drift');
  registerDriftPolicyCommand(drift, io);
  return drift
    .description('Print the drift report; exit code 3 when drift is found (for CI)')
    .option(
      '--account <id>',
      'an account or sub-account: its drift and that of everything under it',
    )
    .option('--kind <kind>', 'only resources of this kind')
    .option('--state <state>', 'open, resolved or all', 'open')
    .addOption(formatOption(['markdown', 'json', 'csv'], 'markdown'))
    .option('--scan', 'scan the platform first (the account, or every account the token sees)')
    .action(
      cliAction(io, async (options: DriftOptions) => {
        if (!states.includes(options.state))
          return io.fail('--state must be open, resolved or all');
        const target = apiTarget(io.env, 'drift');
        const params = new URLSearchParams({ state: options.state, limit: '10000' });
        if (options.account) params.set('account_id', options.account);
        if (options.kind) params.set('kind', options.kind);
        if (options.scan) {
          const scan = new URLSearchParams(options.account ? { account_id: options.account } : {});
          await target.call('POST', `/v1/drift/scan${scan.size > 0 ? `?${scan}` : ''}`);
        }
        let report = (await target.call('GET', `/v1/drift?${params}`)) as DriftPage;
        while (report.next_cursor) {
          params.set('cursor', report.next_cursor);
          const next = (await target.call('GET', `/v1/drift?${params}`)) as DriftPage;
          report = { ...next, records: [...report.records, ...next.records] };
        }
        io.out(render(report, options.format as DriftReportFormat));
        if (hasDrift(report)) process.exitCode = driftFoundExitCode;
      }),
    );
}

function render(report: DriftPage, format: DriftReportFormat): string {
  if (format === 'csv') return renderCsvReport(report);
  if (format === 'markdown') return renderMarkdownReport(report);
  const { next_cursor: _cursor, ...rest } = report;
  return `${JSON.stringify(rest, null, 2)}\n`;
}
