import { join } from 'node:path';
import type { Command } from 'commander';
import { defaultServerLimits } from '../api/server-limits.js';
import { parseRateLimit } from '../auth/parse-rate-limit.js';
import type { BundledEmulatorOptions, RunningDaemon } from '../daemon.js';
import { daemonLogger } from './daemon-logger.js';
import { exitCodes } from './exit-codes.js';
import { parseEmulatorFlags } from './parse-emulator-flags.js';
import { parseListen } from './parse-listen.js';
import { startedByNpm, stopWithParent } from './stop-with-parent.js';
import { adminTokenFileName, writeSecretFile } from './write-secret-file.js';

interface ServeFlags {
  readonly withEmulator?: boolean;
  readonly listen: string;
  readonly dataDir: string;
  readonly emulatorListen: string;
  readonly concurrency: string;
  readonly rateLimit: string;
  readonly addressRateLimit: string;
  readonly maxConnections: string;
  readonly staffKey?: string;
  readonly webhookCa?: string;
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the reconciler daemon: API, reconcile workers and scheduled jobs.')
    .option('--with-emulator', 'also run the bundled platform emulator and reconcile against it')
    .option(
      '--listen <host:port>',
      'API address (TELFORM_LISTEN)',
      process.env.TELFORM_LISTEN ?? '127.0.0.1:7420',
    )
    .option(
      '--data-dir <dir>',
      'embedded state without DATABASE_URL (TELFORM_DATA_DIR)',
      process.env.TELFORM_DATA_DIR ?? '.telform',
    )
    .option('--emulator-listen <host:port>', 'bundled emulator address', '127.0.0.1:7421')
    .option(
      '--staff-key <key>',
      'with --with-emulator: vendor staff API key of the bundled emulator (TELFORM_EMULATOR_STAFF_KEY)',
    )
    .option(
      '--webhook-ca <file>',
      'with --with-emulator: PEM CA bundle the bundled emulator trusts for https webhook receivers',
    )
    .option('--concurrency <n>', 'reconciles in flight at once in this daemon', '16')
    .option(
      '--rate-limit <requests/window>',
      'API requests per token per window, such as 6000/1m or 100/10s (TELFORM_RATE_LIMIT)',
      process.env.TELFORM_RATE_LIMIT ?? '6000/1m',
    )
    .option(
      '--address-rate-limit <requests/window>',
      'API requests per client address without a valid token, counted before the token lookup (TELFORM_ADDRESS_RATE_LIMIT)',
      process.env.TELFORM_ADDRESS_RATE_LIMIT ?? '300/1m',
    )
    .option(
      '--max-connections <n>',
      'open API connections at most; more are refused at accept (TELFORM_MAX_CONNECTIONS)',
      process.env.TELFORM_MAX_CONNECTIONS ?? '4096',
    )
    .addHelpText(
      'after',
      '\nEnvironment: DATABASE_URL (real Postgres; several daemons may share it), TELFORM_PLATFORM_URL and\nTELFORM_PLATFORM_KEY (a platform other than the bundled emulator), TELFORM_SECRET_KEY or\nTELFORM_SECRET_KEY_FILE (encryption of secrets at rest; generated in the data dir when embedded;\na key file may hold older keys on further lines), TELFORM_SECRET_KEY_PREVIOUS (comma-separated\nkeys from before a rotation: values sealed under them still open, new ones use the current key),\nTELFORM_LOG_LEVEL (default info), TELFORM_LEASE_MS (how long a claimed resource is exclusive to\nthis daemon; the work of a killed daemon is picked up after it; default 60000),\nTELFORM_PLATFORM_RATE_LIMIT (the platform requests/s per account; default the bundled\nemulator limit, else 100) and TELFORM_PLATFORM_BUDGET_FRACTION (share of it the daemon spends\nper account; default 0.9).',
    )
    .action(async (flags: ServeFlags) => {
      const env = process.env;
      const listen = parseListen(flags.listen, '--listen / TELFORM_LISTEN');
      const concurrency = Number(flags.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new Error(
          `--concurrency: expected a whole number of at least 1, got "${flags.concurrency}"`,
        );
      }
      const rateLimit = parseRateLimit(flags.rateLimit, '--rate-limit / TELFORM_RATE_LIMIT');
      const addressRateLimit = parseRateLimit(
        flags.addressRateLimit,
        '--address-rate-limit / TELFORM_ADDRESS_RATE_LIMIT',
      );
      // Checked before anything starts, like every other variable.
      const logger = daemonLogger(env);
      const maxConnections = Number(flags.maxConnections);
      if (!/^\d+$/.test(flags.maxConnections) || maxConnections < 16) {
        throw new Error(
          `--max-connections / TELFORM_MAX_CONNECTIONS: expected a whole number of at least 16, got "${flags.maxConnections}"`,
        );
      }
      const platform =
        env.TELFORM_PLATFORM_URL && env.TELFORM_PLATFORM_KEY
          ? { url: env.TELFORM_PLATFORM_URL, apiKey: env.TELFORM_PLATFORM_KEY }
          : undefined;
      // Loaded here, not at start: the daemon is most of the code `telform --help` would load.
      const { startDaemon } = await import('../daemon.js');
      const daemon = await startDaemon({
        ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
        dataDir: flags.dataDir,
        listen,
        ...(platform ? { platform } : {}),
        ...(flags.withEmulator && !platform ? { emulator: bundledEmulator(flags, env) } : {}),
        workers: {
          concurrency,
          ...(env.TELFORM_LEASE_MS
            ? { leaseMs: positive(env.TELFORM_LEASE_MS, 'TELFORM_LEASE_MS') }
            : {}),
        },
        hardening: { rateLimit, addressRateLimit },
        serverLimits: { ...defaultServerLimits, maxConnections },
        logger,
      });
      announce(
        daemon,
        env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `embedded PGlite in ${flags.dataDir}`,
        flags.dataDir,
      );
      stopOnSignals(daemon);
    });
}

/** The `telform emulator` flags that also apply to the emulator `serve --with-emulator` runs. */
function bundledEmulator(flags: ServeFlags, env: NodeJS.ProcessEnv): BundledEmulatorOptions {
  // The partner key is the daemon's own (kept in the data dir), so only the staff key is read.
  const {
    dataDir: _dir,
    partnerKey: _key,
    ...options
  } = parseEmulatorFlags(
    {
      listen: flags.emulatorListen,
      ...(flags.staffKey !== undefined ? { staffKey: flags.staffKey } : {}),
      ...(flags.webhookCa !== undefined ? { webhookCa: flags.webhookCa } : {}),
    },
    { TELFORM_EMULATOR_STAFF_KEY: env.TELFORM_EMULATOR_STAFF_KEY },
  );
  return options;
}

function positive(value: string, name: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${name}: expected a whole number of milliseconds, got "${value}"`);
  return n;
}

// stdout carries addresses only: log collectors keep it. The first admin token goes to a 0600 file
// in the data directory, and stderr names that file (never the token).
function announce(daemon: RunningDaemon, state: string, dataDir: string): void {
  const lines = [`telform API: ${daemon.url}  (state: ${state}; replica ${daemon.replica})`];
  if (daemon.emulatorUrl) {
    lines.push(
      `platform: bundled emulator at ${daemon.emulatorUrl}  (partner key in ${join(dataDir, 'emulator-partner.key')})`,
    );
  }
  process.stdout.write(lines.join('\n') + '\n');
  if (daemon.adminToken) {
    const file = writeSecretFile(dataDir, adminTokenFileName, daemon.adminToken);
    process.stderr.write(
      [
        `first admin token written to ${file} (mode 0600, stored hashed in the database; keep it safe):`,
        `  export TELFORM_ENDPOINT=${daemon.url}`,
        `  export TELFORM_TOKEN="$(cat '${file}')"`,
        '',
      ].join('\n'),
    );
  }
}

// First signal: finish in-flight reconciles and job runs, then exit. Second: exit now. Started by
// npm, the parent's end counts as the first signal (see stop-with-parent.ts).
function stopOnSignals(daemon: RunningDaemon): void {
  let stopping = false;
  const stop = (reason: string) => {
    if (stopping) process.exit(exitCodes.forced);
    stopping = true;
    process.stderr.write(`telform: ${reason}, stopping (again to force)\n`);
    daemon.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`telform: stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
  if (startedByNpm(process.env)) {
    stopWithParent(() => stop('the npm process that started telform is gone'));
  }
}
