import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyServerOptions } from 'fastify';
import { catalog, compileAllValidators } from '@telform/schemas';
import { buildApp } from './api/build-app.js';
import { Metrics } from './api/metrics.js';
import type { AuditSink } from './audit/audit-sink.js';
import { AuditStore } from './audit/audit-store.js';
import { ReadAuditBuffer } from './audit/read-audit-buffer.js';
import { authPlugin } from './auth/auth-plugin.js';
import { TokenCache } from './auth/token-cache.js';
import { hardeningPlugin, type HardeningOptions } from './auth/hardening-plugin.js';
import { ScopeGuard } from './auth/scope.js';
import { TokenStore } from './auth/token-store.js';
import type { PlatformDriver } from './driver/platform-driver.js';
import { HttpPlatformDriver } from './driver/http-platform-driver.js';
import { reconcileResyncJob } from './jobs/reconcile-resync-job.js';
import { createOperationsServices } from './jobs/definitions/operations-services.js';
import { Scheduler } from './jobs/scheduler.js';
import type { AccountBudgetOptions } from './reconcile/account-budget.js';
import { prometheusReconcileMetrics } from './reconcile/prometheus-reconcile-metrics.js';
import { ReconcileEngine } from './reconcile/reconcile-engine.js';
import { ResourceChanges } from './reconcile/resource-changes.js';
import { AesGcmSecretBox } from './secrets/aes-gcm-secret-box.js';
import { loadSecretKey } from './secrets/load-secret-key.js';
import { logRedaction } from './secrets/log-redaction.js';
import { migrateToLatest } from './store/migrate.js';
import { openDatabase, type OpenedDatabase } from './store/open-database.js';
import { ResourceStore } from './store/resource-store.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '@telform/emulator';

export interface DaemonOptions {
  /** Real Postgres; without it, embedded PGlite under `dataDir`. */
  readonly databaseUrl?: string;
  /** Embedded state and the bundled emulator's storage (default `./.telform`). */
  readonly dataDir?: string;
  /** Default 127.0.0.1:7420; port 0 picks a free one. */
  readonly listen?: { readonly host: string; readonly port: number };
  /** Start the bundled emulator in-process and use it as the platform. */
  readonly emulator?: boolean | BundledEmulatorOptions;
  /** A platform of the emulator's API shape (a real vendor behind the same driver). */
  readonly platform?: { readonly url: string; readonly apiKey: string };
  /** Tests: any driver. Takes precedence over `platform` and `emulator`. */
  readonly driver?: PlatformDriver;
  readonly workers?: {
    readonly concurrency?: number;
    readonly pollMs?: number;
    readonly leaseMs?: number;
  };
  readonly budget?: AccountBudgetOptions;
  /** API request limits (per token); the default rate limit fits a large `terraform apply`. */
  readonly hardening?: HardeningOptions;
  /** Run scheduled jobs (default true). */
  readonly jobs?: boolean;
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
}

export interface RunningDaemon {
  readonly url: string;
  /** Set on the first start only (no token existed): shown once, stored hashed. */
  readonly adminToken?: string;
  readonly emulatorUrl?: string;
  /** The in-process emulator (its partner key included), when one was started. */
  readonly emulator?: RunningEmulator;
  readonly replica: string;
  readonly engine: ReconcileEngine;
  readonly scheduler: Scheduler;
  readonly database: OpenedDatabase;
  stop(): Promise<void>;
}

/**
 * Starts the daemon: store (migrated), API, reconcile workers, scheduled jobs, and on the
 * embedded default the bundled emulator. Anything that fails on the way undoes what started.
 */
export async function startDaemon(options: DaemonOptions = {}): Promise<RunningDaemon> {
  const env = options.env ?? process.env;
  const dataDir = options.dataDir ?? '.telform';
  const replica =
    options.replica ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const cleanup: Array<() => Promise<void>> = [];
  const undo = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => {});
  };
  try {
    // Connections the server closes while idle are logged once the logger exists (below).
    let logTo: {
      error(obj: object, msg: string): void;
      warn(obj: object, msg: string): void;
    } = { error: () => {}, warn: () => {} };
    const database = await openDatabase({
      ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : { dataDir }),
      onIdleConnectionError: (err) =>
        logTo.warn({ err: { message: err.message } }, 'idle database connection closed'),
    });
    cleanup.push(() => database.close());
    const migrated = await migrateToLatest(database.db);
    if (migrated.error !== undefined) {
      const failed = migrated.results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`migration ${failed} failed: ${String(migrated.error)}`);
    }
    const { db } = database;
    // Values sealed under a previous key still open; every new seal uses the current key.
    const keys = loadSecretKey({ env, ...(options.databaseUrl ? {} : { dataDir }) });
    const secrets = new AesGcmSecretBox(keys.key, keys.previous);

    let emulator: RunningEmulator | undefined;
    let driver = options.driver;
    if (!driver && options.platform) {
      driver = new HttpPlatformDriver({
        baseUrl: options.platform.url,
        apiKey: options.platform.apiKey,
      });
    }
    if (!driver && options.emulator) {
      const started = await startBundledEmulator(
        dataDir,
        options.emulator === true ? {} : options.emulator,
      );
      cleanup.push(() => started.close());
      emulator = started;
      driver = new HttpPlatformDriver({ baseUrl: started.url, apiKey: started.partnerKey });
    }
    if (!driver) {
      throw new Error(
        'no platform: use --with-emulator, or set TELFORM_PLATFORM_URL and TELFORM_PLATFORM_KEY',
      );
    }

    const secretPaths = new Map(catalog.map((k) => [k.kind, k.secrets]));
    const audit = new AuditStore(db, {
      secretPaths: (event) => secretPaths.get(event.resource?.split('/')[0] ?? '') ?? [],
    });
    // Reads are audited behind their answers, in batches; flushed on stop (after the API closes).
    const readAudit = new ReadAuditBuffer(audit, {
      onError: (err, dropped) =>
        logTo.error(
          { err: { message: err instanceof Error ? err.message : String(err) }, dropped },
          'read audit events not stored yet',
        ),
    });
    const tokens = new TokenStore(db);
    // Verified tokens in memory; a revocation anywhere empties it (LISTEN, or the epoch row).
    const tokenCache = new TokenCache(tokens, db, {
      ...(database.listen ? { listen: database.listen } : {}),
    });
    await tokenCache.start();
    cleanup.push(() => tokenCache.close());
    const store = new ResourceStore(db, secrets);
    const metrics = new Metrics({ queueDepth: () => store.queueDepth(), processMetrics: true });
    // Drift, notifications and their recurring jobs (one policy cache for API, jobs and engine).
    const auditDays = options.auditRetentionDays ?? auditRetentionFromEnv(env);
    const operations = await createOperationsServices({
      db,
      driver,
      secretBox: secrets,
      ...(auditDays !== undefined
        ? { retention: { audit: { days: auditDays, prune: (before) => audit.prune(before) } } }
        : {}),
    });
    const log = { error: (obj: object, msg: string) => logTo.error(obj, msg) };
    const scheduler = new Scheduler(db, { replica, dialect: database.dialect, log });
    // The engine's recorded outcomes wake this daemon's `?wait=applied` long-polls at once.
    const changes = new ResourceChanges();
    const app = buildApp({
      store,
      changes,
      driver,
      metrics,
      audit,
      drift: operations.drift,
      notifications: operations.notifications,
      jobs: { scheduler },
      logger: options.logger ?? { level: 'info', redact: logRedaction() },
      hardening: async (instance) => {
        await instance.register(hardeningPlugin, options.hardening ?? {});
      },
      auth: async (instance) => {
        await instance.register(authPlugin, {
          tokens: tokenCache,
          audit,
          readAudit,
          scope: new ScopeGuard(db),
        });
      },
    });
    logTo = app.log;
    cleanup.push(() => readAudit.close());
    cleanup.push(() => app.close());

    const engine = new ReconcileEngine({
      db,
      driver,
      secrets,
      audit,
      replica,
      metrics: prometheusReconcileMetrics(metrics),
      driftPolicy: operations.policies.driftPolicy,
      changes,
      log,
      ...options.workers,
      ...(options.budget ? { budget: options.budget } : {}),
    });
    // A write through this daemon makes work due now: claim it without waiting for the poll.
    app.addHook('onResponse', async (request, reply) => {
      if (request.method !== 'GET' && reply.statusCode < 300) engine.pool.wake();
    });
    scheduler.register(reconcileResyncJob(engine.queue, { olderThanMs: 30 * 60_000 }));
    for (const job of operations.jobs) scheduler.register(job);

    // Every kind's validator now, not on the first request of each kind.
    compileAllValidators();
    const adminToken = await firstAdminToken(tokens, audit);
    const listen = options.listen ?? { host: '127.0.0.1', port: 7420 };
    await app.listen(listen);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : listen.port;
    const url = `http://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`;

    engine.pool.start();
    cleanup.push(() => engine.pool.stop());
    if (options.jobs !== false) {
      scheduler.start();
      cleanup.push(() => scheduler.stop());
    }
    let stopping: Promise<void> | undefined;
    return {
      url,
      replica,
      engine,
      scheduler,
      database,
      ...(adminToken ? { adminToken } : {}),
      ...(emulator ? { emulator, emulatorUrl: emulator.url } : {}),
      stop: () => (stopping ??= undo()),
    };
  } catch (err) {
    await undo();
    throw err;
  }
}

// On the first start there is no token at all: make one admin token and hand it back once.
// Replicas starting together on one Postgres race on the unique name; the loser gets none.
// The creation is audited like `POST /v1/tokens`, with `bootstrap` as the actor (never the token).
async function firstAdminToken(tokens: TokenStore, audit: AuditSink): Promise<string | undefined> {
  if ((await tokens.list({ includeRevoked: true })).length > 0) return undefined;
  let created: Awaited<ReturnType<TokenStore['create']>>;
  try {
    created = await tokens.create({ name: 'admin', role: 'admin', createdBy: 'bootstrap' });
  } catch {
    return undefined;
  }
  const { info } = created;
  await audit.record({
    event: 'token.create',
    access: 'write',
    resource: `token/${info.id}`,
    actor: 'bootstrap',
    outcome: 'success',
    // The shape `POST /v1/tokens` records: the request, which never holds the token.
    change: { request: { name: info.name, role: info.role } },
  });
  return created.token;
}

export type BundledEmulatorOptions = Omit<EmulatorOptions, 'dataDir' | 'partnerKey'> & {
  /** Default: `<daemon data dir>/emulator`; `false` keeps the emulator in memory. */
  readonly dataDir?: string | false;
};

/**
 * The emulator the embedded default runs in-process: its state in `<dataDir>/emulator`, and a
 * partner key kept in `<dataDir>/emulator-partner.key` (0600) so that a restarted daemon still
 * reaches the accounts it made.
 */
async function startBundledEmulator(
  dataDir: string,
  options: BundledEmulatorOptions,
): Promise<RunningEmulator> {
  const { dataDir: own, ...rest } = options;
  if (own === false) return startEmulator({ port: 7421, ...rest });
  mkdirSync(dataDir, { recursive: true });
  const keyFile = join(dataDir, 'emulator-partner.key');
  if (!existsSync(keyFile)) {
    writeFileSync(keyFile, `partner_${randomBytes(24).toString('base64url')}\n`, {
      mode: 0o600,
      flag: 'wx',
    });
  }
  chmodSync(keyFile, 0o600);
  const partnerKey = readFileSync(keyFile, 'utf8').trim();
  return startEmulator({
    port: 7421,
    ...rest,
    dataDir: own ?? join(dataDir, 'emulator'),
    partnerKey,
  });
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
