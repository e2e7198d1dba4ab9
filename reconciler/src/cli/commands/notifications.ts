import { Option, type Command } from 'commander';
import { formatOption } from '../format-option.js';
import { apiTarget, cliAction, defaultIo, type CliIo } from '../cli-target.js';

interface Notification {
  notification_id: number;
  event: string;
  created_at: string;
  subscription_id: string | null;
  platform_subscription_id: string;
  recipient: string;
  message: string;
}
interface Page {
  entries: Notification[];
  next_cursor: string | null;
}

const MAX_PAGES = 1_000;

/**
 * `telform notifications list`: the notifications feed of an account (the console's
 * Notifications tab) from a running daemon, newest first, with the tab's filters. One page by
 * default (its `next_cursor` printed for the next call); `--all` follows every page.
 */
export function registerNotificationsCommand(program: Command, io: CliIo = defaultIo): Command {
  const notifications = program
    .command('notifications')
    .description("Read the notifications of an account's subscribed events");

  notifications
    .command('list')
    .description('Notifications newest first: time, type, recipient, message')
    .requiredOption('--account <id>', 'the account or sub-account (telform id)')
    .addOption(
      new Option('--event <type>', 'only this type').choices([
        'low_balance',
        'account_balance',
        'campaign_events',
      ]),
    )
    .option('--since <time>', 'only notifications created at or after this ISO 8601 time')
    .option('--until <time>', 'only notifications created at or before this ISO 8601 time')
    .option('--limit <n>', 'notifications per page, 1-1000', '100')
    .option('--cursor <cursor>', 'continue after a page (its next_cursor)')
    .option('--all', 'follow every page')
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(
      cliAction(
        io,
        async (o: {
          account: string;
          event?: string;
          since?: string;
          until?: string;
          limit: string;
          cursor?: string;
          all?: boolean;
          format: 'text' | 'json';
        }) => {
          const api = apiTarget(io.env, 'notifications');
          const entries: Notification[] = [];
          let cursor = o.cursor;
          let next: string | null = null;
          for (let page = 0; page < MAX_PAGES; page++) {
            const query = new URLSearchParams({ limit: o.limit });
            for (const name of ['event', 'since', 'until'] as const) {
              const value = o[name];
              if (value !== undefined) query.set(name, value);
            }
            if (cursor) query.set('cursor', cursor);
            const path = `/v1/accounts/${encodeURIComponent(o.account)}/notifications?${query}`;
            const got = (await api.call('GET', path)) as Page;
            entries.push(...got.entries);
            next = got.next_cursor;
            if (!o.all || !next) break;
            cursor = next;
          }
          if (o.format === 'json')
            return io.out(`${JSON.stringify({ entries, next_cursor: next }, null, 2)}\n`);
          for (const n of entries) {
            const sub = n.subscription_id ?? n.platform_subscription_id;
            io.out(`${[n.created_at, n.event, n.recipient, sub, n.message].join('\t')}\n`);
          }
          if (next) io.out(`# more: --cursor ${next}\n`);
        },
      ),
    );
  return notifications;
}
