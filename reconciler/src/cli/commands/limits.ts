import type { Command } from 'commander';
import { formatOption } from '../format-option.js';
import { apiTarget, cliAction, defaultIo, type CliIo } from '../cli-target.js';

interface RequestView {
  id: string;
  spec: { limit: string; requested: number; reason: string };
  status: { observed?: { status?: string; current_limit?: number; decision_note?: string } | null };
}

const kind = '/v1/resources/limit_increase_request';

/**
 * `telform limits request|requests`: "request a limit increase" from the command line, against
 * a running daemon (TELFORM_ENDPOINT, TELFORM_TOKEN). The request is a
 * `limit_increase_request` resource like any other (audited, reconciled, visible to Terraform);
 * the vendor's answer shows in `requests`.
 */
export function registerLimitsCommand(program: Command, io: CliIo = defaultIo): Command {
  const limits = program
    .command('limits')
    .description('Ask the vendor to raise a limit, and follow the answer');
  const api = () => apiTarget(io.env, 'limits');

  limits
    .command('request')
    .description(
      'Submit a limit increase request; prints its id (with --wait, once the platform holds it)',
    )
    .requiredOption('--account <id>', 'the account or sub-account (telform id)')
    .requiredOption(
      '--limit <name>',
      'the limit, as telform_limits names it (max_users, max_seats, ...)',
    )
    .requiredOption('--requested <n>', 'the new value asked for, more than the current limit')
    .requiredOption('--reason <text>', 'why the account needs more, for the vendor')
    .option('--wait', 'wait until the platform has received it (or refused it)')
    .action(
      cliAction(
        io,
        async (o: {
          account: string;
          limit: string;
          requested: string;
          reason: string;
          wait?: boolean;
        }) => {
          const body = {
            account_id: o.account,
            limit: o.limit,
            requested: Number(o.requested),
            reason: o.reason,
          };
          const created = (await api().call('POST', kind, body)) as { id: string };
          if (o.wait) {
            const read = (await api().call(
              'GET',
              `${kind}/${created.id}?wait=applied&timeout_ms=60000`,
            )) as RequestView & {
              status: { conditions?: { type: string; status: string; message: string }[] };
            };
            const synced = read.status.conditions?.find((c) => c.type === 'Synced');
            if (synced?.status !== 'True')
              return io.fail(`${created.id}: ${synced?.message ?? 'not applied yet'}`);
          }
          io.out(`${created.id}\n`);
        },
      ),
    );

  limits
    .command('requests')
    .description("An account's limit increase requests with the vendor's answer")
    .requiredOption('--account <id>', 'the account or sub-account (telform id)')
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(
      cliAction(io, async (o: { account: string; format: 'text' | 'json' }) => {
        const page = (await api().call(
          'GET',
          `${kind}?account_id=${encodeURIComponent(o.account)}`,
        )) as {
          items: RequestView[];
        };
        if (o.format === 'json') return io.out(`${JSON.stringify(page.items, null, 2)}\n`);
        for (const r of page.items) {
          const seen = r.status.observed ?? {};
          const cells = [
            r.id,
            r.spec.limit,
            String(r.spec.requested),
            seen.status ?? 'not on the platform yet',
            `current ${seen.current_limit ?? '-'}`,
          ];
          io.out(`${[...cells, ...(seen.decision_note ? [seen.decision_note] : [])].join('\t')}\n`);
        }
      }),
    );
  return limits;
}
