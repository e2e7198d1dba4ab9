import type { Command } from 'commander';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description(
      'Bring the database schema to the latest migration (serve also does this at start).',
    )
    .option(
      '--data-dir <dir>',
      'embedded state without DATABASE_URL (TELFORM_DATA_DIR)',
      process.env.TELFORM_DATA_DIR ?? '.telform',
    )
    .action(async (flags: { dataDir: string }) => {
      const url = process.env.DATABASE_URL;
      // Loaded here, not at start: `telform --help` need not load the store.
      const { migrateToLatest } = await import('../store/migrate.js');
      const { openDatabase } = await import('../store/open-database.js');
      const database = await openDatabase(url ? { databaseUrl: url } : { dataDir: flags.dataDir });
      try {
        const outcome = await migrateToLatest(database.db);
        for (const r of outcome.results) process.stdout.write(`${r.migrationName}: ${r.status}\n`);
        if (outcome.results.length === 0) process.stdout.write('up to date\n');
        if (outcome.error !== undefined) {
          process.exitCode = 1;
          process.stderr.write(`telform migrate: ${String(outcome.error)}\n`);
        }
      } finally {
        await database.close();
      }
    });
}
