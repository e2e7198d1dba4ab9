import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { problem, ProblemError, sendProblem } from './problem.js';
import { jsonDepth } from './json-depth.js';
import type { RateLimit } from '../auth/parse-rate-limit.js';
import { presentedToken } from './request-credential.js';
import { looksLikeToken } from '../auth/token-store.js';
import { requestTokenHash } from './request-token-hash.js';
import { securityHeaders } from './security-headers.js';

export interface HardeningOptions {
  /** Largest accepted body in bytes (default 256 KiB; the largest resource is a few KiB). */
  readonly bodyLimit?: number;
  /** Deepest accepted JSON nesting (default 32; the schemas nest 4 levels). */
  readonly maxDepth?: number;
  /** Requests per token (or per IP without one) per window (default `defaultRateLimit`). */
  readonly rateLimit?: RateLimit;
  /**
   * Requests per client address that are not a cached good token (no token, an unknown, revoked
   * or expired one), spent before the token lookup (default `defaultAddressRateLimit`; the auth
   * plugin applies it, see AddressBudget).
   */
  readonly addressRateLimit?: RateLimit;
  /**
   * Whether a token is a known good one (the token cache's `holds`; `hash` is its hashToken,
   * computed once per request). With it, only such tokens get a bucket of their own; any other
   * request counts against its address, so made-up tokens cannot mint buckets. Without it,
   * every token-shaped bearer gets one.
   */
  readonly goodToken?: (token: string, hash: string) => boolean;
  /** Buckets kept at most, least recently used dropped first (default 10,000). */
  readonly rateLimitKeys?: number;
}

/**
 * 6,000 requests per minute per token: a `terraform apply` of 1,000 resources makes a few calls
 * each (create, wait, read back) within a minute or two, and must not hit 429 half-way.
 */
export const defaultRateLimit: RateLimit = { max: 6_000, timeWindowMs: 60_000 };

/**
 * Rate-limit bucket: the token's hash (never the token), or the address without one, or with a
 * token `goodToken` does not know.
 */
export function rateLimitKey(
  request: FastifyRequest,
  goodToken: (token: string, hash: string) => boolean = () => true,
): string {
  // The console's session cookie holds a token too: its requests share that token's bucket.
  const token = presentedToken(request.headers);
  // Garbage in the header counts against the address: random strings must not each get a bucket.
  if (!token || !looksLikeToken(token)) return `ip:${request.ip}`;
  const hash = requestTokenHash(request.raw, token);
  return goodToken(token, hash) ? `t:${hash}` : `ip:${request.ip}`;
}

/**
 * Request hardening for the API: security headers on every response (helmet, set up for a JSON
 * API: no content may load, no framing, no caching), a body size limit and a JSON nesting
 * limit on every route, and a per-token rate limit answering 429 problem+json with
 * Retry-After. Register it first: before the auth plugin (so floods are cut before token
 * lookups) and before the routes (its limits attach to routes as they are added).
 */
const plugin: FastifyPluginAsync<HardeningOptions> = async (fastify, options) => {
  const bodyLimit = options.bodyLimit ?? 262_144;
  const maxDepth = options.maxDepth ?? 32;
  const limit = options.rateLimit ?? defaultRateLimit;

  // Computed once; set by one callback hook (an async hook costs a promise per request).
  const headers = securityHeaders();
  fastify.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  fastify.addHook('onRoute', (route) => {
    route.bodyLimit ??= bodyLimit;
  });
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.body !== undefined && jsonDepth(request.body, maxDepth) > maxDepth) {
      sendProblem(
        reply,
        problem('bad_request', `the body nests deeper than ${maxDepth} levels`, {
          errors: [
            {
              field: '',
              rule: 'maxDepth',
              message: `JSON nesting must not exceed ${maxDepth} levels`,
            },
          ],
        }),
      );
      return;
    }
    done();
  });

  await fastify.register(rateLimit, {
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    keyGenerator: (request) => rateLimitKey(request, options.goodToken),
    // The buckets' memory is bounded whatever keys a flood brings (an evicted key starts over).
    cache: options.rateLimitKeys ?? 10_000,
    // Probes and scrapers of public routes (health, metrics) are not API clients.
    allowList: (request) => request.routeOptions.config?.action === undefined,
    errorResponseBuilder: (_request, context) =>
      Object.assign(
        new ProblemError(
          'rate_limited',
          `at most ${context.max} requests per token in ${limit.timeWindowMs / 1000} s; retry in ${context.after}`,
        ),
        { statusCode: context.statusCode },
      ),
  });
};

export const hardeningPlugin = fp(plugin, { name: 'telform-hardening', fastify: '5.x' });
