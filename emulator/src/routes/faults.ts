import type { FastifyInstance } from 'fastify';
import { errors } from '../errors/error-catalogue.js';
import type { FaultInjector, RateLimit } from '../faults/fault-injector.js';
import { requireAdmin } from './admin-guard.js';
import { security } from './route-schemas.js';

/**
 * `/_emulator/faults`: add, list and remove injected faults at run time; and
 * `/_emulator/rate-limit`: the request-rate limit, for all accounts or one.
 */
export function faultRoutes(faults: FaultInjector) {
  const tags = ['emulator admin'];
  return async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request) => requireAdmin(request));

    app.get(
      '/_emulator/faults',
      { schema: { tags, security, summary: 'Injected faults and rate limits' } },
      async () => ({
        faults: faults.list(),
        rate_limit: faults.rateLimits(),
      }),
    );

    app.post(
      '/_emulator/faults',
      {
        schema: {
          tags,
          security,
          summary: 'Inject a fault: throttle (429 + Retry-After), error (5xx), latency, drop',
          body: {
            type: 'object',
            description:
              'mode (throttle|error|latency|drop), rate 0-1, account_id, route (glob), method, status, retry_after_s, latency_ms, count, seed',
          },
        },
      },
      async (request, reply) => reply.code(201).send(faults.add(request.body)),
    );

    app.delete(
      '/_emulator/faults/:id',
      { schema: { tags, security, summary: 'Remove one fault' } },
      async (request, reply) => {
        const { id } = request.params as { id: string };
        if (!faults.remove(id)) throw errors.notFound(`fault ${id}`);
        return reply.code(204).send();
      },
    );

    app.delete(
      '/_emulator/faults',
      { schema: { tags, security, summary: 'Remove every fault' } },
      async (_request, reply) => {
        faults.clear();
        return reply.code(204).send();
      },
    );

    app.put(
      '/_emulator/rate-limit',
      {
        schema: {
          tags,
          security,
          summary: 'Set the request-rate limit (requests_per_second null = unlimited)',
          body: {
            type: 'object',
            description: 'requests_per_second (number or null), burst, account_id',
          },
        },
      },
      async (request) => {
        const b = (request.body ?? {}) as Record<string, unknown>;
        const rps = b.requests_per_second;
        if (rps !== null && (typeof rps !== 'number' || !(rps > 0) || rps > 1_000_000)) {
          throw errors.invalid(
            'requests_per_second',
            'range',
            'requests_per_second must be a number above 0 and at most 1000000, or null',
          );
        }
        const burst = b.burst ?? (typeof rps === 'number' ? Math.max(1, Math.ceil(rps)) : 1);
        if (typeof burst !== 'number' || !Number.isInteger(burst) || burst < 1) {
          throw errors.invalid('burst', 'range', 'burst must be an integer of at least 1');
        }
        if (b.account_id !== undefined && typeof b.account_id !== 'string') {
          throw errors.invalid('account_id', 'type', 'account_id must be a string');
        }
        const limit: RateLimit | null =
          rps === null ? null : { requests_per_second: rps as number, burst };
        faults.setRateLimit(limit, b.account_id as string | undefined);
        return faults.rateLimits();
      },
    );
  };
}
