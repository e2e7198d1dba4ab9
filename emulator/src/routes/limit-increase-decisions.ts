import type { FastifyInstance } from 'fastify';
import { errors } from '../errors/error-catalogue.js';
import { note, replyDurable, ruleContext } from '../http/request-context.js';
import { decide } from '../rules/limit-increase-rules.js';
import type { Platform } from '../services/platform.js';
import { objectView } from '../services/views.js';
import { requireAdmin } from './admin-guard.js';
import { security } from './route-schemas.js';

/**
 * `/_emulator/console/.../limit_increase_requests/{id}/decision`: the vendor answering a limit
 * increase request, as its staff would in their back office (the client only asks).
 */
export function limitIncreaseDecisionRoutes(p: Platform) {
  return async (app: FastifyInstance) => {
    app.post(
      '/_emulator/console/accounts/:accountId/limit_increase_requests/:requestId/decision',
      {
        onRequest: async (request) => requireAdmin(request),
        schema: {
          tags: ['emulator console'],
          security,
          summary: 'Approve (the limit is raised) or reject a pending limit increase request',
          body: {
            type: 'object',
            properties: {
              decision: { type: 'string', enum: ['approved', 'rejected'] },
              note: { type: 'string', maxLength: 1000 },
            },
          },
        },
        attachValidation: true,
      },
      async (request, reply) => {
        const { accountId, requestId } = request.params as { accountId: string; requestId: string };
        const rec = p.repo.get(requestId);
        if (!rec || rec.kind !== 'limit_increase_request' || rec.account_id !== accountId)
          throw errors.notFound(`limit increase request ${requestId}`);
        const b = (request.body ?? {}) as { decision?: unknown; note?: unknown };
        if (b.decision !== 'approved' && b.decision !== 'rejected')
          throw errors.invalid('decision', 'enum', 'decision must be approved or rejected');
        if (b.note !== undefined && (typeof b.note !== 'string' || b.note.length > 1000))
          throw errors.invalid(
            'note',
            'max_length',
            'note must be a string of at most 1000 characters',
          );
        const next = decide(
          p.repo,
          p.config.defaultLimits,
          rec,
          b.decision,
          b.note ?? '',
          p.clock(),
        );
        note(request, {
          accountId,
          event: `limit_increase_request.${b.decision === 'approved' ? 'approve' : 'reject'}`,
          type: 'write',
          resource: `limit_increase_request/${requestId}`,
        });
        return replyDurable(p, reply, 200, objectView(p, ruleContext(p, 'console'), next));
      },
    );
  };
}
