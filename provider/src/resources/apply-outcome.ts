/**
 * Whether the reconciler has applied a resource's latest generation on the platform, failed
 * for good, or is still working: the rule of docs/architecture.md section 2.
 */
import { isFinalReason } from '@telform/schemas';
import type { ApiResource } from '../client/api-resource.js';

export type ApplyOutcome =
  | { readonly state: 'applied' }
  | { readonly state: 'pending'; readonly reason: string; readonly message: string }
  | {
      readonly state: 'failed';
      readonly reason: string;
      readonly message: string;
      readonly field: string | null;
    };

export function applyOutcome(resource: ApiResource): ApplyOutcome {
  const synced = resource.status.conditions?.find((c) => c.type === 'Synced');
  const applied = (resource.status.applied_generation ?? 0) >= resource.generation;
  if (applied && synced?.status === 'True') return { state: 'applied' };
  if (synced?.status === 'False' && isFinalReason(synced.reason)) {
    return { state: 'failed', reason: synced.reason, message: synced.message, field: synced.field };
  }
  return { state: 'pending', reason: synced?.reason ?? 'Pending', message: synced?.message ?? '' };
}
