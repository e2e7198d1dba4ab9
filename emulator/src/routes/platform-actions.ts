import type { FastifyInstance } from 'fastify';
import { accessibleAccount } from '../auth/access.js';
import { errors } from '../errors/error-catalogue.js';
import { note, principalOf } from '../http/request-context.js';
import type { Platform } from '../services/platform.js';
import { FaxLimiter } from '../rules/fax-limiter.js';
import { rotateIfDue } from '../rules/provisioning-rules.js';
import { security } from './route-schemas.js';

/**
 * What the platform does besides storing settings: accepting faxes under the hourly limits and
 * booting phones with the provisioning token (webhook actions: webhook-actions.ts).
 */
export function platformActionRoutes(p: Platform) {
  const faxes = new FaxLimiter();

  return async (app: FastifyInstance) => {
    app.post(
      '/v1/accounts/:accountId/faxes',
      {
        schema: {
          tags: ['telephony'],
          security,
          summary: 'Send (outbound) or receive (inbound) a fax, subject to the hourly fax limits',
          body: {
            type: 'object',
            required: ['direction'],
            properties: {
              direction: { type: 'string', enum: ['inbound', 'outbound'] },
              to: { type: 'string' },
            },
          },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const { accountId } = request.params as { accountId: string };
        const { direction } = request.body as { direction: 'inbound' | 'outbound' };
        note(request, {
          accountId,
          event: `fax.${direction}`,
          type: 'write',
          resource: `fax/${accountId}`,
        });
        accessibleAccount(p, principal, accountId);
        const settings = p.repo.list(accountId, 'telephony_settings').next().value;
        const limit = settings?.attributes[`${direction}_fax_limit_per_hour`];
        faxes.accept(
          accountId,
          direction,
          typeof limit === 'number' ? limit : undefined,
          p.clock().getTime(),
        );
        return reply.code(202).send({ accepted: true, direction });
      },
    );

    app.get(
      '/provision/:token/config',
      {
        schema: {
          tags: ['devices'],
          summary: 'Phone boot: the provisioning config for a valid token',
        },
      },
      async (request) => {
        const { token } = request.params as { token: string };
        const match = findProvisioning(p, token);
        if (!match) {
          throw errors.notFound(
            'provisioning token (rotated or unknown: re-provision the phone with the new URL)',
          );
        }
        const devices = [...p.repo.list(match.account_id!, 'device')].map((d) => ({
          id: d.id,
          mac_address: d.attributes.mac_address,
          model: d.attributes.model,
          button_template_id: d.attributes.button_template_id ?? null,
        }));
        return { account_id: match.account_id, devices };
      },
    );
  };
}

function findProvisioning(p: Platform, token: string) {
  for (const rec of [...p.repo.allOfKind('provisioning')]) {
    if (rotateIfDue(p.repo, rec, p.clock()).generated.token === token) return rec;
  }
  return undefined;
}
