import type { ProvisioningTokenRotation } from '../../driver/platform-driver.js';
import { enqueueNotification } from '../../notifications/enqueue-notification.js';
import type { JobDefinition } from '../job-definition.js';
import { failureText } from './platform-accounts.js';

/** The driver's rotate operation (driver/platform-driver.ts), bound to the guarded driver. */
export type RotateProvisioningToken = ProvisioningTokenRotation['rotateProvisioningToken'];

export interface TokenRotationJobOptions {
  readonly schedule?: string;
  readonly timezone?: string;
  readonly now?: () => Date;
}

const dayMs = 24 * 3600_000;

/**
 * Rotates the provisioning token of every `provisioning` resource whose `rotation_period_days`
 * has passed since the token was generated (`token_rotated_at`, as last observed), then requeues
 * the resource so the engine records the new observation. Rotation goes through the platform's
 * own rotate operation, not `rotate_trigger`, so desired state stays as its author wrote it.
 */
export function provisioningTokenRotationJob(
  rotate: RotateProvisioningToken,
  options: TokenRotationJobOptions = {},
): JobDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: 'provisioning-token-rotation',
    description: 'Rotates provisioning tokens older than their rotation_period_days.',
    schedule: options.schedule ?? '15 3 * * *',
    ...(options.timezone ? { timezone: options.timezone } : {}),
    async run({ db }) {
      const rows = await db
        .selectFrom('resources as p')
        .innerJoin('resources as a', 'a.id', 'p.account_id')
        .select([
          'p.id',
          'p.account_id',
          'p.root_account_id',
          'p.spec',
          'p.observed',
          'p.external_id',
          'a.external_id as account_external_id',
        ])
        .where('p.kind', '=', 'provisioning')
        .where('p.external_id', 'is not', null)
        .where('a.external_id', 'is not', null)
        .where('p.deletion_requested_at', 'is', null)
        .where(({ eb, ref }) => eb(ref('p.applied_generation'), '>=', ref('p.generation')))
        .execute();
      // Rows name their account so a scoped token's view of the run keeps its own (scopeJobSummary).
      const rotated: { resource_id: string; account_id: string | null; rotated_at: string }[] = [];
      const failures: { resource_id: string; account_id: string | null; error: string }[] = [];
      let notDue = 0;
      for (const row of rows) {
        const period = Number(row.spec.rotation_period_days);
        const last = Date.parse(String(row.observed?.token_rotated_at ?? ''));
        if (!(period > 0) || (Number.isFinite(last) && now().getTime() - last < period * dayMs)) {
          notDue += 1;
          continue;
        }
        try {
          const result = await rotate({
            kind: 'provisioning',
            id: row.id,
            externalId: row.external_id!,
            accountExternalId: row.account_external_id!,
          });
          const rotatedAt = String(result.attributes.token_rotated_at ?? now().toISOString());
          await db
            .updateTable('resources')
            .set({ next_reconcile_at: now() })
            .where('id', '=', row.id)
            .execute();
          await enqueueNotification(db, {
            event: 'provisioning.token_rotated',
            accountId: row.account_id,
            rootAccountId: row.root_account_id,
            data: { resource_id: row.id, account_id: row.account_id, rotated_at: rotatedAt },
          });
          rotated.push({ resource_id: row.id, account_id: row.account_id, rotated_at: rotatedAt });
        } catch (err) {
          failures.push({
            resource_id: row.id,
            account_id: row.account_id,
            error: failureText(err),
          });
        }
      }
      if (failures.length > 0 && rotated.length === 0) {
        throw new Error(
          `no due token could be rotated (${failures.length} failed); first: ${failures[0]!.error}`,
        );
      }
      return { checked: rows.length, not_due: notDue, rotated, failures };
    },
  };
}
