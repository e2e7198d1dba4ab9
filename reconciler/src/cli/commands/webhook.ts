import type { Command } from 'commander';
import { exitCodes } from '../exit-codes.js';
import { formatOption } from '../format-option.js';
import { apiTarget, cliAction, defaultIo, type CliIo } from '../cli-target.js';

/** What the platform reports for one attempt (the API's answer to test and retry). */
interface Attempt {
  webhook_id?: string;
  delivery_id: number;
  http_status: number | null;
  ok: boolean;
  latency_ms: number;
  at: string;
  retry_of?: number;
}

/**
 * `telform webhook test|retry`: the contact-center webhook actions (000 §8 "test the
 * connection", History "Retry") from the command line, against a running daemon. Both post for
 * real, in the token's name, and are audited. Exit 0 when the endpoint answered 2xx, 4
 * (`deliveryFailed`) when it answered otherwise or could not be reached, 1 when telform could
 * not ask.
 */
export function registerWebhookCommand(program: Command, io: CliIo = defaultIo): Command {
  const webhook = program
    .command('webhook')
    .description("Test a webhook's connection, retry a delivery");
  const report = (attempt: Attempt, format: 'text' | 'json') => {
    if (format === 'json') io.out(`${JSON.stringify(attempt, null, 2)}\n`);
    else {
      const answer =
        attempt.http_status === null ? 'unreachable' : `HTTP ${String(attempt.http_status)}`;
      const cells = [
        `delivery ${String(attempt.delivery_id)}`,
        answer,
        `${String(attempt.latency_ms)} ms`,
        attempt.ok ? 'ok' : 'failed',
        ...(attempt.retry_of !== undefined ? [`retry of ${String(attempt.retry_of)}`] : []),
      ];
      io.out(`${cells.join('\t')}\n`);
    }
    if (!attempt.ok) io.exitCode?.(exitCodes.deliveryFailed);
  };

  webhook
    .command('test <webhook-id>')
    .description('Send a test event through the platform and report what the endpoint answered')
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(
      cliAction(io, async (id: string, o: { format: 'text' | 'json' }) => {
        const path = `/v1/resources/webhook/${encodeURIComponent(id)}/test`;
        report((await apiTarget(io.env, 'webhook').call('POST', path)) as Attempt, o.format);
      }),
    );

  webhook
    .command('retry <delivery-id>')
    .description('Post a delivery of the webhook history again (its payload, as first sent)')
    .requiredOption('--account <id>', 'the account or sub-account of the delivery (telform id)')
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(
      cliAction(io, async (delivery: string, o: { account: string; format: 'text' | 'json' }) => {
        if (!/^[1-9]\d{0,15}$/.test(delivery))
          throw new Error(
            `delivery-id must be a delivery_id of the webhook history (a positive integer), not ${JSON.stringify(delivery)}`,
          );
        const path = `/v1/accounts/${encodeURIComponent(o.account)}/webhook-history/${delivery}/retry`;
        report((await apiTarget(io.env, 'webhook').call('POST', path)) as Attempt, o.format);
      }),
    );
  return webhook;
}
