import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { cliAction, defaultIo, type CliIo } from '../cli-target.js';

interface RekeyFlags {
  dataDir?: string;
  dryRun?: boolean;
}

/**
 * `telform secrets rekey`: re-seals every stored secret under the current key. It opens the
 * database itself (never the API) with the daemon's key settings, so the embedded store needs
 * the daemon stopped; on a shared Postgres the daemons keep running.
 */
export function registerSecretsCommand(program: Command, io: CliIo = defaultIo): Command {
  const secrets = program.command('secrets').description('Manage the secrets sealed at rest');

  secrets
    .command('rekey')
    .description(
      'Re-seal every stored secret under the current key, so that previous keys can be dropped',
    )
    .option('--data-dir <dir>', 'embedded state without DATABASE_URL (TELFORM_DATA_DIR)')
    .option('--dry-run', 'count what would be re-sealed; write nothing')
    .addHelpText(
      'after',
      '\nKeys as for serve: TELFORM_SECRET_KEY or TELFORM_SECRET_KEY_FILE (the current key; embedded:\n<data dir>/secret.key), and TELFORM_SECRET_KEY_PREVIOUS or key file lines 2+ (older keys).\nExits 1 when some value opens under no configured key: it is left untouched, so keep its key.',
    )
    .action(
      cliAction(io, async (flags: RekeyFlags) => {
        // Loaded on use: `telform --help` loads neither the store nor the key handling.
        const { AuditStore } = await import('../../audit/audit-store.js');
        const { AesGcmSecretBox } = await import('../../secrets/aes-gcm-secret-box.js');
        const { loadSecretKey } = await import('../../secrets/load-secret-key.js');
        const { rekeySecrets } = await import('../../rekey/rekey-secrets.js');
        const { withMigratedDatabase } = await import('../../store/with-migrated-database.js');
        const url = io.env.DATABASE_URL;
        const dataDir = flags.dataDir ?? io.env.TELFORM_DATA_DIR ?? '.telform';
        // Never generate a key here (as serve does on a first start): nothing would open under it.
        const embeddedKey = !url && existsSync(join(dataDir, 'secret.key'));
        const keys = loadSecretKey({ env: io.env, ...(embeddedKey ? { dataDir } : {}) });
        const box = new AesGcmSecretBox(keys.key, keys.previous);

        const summary = await stopTheDaemonFirst(() =>
          withMigratedDatabase(url ? { databaseUrl: url } : { dataDir }, (db) =>
            rekeySecrets(db, { box, dryRun: flags.dryRun === true, audit: new AuditStore(db) }),
          ),
        );
        io.out(
          [
            ...(flags.dryRun ? ['dry run: nothing written'] : []),
            `resources scanned: ${summary.resourcesScanned}`,
            `subscriptions scanned: ${summary.subscriptionsScanned}`,
            `values ${flags.dryRun ? 'to re-seal' : 're-sealed'}: ${summary.resealed}`,
            `values already current: ${summary.alreadyCurrent}`,
            `values no key opens: ${summary.unopenable.length}`,
            ...summary.unopenable.map((u) => `  ${u.id} ${u.path}`),
          ].join('\n') + '\n',
        );
        if (summary.unopenable.length > 0) {
          return io.fail(
            `${summary.unopenable.length} sealed value(s) open under no configured key and were left untouched: ` +
              'configure the key that sealed them (TELFORM_SECRET_KEY_PREVIOUS) and run again, or set those secrets anew',
          );
        }
        if (!flags.dryRun) {
          io.out(
            `every secret is sealed under the current key (${keys.origin}): drop the old keys\n`,
          );
        }
      }),
    );
  return secrets;
}

/** The embedded store is the daemon's while it runs: say so rather than only "locked". */
async function stopTheDaemonFirst<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const { DirectoryLockedError } = await import('../../store/directory-lock.js');
    if (!(err instanceof DirectoryLockedError)) throw err;
    const who = err.pid === undefined ? 'another process' : `process ${err.pid}`;
    throw new Error(
      `stop the daemon first: data directory ${err.dir} is locked by ${who}, and ` +
        '`telform secrets rekey` needs the embedded store to itself. Run it again once the daemon is stopped.',
      { cause: err },
    );
  }
}
