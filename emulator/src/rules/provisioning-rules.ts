import { randomBytes } from 'node:crypto';
import type { ObjectRepository } from '../model/object-repository.js';
import type { Attrs, ObjectRecord } from '../model/records.js';
import type { KindRules } from './kind-rules.js';

export function newToken(now: Date): Attrs {
  return { token: randomBytes(18).toString('base64url'), token_rotated_at: now.toISOString() };
}

/**
 * Provisioning: the first write generates a token; changing `rotate_trigger` rotates it, and a
 * rotated token no longer boots phones (`/provision/{token}/config` answers 404).
 */
export const provisioningRules: KindRules = {
  check(ctx, change) {
    if (change.op === 'create') return newToken(ctx.now);
    if (change.prev!.attributes.rotate_trigger !== change.next.rotate_trigger)
      return newToken(ctx.now);
    return change.prev!.generated;
  },
  computed(ctx, rec) {
    return { provisioning_url: `${ctx.publicUrl}/provision/${String(rec.generated.token)}/config` };
  },
};

const DAY_MS = 86_400_000;

/**
 * The platform's own schedule: with `rotation_period_days` set, a token older than the period
 * is replaced the next time the platform looks at it (a read or a phone boot), as a timer on a
 * vendor's side would have done meanwhile. Returns the record as it stands now.
 */
export function rotateIfDue(repo: ObjectRepository, rec: ObjectRecord, now: Date): ObjectRecord {
  const days = rec.attributes.rotation_period_days;
  const rotatedAt = Date.parse(String(rec.generated.token_rotated_at));
  if (typeof days !== 'number' || now.getTime() - rotatedAt < days * DAY_MS) return rec;
  const next: ObjectRecord = { ...rec, generated: { ...rec.generated, ...newToken(now) } };
  repo.put(next);
  return next;
}
