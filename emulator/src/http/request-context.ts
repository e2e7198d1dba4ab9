import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.js';
import { errors } from '../errors/error-catalogue.js';
import type { RuleContext } from '../rules/kind-rules.js';
import type { Platform } from '../services/platform.js';

/** What the activity log records about a request, set by its handler. */
export interface ActivityNote {
  accountId: string;
  event: string;
  type: 'read' | 'write';
  resource: string;
  /** Set by simulations that play a portal event's own outcome (a failed login answers 201). */
  outcome?: 'success' | 'failure' | 'denied';
}

// Named apart from the reconciler's own request decorations: both packages compile together.
declare module 'fastify' {
  interface FastifyRequest {
    platformCaller?: Principal;
    platformActivity?: ActivityNote;
  }
}

/** The authenticated caller; the auth hook has already refused anonymous API requests. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.platformCaller) throw errors.unauthenticated();
  return request.platformCaller;
}

export function ruleContext(p: Platform, principal: Principal | 'console'): RuleContext {
  return {
    repo: p.repo,
    kinds: p.kinds,
    principal,
    now: p.clock(),
    publicUrl: p.config.publicUrl,
    activity: p.activity,
    seatLog: p.seatLog,
  };
}

export function note(request: FastifyRequest, n: ActivityNote): void {
  request.platformActivity = n;
}

/** Replies once every write made so far is durable: nothing acknowledged is lost. */
export async function replyDurable(
  p: Platform,
  reply: FastifyReply,
  status: number,
  body: unknown,
): Promise<FastifyReply> {
  await p.store.durable();
  return reply.code(status).send(body);
}

/** Opaque list cursors: the creation sequence of the last object returned. */
export function encodeCursor(seq: number): string {
  return Buffer.from(JSON.stringify({ s: seq })).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown };
    if (typeof v.s === 'number' && Number.isInteger(v.s) && v.s >= 0) return v.s;
  } catch {
    // fall through to the error below
  }
  throw errors.badRequest('cursor is not one this API returned', 'cursor', 'opaque_cursor');
}

export function parseLimit(raw: string | undefined, max = 500): number {
  if (raw === undefined) return 100;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw errors.badRequest(`limit must be an integer from 1 to ${max}`, 'limit', 'range');
  }
  return n;
}
