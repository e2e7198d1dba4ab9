import type { Kysely } from 'kysely';
import {
  canRotateProvisioningToken,
  type InventoryDriver,
  type ProvisioningTokenRotation,
} from './driver/platform-driver.js';
import { DriftPolicyCache } from './drift/drift-policy-cache.js';
import { DriftScanner } from './drift/drift-scanner.js';
import { NotificationDispatcher } from './notifications/notification-dispatcher.js';
import { SubscriptionStore } from './notifications/subscription-store.js';
import type { SecretBox } from './secrets/secret-box.js';
import type { Database } from './store/database.js';
import type { DaemonLog } from './log/daemon-log.js';
import type { JobDefinition } from './jobs/job-definition.js';
import { auditChainJob } from './jobs/definitions/audit-chain-job.js';
import { driftScanJob } from './jobs/definitions/drift-scan-job.js';
import { notificationDeliveryJob } from './jobs/definitions/notification-delivery-job.js';
import { provisioningTokenRotationJob } from './jobs/definitions/provisioning-token-rotation-job.js';
import { retentionJob, type RetentionJobOptions } from './jobs/definitions/retention-job.js';
import { seatUsageJob } from './jobs/definitions/seat-usage-job.js';

export interface OperationsDeps {
  readonly db: Kysely<Database>;
  /** The guarded driver; token rotation is registered when it offers the ability. */
  readonly driver: InventoryDriver & Partial<ProvisioningTokenRotation>;
  readonly secretBox: SecretBox;
  /** The operator's time zone for the daily jobs (default UTC). */
  readonly timezone?: string;
  readonly retention?: RetentionJobOptions;
  /** Told after a drift scan wrote findings (the domain gauges read them again). */
  readonly onDriftRecorded?: () => void;
  /** Where the drift scanner logs each account's scan (debug). */
  readonly log?: DaemonLog;
}

export interface OperationsServices {
  readonly policies: DriftPolicyCache;
  readonly scanner: DriftScanner;
  readonly dispatcher: NotificationDispatcher;
  /** For buildApp's `drift` and `notifications` options. */
  readonly drift: { readonly scanner: DriftScanner; readonly policies: DriftPolicyCache };
  readonly notifications: { readonly subscriptions: SubscriptionStore };
  /** Every job to register with the scheduler. */
  readonly jobs: readonly JobDefinition[];
}

/**
 * Drift, notifications and the recurring jobs, wired once so that the API, the scheduler and
 * the engine's `driftPolicy` hook share one policy cache. Token rotation is registered when
 * the driver offers the platform's rotate operation.
 */
export async function createOperationsServices(deps: OperationsDeps): Promise<OperationsServices> {
  const policies = new DriftPolicyCache(deps.db);
  await policies.refresh();
  const scanner = new DriftScanner({
    db: deps.db,
    driver: deps.driver,
    policies,
    secrets: deps.secretBox,
    ...(deps.onDriftRecorded ? { onRecorded: deps.onDriftRecorded } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });
  const dispatcher = new NotificationDispatcher({ db: deps.db, secretBox: deps.secretBox });
  const tz = deps.timezone ? { timezone: deps.timezone } : {};
  const { driver } = deps;
  const jobs: JobDefinition[] = [
    driftScanJob(scanner),
    seatUsageJob(deps.driver, tz),
    retentionJob({ ...tz, ...deps.retention }),
    notificationDeliveryJob(dispatcher),
    auditChainJob(),
    ...(canRotateProvisioningToken(driver)
      ? [provisioningTokenRotationJob((ref) => driver.rotateProvisioningToken(ref), tz)]
      : []),
  ];
  return {
    policies,
    scanner,
    dispatcher,
    drift: { scanner, policies },
    notifications: { subscriptions: new SubscriptionStore(deps.db, deps.secretBox) },
    jobs,
  };
}
