import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../errors/error-catalogue.js';
import { note, replyDurable, ruleContext } from '../http/request-context.js';
import type { Attrs, ObjectRecord } from '../model/records.js';
import { updateObject } from '../services/object-service.js';
import type { Platform } from '../services/platform.js';
import { objectView } from '../services/views.js';
import { requireAdmin } from './admin-guard.js';
import { limitsOf } from './platform-data.js';
import { security } from './route-schemas.js';

/**
 * `/_emulator/console/...` plays an administrator in the vendor's console: edits made here
 * bypass telform entirely (drift on demand), are checked by the same rules, and are logged in
 * the activity log with actor `console`. PATCH bodies merge; `null` removes an attribute.
 */
export function consoleRoutes(p: Platform) {
  const tags = ['emulator console'];
  const account = (id: string): ObjectRecord => {
    const rec = p.repo.get(id);
    if (!rec || (rec.kind !== 'account' && rec.kind !== 'sub_account'))
      throw errors.notFound(`account ${id}`);
    return rec;
  };
  // `resource` names what the API's own routes name (settings documents by their account), so
  // one resource filter finds console and API changes alike.
  const patch = async (
    request: FastifyRequest,
    rec: ObjectRecord,
    event: string,
    resource = `${rec.kind}/${rec.id}`,
  ) => {
    note(request, { accountId: rec.account_id ?? rec.id, event, type: 'write', resource });
    const ctx = ruleContext(p, 'console');
    const body = (request.body ?? {}) as Attrs;
    return objectView(p, ctx, updateObject(p, ctx, rec, body, { merge: true }));
  };

  return async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => requireAdmin(request));

    app.patch(
      '/_emulator/console/accounts/:accountId',
      { schema: { tags, security, summary: 'Edit an account in the console' } },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        return replyDurable(
          p,
          reply,
          200,
          await patch(request, account(accountId), 'account.update'),
        );
      },
    );

    app.patch(
      '/_emulator/console/accounts/:accountId/settings/:kind',
      { schema: { tags, security, summary: 'Edit a settings document in the console' } },
      async (request, reply) => {
        const { accountId, kind } = request.params as { accountId: string; kind: string };
        account(accountId);
        const rec = p.repo.list(accountId, p.kinds.settings(kind).kind).next().value;
        if (!rec) throw errors.notFound(`${kind} of account ${accountId} (never set)`);
        return replyDurable(
          p,
          reply,
          200,
          await patch(request, rec, `${kind}.update`, `${kind}/${accountId}`),
        );
      },
    );

    app.patch(
      '/_emulator/console/accounts/:accountId/:collection/:objectId',
      { schema: { tags, security, summary: 'Edit any object in the console' } },
      async (request, reply) => {
        const { accountId, collection, objectId } = request.params as Record<string, string>;
        const k = p.kinds.collection(collection!);
        const rec = p.repo.get(objectId!);
        if (!rec || rec.kind !== k.kind || rec.account_id !== accountId)
          throw errors.notFound(`${k.kind} ${objectId}`);
        return replyDurable(p, reply, 200, await patch(request, rec, `${k.kind}.update`));
      },
    );

    app.put(
      '/_emulator/console/accounts/:accountId/limits',
      { schema: { tags, security, summary: 'Set account limits (vendor staff)' } },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        account(accountId);
        const meta = p.repo.meta(accountId);
        if (!meta) throw errors.notFound(`account ${accountId}`);
        const limits: Record<string, number> = { ...meta.limits };
        const byName = new Map(
          Object.keys(p.config.defaultLimits).map((k) => [
            `max_${k.endsWith('s') ? k : `${k}s`}`,
            k,
          ]),
        );
        for (const [name, value] of Object.entries(
          (request.body ?? {}) as Record<string, unknown>,
        )) {
          const kind = byName.get(name);
          if (!kind)
            throw errors.invalid(
              name,
              'known_limit',
              `${name} is not a limit; known: ${[...byName.keys()].join(', ')}`,
            );
          if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
            throw errors.invalid(name, 'minimum', `${name} must be an integer of at least 0`);
          }
          limits[kind] = value;
        }
        p.repo.putMeta({ ...meta, limits });
        note(request, {
          accountId,
          event: 'limits.update',
          type: 'write',
          resource: `limits/${accountId}`,
        });
        return replyDurable(p, reply, 200, limitsOf(p, accountId));
      },
    );
  };
}
