import type { FastifyInstance } from 'fastify';
import { accessibleAccount } from '../auth/access.js';
import { note, principalOf, replyDurable } from '../http/request-context.js';
import { EmailBlacklist, type BlacklistRequest } from '../rules/email-blacklist.js';
import type { Platform } from '../services/platform.js';
import { requireAdmin } from './admin-guard.js';
import { accountParams, security } from './route-schemas.js';

const entriesResponse = {
  type: 'object',
  properties: {
    account_id: { type: 'string' },
    entries: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
} as const;

/**
 * The email blacklist of an account (the console's "Email address domains", a domain clicked):
 * read by clients, optionally for one domain; played by tests as users blacklisting (manual) or
 * the platform doing it on an unsubscribe (automatic).
 */
export function emailBlacklistRoutes(p: Platform) {
  const blacklist = new EmailBlacklist(p.store, p.repo);

  return async (app: FastifyInstance) => {
    app.get(
      '/v1/accounts/:accountId/email_blacklist',
      {
        schema: {
          tags: ['platform data'],
          security,
          summary: 'Who blacklisted each email-address domain or an address in it, and how',
          params: accountParams,
          querystring: {
            type: 'object',
            properties: { domain: { type: 'string', description: 'Only this domain (its name).' } },
          },
          response: { 200: entriesResponse },
        },
      },
      async (request) => {
        const { accountId } = request.params as { accountId: string };
        const { domain } = request.query as { domain?: string };
        note(request, {
          accountId,
          event: 'email_blacklist.read',
          type: 'read',
          resource: `email_blacklist/${accountId}`,
        });
        accessibleAccount(p, principalOf(request), accountId);
        const entries = blacklist
          .entries(accountId)
          .map((e) => blacklist.view(e))
          .filter((v) => domain === undefined || v.domain === domain.toLowerCase());
        return { account_id: accountId, entries };
      },
    );

    app.post(
      '/_emulator/console/accounts/:accountId/email-blacklist',
      {
        onRequest: async (request) => requireAdmin(request),
        schema: {
          tags: ['emulator console'],
          security,
          summary: 'A user blacklists an email-address domain or an address in it',
          params: accountParams,
          body: {
            type: 'object',
            required: ['user_id', 'source'],
            properties: {
              user_id: { type: 'string', description: 'Platform id of the user.' },
              domain: { type: 'string', description: 'The whole domain (its name).' },
              address: { type: 'string', description: 'One address of the domain.' },
              source: { type: 'string', enum: ['manual', 'automatic'] },
            },
          },
        },
        // The platform answers field/rule errors itself, like the vendor does.
        attachValidation: true,
      },
      async (request, reply) => {
        const { accountId } = request.params as { accountId: string };
        note(request, {
          accountId,
          event: 'email_blacklist.add',
          type: 'write',
          resource: `email_blacklist/${accountId}`,
        });
        accessibleAccount(p, principalOf(request), accountId);
        const body = (request.body ?? {}) as BlacklistRequest;
        const { entry, created } = blacklist.add(accountId, body, p.clock());
        return replyDurable(p, reply, created ? 201 : 200, blacklist.view(entry));
      },
    );
  };
}
