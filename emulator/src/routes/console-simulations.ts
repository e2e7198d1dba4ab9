import type { FastifyInstance } from 'fastify';
import { errors } from '../errors/error-catalogue.js';
import { note, replyDurable, ruleContext } from '../http/request-context.js';
import type { Platform } from '../services/platform.js';
import { objectView } from '../services/views.js';
import { webhookModules } from '../webhooks/module-events.js';
import { requireAdmin } from './admin-guard.js';
import { security } from './route-schemas.js';

/**
 * `/_emulator/console/...` simulations of what happens on the platform outside its API: a
 * user logging in, a module event (webhooks deliver it), an emergency call (who is notified).
 */
export function consoleSimulationRoutes(p: Platform) {
  const tags = ['emulator console'];
  const account = (id: string) => {
    const rec = p.repo.get(id);
    if (!rec || (rec.kind !== 'account' && rec.kind !== 'sub_account'))
      throw errors.notFound(`account ${id}`);
    return rec;
  };

  return async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => requireAdmin(request));

    app.post(
      '/_emulator/console/accounts/:accountId/users/:userId/login',
      { schema: { tags, security, summary: 'Record a user login (at: ISO time, default now)' } },
      async (request, reply) => {
        const { accountId, userId } = request.params as { accountId: string; userId: string };
        const user = p.repo.get(userId);
        if (!user || user.kind !== 'user' || user.account_id !== accountId)
          throw errors.notFound(`user ${userId}`);
        const at = (request.body as { at?: unknown } | undefined)?.at ?? p.clock().toISOString();
        if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) {
          throw errors.invalid('at', 'date_time', 'at must be an ISO 8601 time');
        }
        const next = {
          ...user,
          generated: { ...user.generated, last_login_at: new Date(at).toISOString() },
        };
        p.repo.put(next);
        note(request, {
          accountId,
          event: 'user.login',
          type: 'write',
          resource: `user/${userId}`,
        });
        return replyDurable(p, reply, 200, objectView(p, ruleContext(p, 'console'), next));
      },
    );

    app.post(
      '/_emulator/console/accounts/:accountId/events',
      {
        schema: {
          tags,
          security,
          summary: 'Play a platform event of a module (webhooks deliver it)',
        },
      },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        account(accountId);
        const b = (request.body ?? {}) as Record<string, unknown>;
        if (!webhookModules.includes(b.module as never)) {
          throw errors.invalid(
            'module',
            'enum',
            `module must be one of ${webhookModules.join(', ')}`,
          );
        }
        if (typeof b.trigger !== 'string' || b.trigger === '') {
          throw errors.invalid('trigger', 'required', 'trigger is required');
        }
        p.webhooks.emit(accountId, b.module as string, b.trigger, b.data ?? null);
        return reply.code(202).send({ accepted: true });
      },
    );

    app.post(
      '/_emulator/console/accounts/:accountId/emergency-calls',
      {
        schema: {
          tags,
          security,
          summary: 'Dial 911 (or the 933 test line) from a location: who is notified',
        },
      },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        const acct = account(accountId);
        const b = (request.body ?? {}) as { location_id?: unknown; number?: unknown };
        const number = b.number ?? '911';
        if (number !== '911' && number !== '933')
          throw errors.invalid('number', 'enum', 'number must be 911 or 933');
        const loc = typeof b.location_id === 'string' ? p.repo.get(b.location_id) : undefined;
        if (
          b.location_id !== undefined &&
          (!loc || loc.kind !== 'location' || loc.account_id !== accountId)
        ) {
          throw errors.invalid(
            'location_id',
            'reference',
            `location_id must be a location of account ${accountId}`,
          );
        }
        // Account and location recipients are notified together; neither replaces the other.
        const recipients = [
          ...((acct.attributes.emergency_notification_recipients as string[] | undefined) ?? []),
          ...((loc?.attributes.emergency_notification_recipients as string[] | undefined) ?? []),
        ];
        note(request, {
          accountId,
          event: 'emergency_call.notify',
          type: 'write',
          resource: `location/${String(b.location_id ?? '')}`,
        });
        return reply.code(200).send({ number, notified: [...new Set(recipients)] });
      },
    );
  };
}
