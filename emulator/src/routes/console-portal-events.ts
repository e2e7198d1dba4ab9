import type { FastifyInstance } from 'fastify';
import { errors } from '../errors/error-catalogue.js';
import { note } from '../http/request-context.js';
import type { Platform } from '../services/platform.js';
import { requireAdmin } from './admin-guard.js';
import { security } from './route-schemas.js';

/**
 * The portal's own audit-log events (vendor docs, "Audit log events"): sign-ins, 2FA, API keys,
 * user locks, teams. They happen in the web interface, not through the API, so the console plays
 * them here and the activity log records them like any other change.
 */
export const portalEvents = [
  'user.login',
  'user.logout',
  'user.lock',
  'user.unlock',
  'user.verify',
  'user.password_reset',
  '2fa.enable',
  '2fa.disable',
  '2fa.update',
  'api_key.create',
  'api_key.update',
  'team.create',
  'team.update',
  'team.delete',
] as const;

const outcomes = ['success', 'failure', 'denied'] as const;

export function consolePortalEventRoutes(p: Platform) {
  const tags = ['emulator console'];
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => requireAdmin(request));

    app.post(
      '/_emulator/console/accounts/:accountId/portal-events',
      {
        schema: {
          tags,
          security,
          summary: 'Play a portal event (sign-in, 2FA, API key, team): the activity log records it',
          body: {
            type: 'object',
            additionalProperties: false,
            required: ['event'],
            properties: {
              event: { type: 'string', enum: [...portalEvents] },
              resource: { type: 'string', minLength: 1, maxLength: 200 },
              outcome: { type: 'string', enum: [...outcomes], default: 'success' },
            },
          },
        },
      },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        const rec = p.repo.get(accountId);
        if (!rec || (rec.kind !== 'account' && rec.kind !== 'sub_account'))
          throw errors.notFound(`account ${accountId}`);
        const b = request.body as { event: string; resource?: string; outcome: string };
        const resource = b.resource ?? `${b.event.split('.')[0]}/${accountId}`;
        note(request, {
          accountId,
          event: b.event,
          type: 'write',
          resource,
          outcome: b.outcome as (typeof outcomes)[number],
        });
        return reply.code(201).send({ event: b.event, resource, outcome: b.outcome });
      },
    );
  };
}
