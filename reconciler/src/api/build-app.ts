import swagger from '@fastify/swagger';
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerOptions,
} from 'fastify';
import fp from 'fastify-plugin';
import { catalog } from '@telform/schemas';
import { discardAuditSink, type AuditSink } from '../audit/audit-sink.js';
import type { Principal } from '../auth/principal.js';
import type { PlatformDriver } from '../driver/platform-driver.js';
import { IdempotencyStore } from '../store/idempotency-store.js';
import type { ResourceChanges } from '../reconcile/resource-changes.js';
import type { ResourceStore } from '../store/resource-store.js';
import { sharedSchemas } from './api-schemas.js';
import { handleError, handleNotFound } from './error-handler.js';
import { Metrics } from './metrics.js';
import { requestIdFor } from './request-id.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { openapiRoutes } from './routes/openapi.js';
import { platformDataRoutes } from './routes/platform-data.js';
import { resourceRoutes } from './routes/resources.js';
import { tokenRoutes } from './routes/tokens.js';
import { auditRoutes } from './routes/audit.js';
import { AuditStore } from '../audit/audit-store.js';
import { ScopeGuard } from '../auth/scope.js';
import { TokenStore } from '../auth/token-store.js';
import { driftRoutes, type DriftRoutesOptions } from './routes/drift.js';
import { jobRoutes, type JobRoutesOptions } from './routes/jobs.js';
import { notificationRoutes, type NotificationRoutesOptions } from './routes/notifications.js';
import { adoptRoutes } from './routes/adopt.js';
import type { Adopter } from '../adopt/adopter.js';

export interface AppDeps {
  readonly store: ResourceStore;
  /** Default: one on the store's database. */
  readonly idempotency?: IdempotencyStore;
  /** For read-only platform data; without it those routes answer 503. */
  readonly driver?: PlatformDriver;
  /** Default: a fresh Metrics whose queue depth reads the store. */
  readonly metrics?: Metrics;
  /** fastify's logger option (pino options with redaction, or false). Default: off. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Largest accepted body, bytes (default 256 KiB). */
  readonly bodyLimit?: number;
  /** Request hardening (security headers, limits, rate limit); registered first. */
  readonly hardening?: FastifyPluginAsync;
  /**
   * Authentication: sets `request.principal` on every route with a `config.action` and answers
   * 401/403 itself. Without it (tests only) every request runs as `testPrincipal`.
   */
  readonly auth?: FastifyPluginAsync;
  /** Kept on the instance as `app.telform.audit` for route plugins that record events. */
  readonly audit?: AuditSink;
  /** Drift reports, scans and policies (routes/drift.ts); absent: no drift routes. */
  readonly drift?: Omit<DriftRoutesOptions, 'db' | 'scope'>;
  /** The scheduler behind `/v1/jobs` (routes/jobs.ts); absent: no job routes. */
  readonly jobs?: Omit<JobRoutesOptions, 'db'>;
  /** Webhook subscriptions (routes/notifications.ts); absent: no subscription routes. */
  readonly notifications?: Omit<NotificationRoutesOptions, 'scope'>;
  /** Adoption of platform objects (`POST /v1/adopt`); absent: that route answers 503. */
  readonly adopter?: Adopter;
  /** The engine's recorded outcomes, so `?wait=applied` answers without waiting for a poll. */
  readonly changes?: ResourceChanges;
}

/** The caller every request runs as when buildApp has no auth plugin: tests only. */
export const testPrincipal: Principal = {
  tokenId: 'test',
  name: 'test',
  role: 'admin',
  scopeAccountId: null,
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's collaborators, for route plugins registered by teammates. */
    telform: {
      readonly store: ResourceStore;
      readonly metrics: Metrics;
      readonly audit: AuditSink;
      readonly driver?: PlatformDriver;
    };
  }
}

/**
 * Builds the API (without listening): schemas, error handling, metrics, then plugins in the
 * order hardening -> auth -> routes, so limits and authentication attach to every route.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const metrics = deps.metrics ?? new Metrics({ queueDepth: () => deps.store.queueDepth() });
  const idempotency = deps.idempotency ?? new IdempotencyStore(deps.store.db);
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.bodyLimit ?? 262_144,
    // One kind's attributes never need more; longer ids are junk.
    routerOptions: { maxParamLength: 200 },
    // Ids go in logs, problem details and audit events: random, or the caller's if well-formed.
    requestIdHeader: false,
    genReqId: requestIdFor,
    // Unknown query parameters are refused, not silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  // The API speaks JSON only: anything else is 415, not a string handed to validation.
  app.removeContentTypeParser('text/plain');
  app.decorate('telform', {
    store: deps.store,
    metrics,
    audit: deps.audit ?? discardAuditSink,
    driver: deps.driver,
  });

  for (const schema of sharedSchemas) app.addSchema(schema);
  for (const info of catalog) app.addSchema(info.schema);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  // Echoed on every answer (errors included), so a caller can quote it when asking about a call.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const labels = { method: request.method, route };
    metrics.httpRequests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'telform reconciler API', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // Component names: `telform-resource`, and each kind's name for its schema.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        kindOf(json) ?? (typeof json.$id === 'string' ? json.$id : `schema-${i}`),
    },
  });
  if (deps.hardening) app.register(fp(deps.hardening));
  if (deps.auth) {
    app.register(fp(deps.auth));
  } else {
    app.addHook('onRequest', async (request) => {
      request.principal ??= testPrincipal;
    });
  }
  app.register(healthRoutes, { db: deps.store.db });
  app.register(metricsRoutes, { metrics });
  app.register(openapiRoutes);
  app.register(resourceRoutes, {
    store: deps.store,
    idempotency,
    ...(deps.changes ? { changes: deps.changes } : {}),
  });
  app.register(platformDataRoutes, { store: deps.store, driver: deps.driver });
  app.register(adoptRoutes, {
    store: deps.store,
    ...(deps.adopter ? { adopter: deps.adopter } : {}),
  });
  const scope = new ScopeGuard(deps.store.db);
  app.register(tokenRoutes, { tokens: new TokenStore(deps.store.db), scope });
  app.register(auditRoutes, { audit: new AuditStore(deps.store.db), scope });
  if (deps.drift) app.register(driftRoutes, { ...deps.drift, db: deps.store.db, scope });
  if (deps.jobs) app.register(jobRoutes, { ...deps.jobs, db: deps.store.db });
  if (deps.notifications) app.register(notificationRoutes, { ...deps.notifications, scope });
  return app;
}

function kindOf(json: Record<string, unknown>): string | undefined {
  const note = json['x-telform'] as { kind?: unknown } | undefined;
  return typeof note?.kind === 'string' ? note.kind : undefined;
}
