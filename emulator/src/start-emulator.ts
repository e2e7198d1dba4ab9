import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ActivityLog } from './activity/activity-log.js';
import { History } from './activity/history.js';
import { buildEmulatorApp } from './build-emulator-app.js';
import { pruneIdempotencyKeys } from './http/idempotency.js';
import { FaultInjector } from './faults/fault-injector.js';
import type { RateLimit } from './faults/fault-injector.js';
import { defaultRateLimit } from './faults/default-rate-limit.js';
import { KindTable } from './model/kind-table.js';
import { ObjectRepository } from './model/object-repository.js';
import { platformRules } from './rules/platform-rules.js';
import type { Platform, PlatformConfig } from './services/platform.js';
import { StateStore } from './storage/state-store.js';
import { WebhookDispatcher } from './webhooks/webhook-dispatcher.js';

export interface EmulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 7421; 0 picks a free port. */
  readonly port?: number;
  /** Durable storage here (journal, exclusive lock); in memory when absent. */
  readonly dataDir?: string;
  /** The partner (reseller) API key; generated when absent. */
  readonly partnerKey?: string;
  /** A vendor-staff key, allowed what clients are not (email-address domains). */
  readonly staffKey?: string;
  /** Per-account request-rate limit; default 100 requests/s with a burst of 200; null: none. */
  readonly rateLimit?: RateLimit | null;
  /** Object limits of new accounts by kind (`seat`: seats purchased); merged over the defaults. */
  readonly limits?: Readonly<Record<string, number>>;
  /** An extra trusted CA (PEM) for webhook deliveries, such as a local receiver's certificate. */
  readonly webhookCa?: string;
  /** Clock for tests. */
  readonly clock?: () => Date;
}

export interface RunningEmulator {
  readonly url: string;
  readonly partnerKey: string;
  readonly staffKey: string | undefined;
  readonly app: FastifyInstance;
  /** Resolves when every webhook delivery under way has finished. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

const MAINTENANCE_MS = 3_600_000;

export { defaultRateLimit };

/** Platform limits of a new account; `terraform` users raise them through their vendor. */
export const defaultLimits: Readonly<Record<string, number>> = {
  user: 1000,
  sub_account: 100,
  seat: 100,
  domain: 50,
  webhook: 10,
  sso_connector: 5,
  location: 100,
  device: 2000,
  button_template: 100,
  notification_subscription: 50,
  audio_clip: 200,
  playlist: 100,
};

/** Starts the emulator: storage, platform services, HTTP server. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const store = options.dataDir ? await StateStore.open(options.dataDir) : StateStore.memory();
  try {
    const clock = options.clock ?? (() => new Date());
    const config: PlatformConfig = {
      partnerKey: options.partnerKey ?? `partner_${randomBytes(24).toString('base64url')}`,
      ...(options.staffKey ? { staffKey: options.staffKey } : {}),
      publicUrl: '',
      defaultLimits: { ...defaultLimits, ...options.limits },
    };
    const repo = new ObjectRepository(store);
    const deliveries = new History(store, 'webhook_deliveries');
    const platform: Platform = {
      config,
      store,
      repo,
      kinds: new KindTable(),
      rules: platformRules(config.defaultLimits.seat ?? 0, config.defaultLimits),
      activity: new ActivityLog(store),
      deletions: new History(store, 'deletions'),
      seatLog: new History(store, 'seat_log'),
      deliveries,
      notifications: new History(store, 'notifications'),
      webhooks: new WebhookDispatcher(repo, deliveries, clock, options.webhookCa),
      clock,
    };
    const faults = new FaultInjector(
      options.rateLimit === undefined ? defaultRateLimit : options.rateLimit,
    );
    const app = await buildEmulatorApp(platform, faults);
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 7421 });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : options.port;
    const host = options.host ?? '127.0.0.1';
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    config.publicUrl = url;
    // Three-month histories and day-old idempotency keys age out while the emulator runs.
    const maintenance = setInterval(() => {
      const now = clock();
      for (const h of [
        platform.activity,
        platform.deletions,
        platform.seatLog,
        platform.deliveries,
        platform.notifications,
      ])
        h.prune(now);
      pruneIdempotencyKeys(platform, now);
    }, MAINTENANCE_MS);
    maintenance.unref();
    return {
      url,
      partnerKey: config.partnerKey,
      staffKey: config.staffKey,
      app,
      webhooksIdle: () => platform.webhooks.idle(),
      async close() {
        clearInterval(maintenance);
        await app.close();
        await platform.webhooks.idle();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
