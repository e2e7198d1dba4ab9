import { pgliteWorkerFromEnv } from './store/embedded-pglite.js';
import { preparedStatementsFromEnv } from './store/prepared-statements.js';
import { ReadAuditBuffer } from './audit/read-audit-buffer.js';
import { TokenCache } from './auth/token-cache.js';
import { Adopter } from './adopt/adopter.js';
import { PlatformExporter } from './export/platform-exporter.js';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { catalog } from '@telform/schemas';
import type { RunningEmulator } from '@telform/emulator';
import type { AppServices } from './api/build-app.js';
import { Metrics } from './metrics/metrics.js';
import { DomainSnapshotCache } from './metrics/domain-snapshot-cache.js';
import { loadDomainSnapshot } from './metrics/domain-snapshot.js';
import { AuditStore } from './audit/audit-store.js';
import { authPlugin } from './api/auth-plugin.js';
import { hardeningPlugin, type HardeningOptions } from './api/hardening-plugin.js';
import { AddressBudget } from './auth/address-budget.js';
import type { ServerLimits } from './api/server-limits.js';
import { ScopeGuard } from './auth/scope.js';
import { TokenStore } from './auth/token-store.js';
import { AccountBudget, type AccountBudgetOptions } from './driver/account-budget.js';
import { platformAccountBudget } from './driver/platform-account-budget.js';
import { GuardedDriver } from './driver/guarded-driver.js';
import { lastAuditChainHealth } from './audit/audit-chain-health.js';
import { createOperationsServices } from './operations-services.js';
import { reconcileResyncJob } from './jobs/reconcile-resync-job.js';
import { Scheduler } from './jobs/scheduler.js';
import { knownPlatformRateLimit, openPlatform, type PlatformChoice } from './open-platform.js';
import { prometheusReconcileMetrics } from './metrics/prometheus-reconcile-metrics.js';
import { ReconcileEngine } from './reconcile/reconcile-engine.js';
import { ResourceChanges } from './reconcile/resource-changes.js';
import { AesGcmSecretBox } from './secrets/aes-gcm-secret-box.js';
import { loadSecretKey } from './secrets/load-secret-key.js';
import { logRedaction } from './secrets/log-redaction.js';
import { silentLog, type DaemonLog } from './log/daemon-log.js';
import { IdempotencyStore } from './store/idempotency-store.js';
import { migrateToLatest } from './store/migrate.js';
import {
  openDatabase,
  type OpenDatabaseOptions,
  type OpenedDatabase,
} from './store/open-database.js';
import { ResourceStore } from './resources/resource-store.js';

export interface ServicesOptions extends PlatformChoice {
  /** Real Postgres; without it, embedded PGlite under `dataDir`. */
  readonly databaseUrl?: string;
  /** Embedded state and the bundled emulator's storage (default `./.telform`). */
  readonly dataDir?: string;
  readonly workers?: {
    readonly concurrency?: number;
    readonly pollMs?: number;
    readonly leaseMs?: number;
  };
  /**
   * Per platform account, for every caller of the platform (default: derived from the platform's
   * limit, `platformAccountBudget`).
   */
  readonly budget?: AccountBudgetOptions;
  /** API request limits (per token); the default rate limit fits a large `terraform apply`. */
  readonly hardening?: HardeningOptions;
  /** Timeouts and connection cap of the API server (default `defaultServerLimits`). */
  readonly serverLimits?: ServerLimits;
  /**
   * Audit events older than this many days are pruned by the retention job, behind a checkpoint
   * that keeps `telform audit verify` working (default `TELFORM_AUDIT_RETENTION_DAYS`; unset:
   * kept forever).
   */
  readonly auditRetentionDays?: number;
  /** Name in leases and job runs (default host:pid:random). */
  readonly replica?: string;
  /** fastify/pino logger options; default: info level with secrets redacted. */
  readonly logger?: FastifyServerOptions['logger'];
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** kysely's log hook on the store (tests count statements per request with it). */
  readonly queryLog?: OpenDatabaseOptions['log'];
  /** A new embedded directory's template (default: the built one; null: initdb). */
  readonly pgdataTemplate?: OpenDatabaseOptions['pgdataTemplate'];
}

/** Where the services log; the daemon points it at the app's logger once that exists. */
export interface LateLog extends DaemonLog {
  attach(to: DaemonLog): void;
}

export interface Services {
  readonly replica: string;
  readonly database: OpenedDatabase;
  readonly emulator?: RunningEmulator;
  /** What buildApp serves. */
  readonly api: AppServices;
  readonly engine: ReconcileEngine;
  readonly scheduler: Scheduler;
  /** Where reads' audit events wait for their batch (flushed by `close`). */
  readonly readAudit: ReadAuditBuffer;
  readonly log: LateLog;
  /** Closes what was opened (database, emulator), in reverse order. */
  close(): Promise<void>;
}

/**
 * Builds every service once: the store (migrated), secrets, audit, tokens, the one guarded
 * platform driver (every caller's calls wait for their account's budget and are counted), the
 * engine, drift, notifications and the scheduled jobs. Starts nothing; on failure it closes
 * what it opened.
 */
export async function buildServices(options: ServicesOptions = {}): Promise<Services> {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? '.telform';
  const replica =
    options.replica ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = lateLog();
  // Checked before anything is opened: a bad setting changes nothing.
  const budgetOptions =
    options.budget ?? platformAccountBudget(env, knownPlatformRateLimit(options));
  const opened: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const step of opened.reverse()) await step().catch(() => {});
  };
  try {
    const database = await openDatabase({
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir }),
      onIdleConnectionError: (err) =>
        log.warn({ err: { message: err.message } }, 'idle database connection closed'),
      ...(options.queryLog ? { log: options.queryLog } : {}),
      ...(options.pgdataTemplate !== undefined ? { pgdataTemplate: options.pgdataTemplate } : {}),
      preparedStatements: preparedStatementsFromEnv(env),
      pgliteWorker: pgliteWorkerFromEnv(env),
    });
    opened.push(() => database.close());
    const migrated = await migrateToLatest(database.db);
    if (migrated.error !== undefined) {
      const failed = migrated.results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`migration ${failed} failed: ${String(migrated.error)}`);
    }
    const { db } = database;
    // Values sealed under a previous key still open; every new seal uses the current key.
    const keys = loadSecretKey({ env, ...(options.databaseUrl ? {} : { dataDir }) });
    const secrets = new AesGcmSecretBox(keys.key, keys.previous);
    const platform = await openPlatform(options, dataDir, log);
    if (platform.emulator) opened.push(() => platform.emulator!.close());

    const store = new ResourceStore(db, secrets);
    // Open drift, unmanaged objects and job successes: read again when stale or when this
    // daemon's scans and jobs changed them, never at every scrape. (The first read comes at the
    // first scrape, once the scheduler below holds every job.)
    const domain = new DomainSnapshotCache(() =>
      loadDomainSnapshot(
        db,
        scheduler.list().map((job) => job.name),
      ),
    );
    const metrics = new Metrics({
      queueDepth: () => store.queueDepth(),
      auditChainOk: async () => (await lastAuditChainHealth(db))?.ok ?? null,
      domain,
      processMetrics: true,
    });
    const api = apiServicesFor(store, { metrics, audit: auditStore(db) });
    // Reads are audited behind their answers, in batches; flushed on stop, after the API closed.
    const readAudit = new ReadAuditBuffer(api.audit, {
      onError: (err, dropped) =>
        log.error(
          { err: { message: err instanceof Error ? err.message : String(err) }, dropped },
          'read audit events not stored yet',
        ),
    });
    opened.push(() => readAudit.close());
    // Verified tokens in memory; a revocation anywhere empties it (LISTEN, or the epoch row).
    const tokenCache = new TokenCache(api.tokens, db, {
      ...(database.listen ? { listen: database.listen } : {}),
    });
    await tokenCache.start();
    opened.push(() => tokenCache.close());
    const reconcileMetrics = prometheusReconcileMetrics(metrics);
    // The one guard over the platform: every caller below reaches it through `driver`.
    const budget = new AccountBudget(budgetOptions);
    const driver = new GuardedDriver(platform.driver, budget, reconcileMetrics);
    const auditDays = options.auditRetentionDays ?? auditRetentionFromEnv(env);
    const prune = (before: Date) => api.audit.prune(before);
    // Drift, notifications and their jobs (one policy cache for API, jobs and engine).
    const operations = await createOperationsServices({
      db,
      driver,
      secretBox: secrets,
      log,
      ...(auditDays !== undefined ? { retention: { audit: { days: auditDays, prune } } } : {}),
      onDriftRecorded: () => domain.invalidate(),
    });
    const scheduler = new Scheduler(db, {
      replica,
      dialect: database.dialect,
      log,
      onRunRecorded: () => domain.invalidate(),
    });
    // The engine's recorded outcomes wake this daemon's `?wait=applied` long-polls at once.
    const changes = new ResourceChanges();
    const engine = new ReconcileEngine({
      db,
      driver,
      secrets,
      audit: api.audit,
      replica,
      metrics: reconcileMetrics,
      driftPolicy: operations.policies.driftPolicy,
      changes,
      log,
      ...options.workers,
    });
    scheduler.register(reconcileResyncJob(engine.queue, { olderThanMs: 30 * 60_000 }));
    for (const job of operations.jobs) scheduler.register(job);
    const hardening = options.hardening ?? {};
    const addresses = new AddressBudget(hardening.addressRateLimit);
    return {
      replica,
      database,
      ...(platform.emulator ? { emulator: platform.emulator } : {}),
      api: {
        ...api,
        driver,
        adopter: new Adopter(db, driver, secrets, api.audit),
        exporter: new PlatformExporter(db, driver),
        changes,
        // Embedded PGlite is locked to this one process: every outcome is this engine's own.
        ...(database.dialect === 'pglite' ? { replicaPollMs: null } : {}),
        drift: operations.drift,
        notifications: operations.notifications,
        jobs: { scheduler },
        logger: options.logger ?? { level: 'info', redact: logRedaction() },
        ...(options.serverLimits ? { serverLimits: options.serverLimits } : {}),
        hardening: async (instance) => {
          await instance.register(hardeningPlugin, {
            ...hardening,
            goodToken: (token: string, hash: string) => tokenCache.holds(token, hash),
          });
        },
        auth: async (instance) => {
          await instance.register(authPlugin, { ...api, tokens: tokenCache, readAudit, addresses });
        },
      },
      engine,
      scheduler,
      readAudit,
      log,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The API's own services over a store: what buildApp needs at the least (tests build apps from
 * this; the daemon adds the engine, drift, jobs and auth).
 */
export function apiServicesFor(
  store: ResourceStore,
  built: { readonly metrics?: Metrics; readonly audit?: AuditStore } = {},
): AppServices {
  const { db } = store;
  return {
    store,
    idempotency: new IdempotencyStore(db),
    metrics:
      built.metrics ??
      new Metrics({
        queueDepth: () => store.queueDepth(),
        auditChainOk: async () => (await lastAuditChainHealth(db))?.ok ?? null,
      }),
    tokens: new TokenStore(db),
    audit: built.audit ?? auditStore(db),
    scope: new ScopeGuard(db),
  };
}

// Audit events name their resource `<kind>/<id>`: the kind's secret paths are redacted.
function auditStore(db: ResourceStore['db']): AuditStore {
  const secretPaths = new Map(catalog.map((k) => [k.kind, k.secrets]));
  return new AuditStore(db, {
    secretPaths: (event) => secretPaths.get(event.resource?.split('/')[0] ?? '') ?? [],
  });
}

// Lines before `attach` are dropped: nothing logs before the daemon starts its parts.
function lateLog(): LateLog {
  let to: DaemonLog = silentLog;
  return {
    error: (fields, message) => to.error(fields, message),
    warn: (fields, message) => to.warn(fields, message),
    info: (fields, message) => to.info(fields, message),
    debug: (fields, message) => to.debug(fields, message),
    trace: (fields, message) => to.trace(fields, message),
    attach: (next) => {
      to = next;
    },
  };
}

function auditRetentionFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): number | undefined {
  const raw = env.TELFORM_AUDIT_RETENTION_DAYS;
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new Error('TELFORM_AUDIT_RETENTION_DAYS: must be a whole number of days, 1 or more');
  }
  return Number(raw);
}
