import type { Command } from 'commander';
import type { AuditStore } from '../../audit/audit-store.js';
import type { ChainReport } from '../../audit/verify-audit-chain.js';
import { formatOption } from '../format-option.js';
import { cliAction, cliTarget, defaultIo, type CliIo } from '../cli-target.js';

interface ExportOptions {
  format: string;
  from?: string;
  to?: string;
  event?: string;
  access?: 'read' | 'write';
  resource?: string;
  actor?: string;
  outcome?: 'success' | 'failure' | 'denied';
  ip?: string;
}

/** `telform audit verify` and `telform audit export --format ndjson`. */
export function registerAuditCommand(program: Command, io: CliIo = defaultIo): Command {
  const audit = program.command('audit').description('Verify and export the audit trail');

  audit
    .command('verify')
    .description(
      'Walk the hash chain; exit 1 and name the first edited, removed or reordered event',
    )
    .action(
      cliAction(io, async () => {
        const target = cliTarget(io.env);
        const report =
          target.kind === 'api'
            ? ((await target.call('GET', '/v1/audit/verify')) as ChainReport)
            : await target.withDatabase(async (db) => (await auditStore(db)).verify());
        if (report.ok) return io.out(`ok: ${report.checked} events, chain intact\n`);
        const p = report.problem!;
        io.fail(
          `${p.kind} at event ${p.seq}: ${p.message} (${report.checked} events intact before it)`,
        );
      }),
    );

  audit
    .command('export')
    .description('Print matching events, oldest first, one JSON object per line')
    .addOption(formatOption(['ndjson'], 'ndjson'))
    .option('--from <time>', 'events at or after this ISO time')
    .option('--to <time>', 'events before this ISO time')
    .option('--event <names>', 'comma-separated event names; user.* matches a prefix')
    .option('--access <access>', 'read or write')
    .option('--resource <prefix>', 'resource prefix, such as user/')
    .option('--actor <prefix>', 'actor prefix')
    .option('--outcome <outcome>', 'success, failure or denied')
    .option('--ip <part>', 'part of the IP address')
    .action(
      cliAction(io, async (o: ExportOptions) => {
        if (o.access !== undefined && !['read', 'write'].includes(o.access)) {
          return io.fail('--access must be read or write');
        }
        if (o.outcome !== undefined && !['success', 'failure', 'denied'].includes(o.outcome)) {
          return io.fail('--outcome must be success, failure or denied');
        }
        for (const [flag, value] of [
          ['--from', o.from],
          ['--to', o.to],
        ] as const) {
          if (value !== undefined && Number.isNaN(Date.parse(value))) {
            return io.fail(`${flag} must be an ISO 8601 time such as 2026-11-22T08:00:00Z`);
          }
        }
        const target = cliTarget(io.env);
        if (target.kind === 'api') {
          const query = new URLSearchParams({ format: 'json', limit: '1000', order: 'asc' });
          for (const key of [
            'from',
            'to',
            'event',
            'access',
            'resource',
            'actor',
            'outcome',
            'ip',
          ] as const) {
            if (o[key] !== undefined) query.set(key, o[key]);
          }
          let cursor: string | null = null;
          do {
            if (cursor) query.set('cursor', cursor);
            const page = (await target.call('GET', `/v1/audit?${query}`)) as {
              items: unknown[];
              next_cursor: string | null;
            };
            for (const item of page.items) io.out(`${JSON.stringify(item)}\n`);
            cursor = page.next_cursor;
          } while (cursor);
          return;
        }
        await target.withDatabase(async (db) => {
          const filter = {
            from: o.from === undefined ? undefined : new Date(o.from),
            to: o.to === undefined ? undefined : new Date(o.to),
            events: o.event?.split(','),
            access: o.access,
            resourcePrefix: o.resource,
            actorPrefix: o.actor,
            outcome: o.outcome,
            ip: o.ip,
          };
          for await (const event of (await auditStore(db)).export(filter))
            io.out(`${JSON.stringify(event)}\n`);
        });
      }),
    );
  return audit;
}

/** Loaded on use, like the database: `telform --help` loads neither. */
async function auditStore(db: ConstructorParameters<typeof AuditStore>[0]): Promise<AuditStore> {
  const { AuditStore } = await import('../../audit/audit-store.js');
  return new AuditStore(db);
}
