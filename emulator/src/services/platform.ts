import type { ActivityLog } from '../activity/activity-log.js';
import type { History } from '../activity/history.js';
import type { KindTable } from '../model/kind-table.js';
import type { ObjectRepository } from '../model/object-repository.js';
import type { KindRules } from '../rules/kind-rules.js';
import type { StateStore } from '../storage/state-store.js';
import type { WebhookDispatcher } from '../webhooks/webhook-dispatcher.js';

/** Settings the emulator runs with. */
export interface PlatformConfig {
  readonly partnerKey: string;
  /** The vendor's own staff; may do what clients may not (email-address domains). */
  readonly staffKey?: string;
  /** Base URL the emulator is reached at; generated URLs (SSO, provisioning) start with it. */
  publicUrl: string;
  /** Object limits of a new account, by kind. */
  readonly defaultLimits: Readonly<Record<string, number>>;
}

/** The shared services of one running emulator, handed to every route plugin. */
export interface Platform {
  readonly config: PlatformConfig;
  readonly store: StateStore;
  readonly repo: ObjectRepository;
  readonly kinds: KindTable;
  readonly rules: Readonly<Record<string, KindRules>>;
  readonly activity: ActivityLog;
  readonly deletions: History;
  readonly seatLog: History;
  readonly deliveries: History;
  /** Notifications of the subscribed events (the CPaaS Notifications tab). */
  readonly notifications: History;
  readonly webhooks: WebhookDispatcher;
  readonly clock: () => Date;
}
