import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import { catalog } from '@telform/schemas';
import type { Principal } from '../auth/principal.js';
import type { InventoryDriver } from '../driver/platform-driver.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';
import type { ResourceChanges } from '../reconcile/resource-changes.js';
import type { ResourceStore } from '../resources/resource-store.js';
import { sharedSchemas } from './api-schemas.js';
import { openapiOptions } from './openapi/openapi-options.js';
import { handleError, handleNotFound } from './error-handler.js';
import { inputGatePlugin } from './input-gate-plugin.js';
import { clientErrorHandler, countRequests } from './client-error-handler.js';
import type { Metrics } from '../metrics/metrics.js';
import { requestIdFor } from './request-id.js';
import {
  capConnections,
  defaultServerLimits,
  serverOptions,
  type ServerLimits,
} from './server-limits.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { openapiRoutes } from './routes/openapi.js';
import { platformActivityRoutes } from './routes/platform-activity.js';
import { platformDataRoutes } from './routes/platform-data.js';
import { webhookActionRoutes } from './routes/webhook-actions.js';
import { resourceRoutes } from './routes/resources.js';
import { tokenRoutes } from './routes/tokens.js';
import { auditRoutes } from './routes/audit.js';
import type { AuditStore } from '../audit/audit-store.js';
import type { ScopeGuard } from '../auth/scope.js';
import type { TokenStore } from '../auth/token-store.js';
import { driftRoutes, type DriftRoutesOptions } from './routes/drift.js';
import { ScanningRefresh } from '../drift/platform-refresh.js';
import { jobRoutes, type JobRoutesOptions } from './routes/jobs.js';
import { notificationRoutes, type NotificationRoutesOptions } from './routes/notifications.js';
import { consoleRoutes } from './console/console-routes.js';
import { adoptRoutes } from './routes/adopt.js';
import type { Adopter } from '../adopt/adopter.js';
import type { PlatformExporter } from '../export/platform-exporter.js';
import { platformExportRoutes } from './routes/platform-export.js';

/**
 * What the API serves, built once (reconciler/src/services.ts, or `apiServicesFor` in tests):
 * buildApp only registers routes and plugins over them, it builds no service of its own.
 */
export interface AppServices {
  readonly store: ResourceStore;
  readonly idempotency: IdempotencyStore;
  readonly metrics: Metrics;
  readonly tokens: TokenStore;
  readonly audit: AuditStore;
  /** Account scopes for the routes outside ResourceStore (audit, tokens, drift, ...). */
  readonly scope: ScopeGuard;
  /** The guarded driver, for read-only platform data; without it those routes answer 503. */
  readonly driver?: InventoryDriver;
  /** fastify's logger option (pino options with redaction, or false). Default: off. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Timeouts and the connection cap of the HTTP server (default `defaultServerLimits`). */
  readonly serverLimits?: ServerLimits;
  /** Largest accepted body, bytes (default 256 KiB). */
  readonly bodyLimit?: number;
  /** Request hardening (security headers, limits, rate limit); registered first. */
  readonly hardening?: FastifyPluginAsync;
  /**
   * Authentication: sets `request.principal` on every route with a `config.action` and answers
   * 401/403 itself. Without it (tests only) every request runs as `testPrincipal`.
   */
  readonly auth?: FastifyPluginAsync;
  /** Drift reports, scans and policies (routes/drift.ts); absent: no drift routes. */
  readonly drift?: Omit<DriftRoutesOptions, 'db' | 'scope'>;
  /** The scheduler behind `/v1/jobs` (routes/jobs.ts); absent: no job routes. */
  readonly jobs?: Omit<JobRoutesOptions, 'db' | 'scope'>;
  /** Webhook subscriptions (routes/notifications.ts); absent: no subscription routes. */
  readonly notifications?: Omit<NotificationRoutesOptions, 'scope'>;
  /** Adoption of platform objects (`POST /v1/adopt`); absent: that route answers 503. */
  readonly adopter?: Adopter;
  /** Export of platform state as Terraform configuration; absent: that route answers 503. */
  readonly exporter?: PlatformExporter;
  /** The engine's recorded outcomes, so `?wait=applied` answers without waiting for a poll. */
  readonly changes?: ResourceChanges;
  /** How a `?wait=applied` hears of other replicas' outcomes (`null`: there are none). */
  readonly replicaPollMs?: number | null;
}

/** The caller every request runs as when buildApp has no auth plugin: tests only. */
export const testPrincipal: Principal = {
  tokenId: 'test',
  name: 'test',
  role: 'admin',
  scopeAccountId: null,
};

/**
 * Builds the API (without listening): schemas, error handling, metrics, then plugins in the
 * order input gate -> hardening -> auth -> routes, so limits and authentication attach to every route.
 */
export function buildApp(deps: AppServices): FastifyInstance {
  const { metrics, scope } = deps;
  const limits = deps.serverLimits ?? defaultServerLimits;
  const app = Fastify({
    ...serverOptions(limits),
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 262_144,
    // One kind's attributes never need more; longer ids are junk.
    routerOptions: { maxParamLength: 200 },
    // Ids go in logs, problem details and audit events: random, or the caller's if well-formed.
    requestIdHeader: false,
    genReqId: requestIdFor,
    // Unknown query parameters are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
    // A path that is not valid percent-encoded UTF-8 (a lone surrogate's bytes) is a problem too.
    frameworkErrors: (error, request, reply) => handleError(error, request, reply),
    clientErrorHandler,
  });
  capConnections(app.server, limits);
  countRequests(app.server);
  // The API speaks JSON only: anything else is 415, not a string handed to validation.
  app.removeContentTypeParser('text/plain');

  for (const schema of sharedSchemas) app.addSchema(schema);
  for (const info of catalog) app.addSchema(info.schema);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  // Echoed on every answer (errors included), so a caller can quote it when asking about a call.
  // Hooks on every request are in callback form: an async one costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    metrics.httpRequests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });

  app.register(swagger, openapiOptions());
  // Always on and first: no bad input reaches the rate limiter's keys, a token lookup or a route.
  app.register(inputGatePlugin);
  if (deps.hardening) app.register(fp(deps.hardening));
  if (deps.auth) {
    app.register(fp(deps.auth));
  } else {
    app.addHook('onRequest', (request, _reply, done) => {
      request.principal ??= testPrincipal;
      done();
    });
  }
  app.register(healthRoutes, { db: deps.store.db });
  app.register(metricsRoutes, { metrics });
  app.register(openapiRoutes);
  app.register(resourceRoutes, {
    store: deps.store,
    idempotency: deps.idempotency,
    audit: deps.audit,
    ...(deps.changes ? { changes: deps.changes } : {}),
    ...(deps.replicaPollMs !== undefined ? { replicaPollMs: deps.replicaPollMs } : {}),
    ...(deps.drift
      ? {
          refresh: new ScanningRefresh(deps.store.db, deps.drift.scanner, deps.drift.policies),
        }
      : {}),
  });
  app.register(platformDataRoutes, { store: deps.store, driver: deps.driver });
  app.register(platformActivityRoutes, { db: deps.store.db, scope, driver: deps.driver });
  app.register(webhookActionRoutes, { store: deps.store, driver: deps.driver });
  app.register(tokenRoutes, { tokens: deps.tokens, scope });
  app.register(auditRoutes, { audit: deps.audit, scope });
  app.register(adoptRoutes, {
    store: deps.store,
    ...(deps.adopter ? { adopter: deps.adopter } : {}),
  });
  app.register(platformExportRoutes, deps.exporter ? { exporter: deps.exporter } : {});
  if (deps.drift) app.register(driftRoutes, { ...deps.drift, db: deps.store.db, scope });
  if (deps.jobs) app.register(jobRoutes, { ...deps.jobs, db: deps.store.db, scope });
  if (deps.notifications) app.register(notificationRoutes, { ...deps.notifications, scope });
  // The read-only web console (/ui) and the two read routes its pages need.
  app.register(consoleRoutes, {
    db: deps.store.db,
    tokens: deps.tokens,
    scope,
    driver: deps.driver,
    audit: deps.audit,
  });
  return app;
}
