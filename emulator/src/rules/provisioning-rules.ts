import { randomBytes } from 'node:crypto';
import type { Attrs } from '../model/records.js';
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
    if (change.prev!.attributes.rotate_trigger !== change.next.rotate_trigger) return newToken(ctx.now);
    return change.prev!.generated;
  },
  computed(ctx, rec) {
    return { provisioning_url: `${ctx.publicUrl}/provision/${String(rec.generated.token)}/config` };
  },
};
