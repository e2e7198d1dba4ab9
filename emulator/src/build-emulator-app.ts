import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import type { FastifyError, FastifyInstance } from 'fastify';
import { authenticate } from './auth/access.js';
import { actorHeader, actorOf, consoleActorOf } from './auth/principal.js';
import { EmulatorError } from './errors/emulator-error.js';
import { errors } from './errors/error-catalogue.js';
import type { FaultInjector } from './faults/fault-injector.js';
import { installInputGate } from './http/input-gate.js';
import { accountRoutes } from './routes/accounts.js';
import { collectionRoutes } from './routes/collections.js';
import { consoleRoutes } from './routes/console.js';
import { consolePortalEventRoutes } from './routes/console-portal-events.js';
import { consoleSimulationRoutes } from './routes/console-simulations.js';
import { emailBlacklistRoutes } from './routes/email-blacklist.js';
import { limitIncreaseDecisionRoutes } from './routes/limit-increase-decisions.js';
import { faultRoutes } from './routes/faults.js';
import { platformActionRoutes } from './routes/platform-actions.js';
import { platformDataRoutes } from './routes/platform-data.js';
import { historyRoutes } from './routes/history-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { webhookActionRoutes } from './routes/webhook-actions.js';
import { settingsRoutes } from './routes/settings.js';
import type { Platform } from './services/platform.js';

const open = (path: string) =>
  path === '/healthz' || path === '/openapi.json' || path.startsWith('/provision/');

/** Every kind's attribute schema, keyed by kind, as OpenAPI 3.1 components. */
function kindSchemas(p: Platform): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const k of p.kinds.all()) {
    const {
      $id: _id,
      $schema: _s,
      ...schema
    } = k.info.schema as unknown as Record<string, unknown>;
    out[k.kind] = schema;
  }
  return out;
}

/** The emulator's HTTP API (no listen): tests may `inject()` into it. */
export async function buildEmulatorApp(
  p: Platform,
  faults: FaultInjector,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });

  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema, so the kinds' own schemas fit as they are.
      openapi: '3.1.0',
      info: {
        title: 'telform platform emulator',
        version: '0.1.0',
        description:
          'An emulated telephony platform account-management API. Authenticate with ' +
          '`Authorization: Bearer <key>`: the partner key acts on every account it created; an ' +
          "account's own key (returned once as `api_key` when the account is created) acts on " +
          'that account and its sub-accounts. Errors are `{ "error": { code, message, field, rule } }`. ' +
          'Attribute names are the telform schema names; `components.schemas` holds the ' +
          'attributes of every kind (request bodies of `/v1/accounts/{accountId}/{kind}s` and ' +
          'of `/settings/{kind}`, and the `attributes` of responses).',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
        schemas: kindSchemas(p),
      },
    },
  });

  // Some clients always send a JSON content type, even on a DELETE with no body: accept that.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, text, done) => {
    if (text === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text as string));
    } catch {
      done(errors.badRequest('the body is not valid JSON', '', 'json'), undefined);
    }
  });

  // First of the hooks: bad input is refused before authentication, faults or any route.
  installInputGate(app);
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const caller = authenticate(p, request.headers.authorization);
    const person = actorHeader(request.headers['x-telform-actor']);
    request.platformCaller = caller && person !== undefined ? { ...caller, person } : caller;
    if (open(path) && !path.startsWith('/provision/')) return;
    if (!open(path) && !request.platformCaller) throw errors.unauthenticated();
    if (path.startsWith('/_emulator/')) return;
    const accountId = (request.params as { accountId?: string } | undefined)?.accountId;
    const subject = accountId ?? actorOf(request.platformCaller);
    const decision = faults.decide(request.method, path, accountId, subject, Date.now());
    if (decision.delayMs > 0) await new Promise((r) => setTimeout(r, decision.delayMs));
    if (decision.action === 'drop') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (decision.action === 'fail') throw decision.error;
  });

  app.addHook('onResponse', async (request, reply) => {
    const n = request.platformActivity;
    const accountId =
      n?.accountId ?? (request.params as { accountId?: string } | undefined)?.accountId;
    if (!accountId || !p.repo.get(accountId)) return;
    const status = reply.statusCode;
    const path = request.url.split('?')[0]!;
    p.activity.record({
      account_id: accountId,
      time: p.clock().toISOString(),
      event: n?.event ?? 'api.request',
      type: n?.type ?? (request.method === 'GET' ? 'read' : 'write'),
      resource: n?.resource ?? path,
      actor: path.startsWith('/_emulator/console/')
        ? consoleActorOf(request.headers['x-console-user'])
        : actorOf(request.platformCaller),
      ...(request.platformCaller?.person !== undefined
        ? { on_behalf_of: request.platformCaller.person }
        : {}),
      outcome:
        n?.outcome ??
        (status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : 'failure'),
      ip: request.ip,
      status,
    });
  });

  app.setErrorHandler((err: FastifyError | EmulatorError, _request, reply) => {
    if (err instanceof EmulatorError) {
      return reply.code(err.status).headers(err.headers).send(err.body());
    }
    if (err.validation) {
      const v = err.validation[0];
      const field =
        (v?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.') ||
        String((v?.params as { missingProperty?: string } | undefined)?.missingProperty ?? '');
      return reply.code(400).send(errors.badRequest(err.message, field, v?.keyword).body());
    }
    if (err.statusCode && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errors.badRequest(err.message).body());
    }
    return reply.code(500).send({ error: { code: 'internal', message: 'internal error' } });
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(errors.notFound(`route ${request.method} ${request.url.split('?')[0]}`).body());
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(accountRoutes(p));
  await app.register(collectionRoutes(p));
  await app.register(settingsRoutes(p));
  await app.register(platformDataRoutes(p));
  await app.register(historyRoutes(p));
  await app.register(notificationRoutes(p));
  await app.register(webhookActionRoutes(p));
  await app.register(platformActionRoutes(p));
  await app.register(consoleRoutes(p));
  await app.register(consoleSimulationRoutes(p));
  await app.register(consolePortalEventRoutes(p));
  await app.register(emailBlacklistRoutes(p));
  await app.register(limitIncreaseDecisionRoutes(p));
  await app.register(faultRoutes(faults));
  return app;
}
