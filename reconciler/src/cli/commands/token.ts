import type { Command } from 'commander';
import { parseDuration } from '../../auth/parse-duration.js';
import { isRole } from '../../auth/permissions.js';
import { tokenJson } from '../../auth/token-json.js';
import type { TokenInfo, TokenStore } from '../../auth/token-store.js';
import { formatOption } from '../format-option.js';
import { cliAction, cliTarget, defaultIo, type CliIo } from '../cli-target.js';

interface CreateOptions {
  role: string;
  name: string;
  scope?: string;
  expiresIn?: string;
}

/**
 * `telform token create|list|revoke`. With TELFORM_ENDPOINT and TELFORM_TOKEN set it goes
 * through the API (works while an embedded daemon holds the data directory); otherwise it opens
 * the database itself (DATABASE_URL, or the embedded store in TELFORM_DATA_DIR).
 */
export function registerTokenCommand(program: Command, io: CliIo = defaultIo): Command {
  const token = program.command('token').description('Create, list and revoke API tokens');

  token
    .command('create')
    .description('Create a token and print it, alone, on stdout (it is shown only this once)')
    .requiredOption('--role <role>', 'admin, operator or auditor')
    .requiredOption('--name <name>', 'name shown as the actor in audit events')
    .option(
      '--scope <account_id>',
      'limit the token to this account or sub-account and everything under it',
    )
    .option('--expires-in <duration>', 'lifetime such as 30d, 12h, 90m or 2w (default: never)')
    .action(
      cliAction(io, async (options: CreateOptions) => {
        if (!isRole(options.role)) return io.fail('--role must be admin, operator or auditor');
        const lifetime =
          options.expiresIn === undefined ? undefined : parseDuration(options.expiresIn);
        if (options.expiresIn !== undefined && lifetime === undefined) {
          return io.fail('--expires-in must be a number and a unit: 30d, 12h, 90m or 2w');
        }
        const target = cliTarget(io.env);
        if (target.kind === 'api') {
          const created = await target.call('POST', '/v1/tokens', {
            name: options.name,
            role: options.role,
            ...(options.scope === undefined ? {} : { scope_account_id: options.scope }),
            ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
          });
          return io.out(`${String((created as { token: string }).token)}\n`);
        }
        await target.withDatabase(async (db) => {
          const { token: plaintext } = await (
            await tokenStore(db)
          ).create({
            name: options.name,
            role: options.role as TokenInfo['role'],
            scopeAccountId: options.scope ?? null,
            expiresAt: lifetime === undefined ? null : new Date(Date.now() + lifetime),
            createdBy: `cli:${io.env.USER ?? 'local'}`,
          });
          io.out(`${plaintext}\n`);
        });
      }),
    );

  token
    .command('list')
    .description('List live tokens (never the tokens themselves)')
    .option('--all', 'include revoked tokens')
    .addOption(formatOption(['text', 'json'], 'text'))
    .action(
      cliAction(io, async (options: { all?: boolean; format: 'text' | 'json' }) => {
        const target = cliTarget(io.env);
        const rows: readonly Record<string, unknown>[] =
          target.kind === 'api'
            ? ((await target.call('GET', '/v1/tokens')) as { items: Record<string, unknown>[] })
                .items
            : // The same JSON as the API's, whichever way the command reached the tokens.
              await target.withDatabase(async (db) =>
                (await (await tokenStore(db)).list({ includeRevoked: options.all })).map(tokenJson),
              );
        if (options.format === 'json') return io.out(`${JSON.stringify(rows, null, 2)}\n`);
        const columns = [
          'id',
          'name',
          'role',
          'scope_account_id',
          'prefix',
          'expires_at',
          'revoked_at',
          'last_used_at',
        ];
        io.out(`${columns.join('\t')}\n`);
        for (const row of rows) io.out(`${columns.map((c) => String(row[c] ?? '-')).join('\t')}\n`);
      }),
    );

  token
    .command('revoke')
    .description('Revoke a token by id or name; it stops working at once')
    .argument('<id-or-name>')
    .action(
      cliAction(io, async (idOrName: string) => {
        const target = cliTarget(io.env);
        if (target.kind === 'api') {
          // The API revokes by id; a name is looked up among the live tokens, as the store does.
          const live = (
            (await target.call('GET', '/v1/tokens')) as { items: { id: string; name: string }[] }
          ).items;
          const byId = live.some((t) => t.id === idOrName);
          const ids = byId ? [idOrName] : live.filter((t) => t.name === idOrName).map((t) => t.id);
          if (ids.length === 0 && !idOrName.startsWith('token_')) {
            return io.fail(`no token with id or name ${idOrName}`);
          }
          for (const id of ids.length > 0 ? ids : [idOrName]) {
            await target.call('DELETE', `/v1/tokens/${encodeURIComponent(id)}`);
            io.out(`revoked ${id}\n`);
          }
          return;
        }
        const info = await target.withDatabase(async (db) =>
          (await tokenStore(db)).revoke(idOrName),
        );
        if (!info) return io.fail(`no token with id or name ${idOrName}`);
        io.out(`revoked ${info.id} (${info.name})\n`);
      }),
    );

  return token;
}

/** Loaded on use, like the database: `telform --help` loads neither. */
async function tokenStore(db: ConstructorParameters<typeof TokenStore>[0]): Promise<TokenStore> {
  const { TokenStore } = await import('../../auth/token-store.js');
  return new TokenStore(db);
}
