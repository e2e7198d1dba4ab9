import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { actorOf } from '../auth/principal.js';
import { errors } from '../errors/error-catalogue.js';
import type { Platform } from '../services/platform.js';

interface Saved {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
  readonly time: string;
}

const COLL = 'idempotency';

/**
 * Honours `Idempotency-Key` on writes: the first response under a key is stored (durably, with
 * the write it answers) and replayed for a repeat of the same request; the same key with a
 * different request is refused. `run` must do its writes synchronously. A replayed account
 * creation does not repeat the account's API key.
 */
export function idempotent(
  p: Platform,
  request: FastifyRequest,
  run: () => { status: number; body: unknown },
): { status: number; body: unknown; replayed: boolean } {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') return { ...run(), replayed: false };
  const slot = `${actorOf(request.platformCaller)}:${key}`;
  const fingerprint = createHash('sha256')
    .update(`${request.method} ${request.url} ${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
  const saved = p.store.get<Saved>(COLL, slot);
  if (saved) {
    if (saved.fingerprint !== fingerprint) throw errors.idempotencyKeyReused();
    return { status: saved.status, body: saved.body, replayed: true };
  }
  const result = run();
  // A new account's API key is shown once and stored only hashed: a replay omits it.
  const { api_key: _key, ...kept } = (result.body ?? {}) as Record<string, unknown>;
  const body = typeof result.body === 'object' && result.body !== null ? kept : result.body;
  p.store.put(COLL, slot, {
    fingerprint,
    status: result.status,
    body,
    time: p.clock().toISOString(),
  });
  return { ...result, replayed: false };
}

const KEEP_MS = 24 * 3600 * 1000;

/** Forgets Idempotency-Keys after a day, as vendors do. */
export function pruneIdempotencyKeys(p: Platform, now: Date): void {
  for (const [slot, saved] of [...p.store.entries<Saved>(COLL)]) {
    if (now.getTime() - Date.parse(saved.time) > KEEP_MS) p.store.del(COLL, slot);
  }
}
