import type { ActivityPage, ActivityQuery } from './platform-activity.js';

/**
 * The seam between the reconciler and a telephony platform, split by who needs what: the
 * reconcile loop applies ({@link ApplyDriver}), drift scans and platform-data reads take
 * inventory ({@link InventoryDriver}), and optional abilities (token rotation) are their own
 * small interfaces, detected where used (`canRotateProvisioningToken`).
 *
 * Contract, for every implementation:
 * - `observe`, `list` and `read` never change anything on the platform.
 * - Every method is idempotent: calling it twice with the same arguments leaves the platform
 *   as one call would. `create` is idempotent by `ref.id` (the telform id, sent to the
 *   platform as the client reference), so a retried create after a crash finds the object the
 *   first attempt made instead of making a second one. (Token rotation is the one exception:
 *   every call rotates again.)
 * - `delete` of an object that is already gone succeeds.
 * - No method blocks past its own timeout; failures are thrown as `PlatformError`, never as
 *   anything else, with `reason` saying what the caller may do next.
 * - Attributes use the schema's attribute names. References (`account_id`, `user_id`, ...)
 *   carry platform ids, already resolved by the reconciler; secrets arrive decrypted.
 *
 * Every caller in the daemon reaches the platform through one `GuardedDriver` (the account
 * budget and the platform-call metrics), wrapped once when the services are built.
 */
export interface ApplyDriver {
  /** Reads one object. Finds it by `ref.externalId`, or by client reference when unknown. */
  observe(ref: ResourceRef): Promise<Observation>;
  /** Creates the object; when one with the same client reference exists, returns it. */
  create(ref: ResourceRef, desired: Attributes): Promise<Observed>;
  /** Brings the object to `desired`; returns what the platform now holds. */
  update(ref: ExternalRef, desired: Attributes): Promise<Observed>;
  /** Removes the object (singletons: resets it to the platform's defaults). */
  delete(ref: ExternalRef): Promise<void>;
}

export interface InventoryDriver {
  /** Reads one object (a scan observes a root account itself this way). */
  observe(ref: ResourceRef): Promise<Observation>;
  /** One page of every object of a kind in an account, for drift scans. */
  list(query: ListQuery): Promise<ListPage>;
  /**
   * One page of the root accounts these credentials may act on, in the platform's order (a
   * partner key: every customer account it holds; an account's own key: that account), for
   * exporting or adopting them all. Sub-accounts are not in it: `list` of kind `sub_account`
   * under their parent finds them. Items have the attributes an account's `observe` gives.
   */
  listAccounts(query: AccountListQuery): Promise<ListPage>;
  /**
   * Read-only platform data (`limits`, `seat_usage`, the histories) for an account; `query`
   * holds the data source's arguments with platform ids (`since`, `webhook_id`, ...).
   */
  read(
    kind: string,
    accountExternalId: string,
    query?: Readonly<Record<string, string>>,
  ): Promise<Attributes>;
  /**
   * One page of the account's activity log, newest first (who changed what, when, from where):
   * drift records name the change that caused them, and auditors read it beside telform's own
   * trail. `not_found` when the account is gone.
   */
  activity(query: ActivityQuery): Promise<ActivityPage>;
}

/** Every method of the seam: what a driver implementation offers. */
export interface PlatformDriver extends ApplyDriver, InventoryDriver {}

/**
 * Optional ability: the platform's own rotate operation for an account's provisioning token
 * (the previous token stops working). Returns what the platform now holds, the new token
 * included: callers keep it out of summaries, logs and audit.
 */
export interface ProvisioningTokenRotation {
  rotateProvisioningToken(ref: ExternalRef): Promise<Observed>;
}

/** Whether a driver offers {@link ProvisioningTokenRotation}. */
export function canRotateProvisioningToken<D extends object>(
  driver: D,
): driver is D & ProvisioningTokenRotation {
  return (
    typeof (driver as Partial<ProvisioningTokenRotation>).rotateProvisioningToken === 'function'
  );
}

export type Attributes = Readonly<Record<string, unknown>>;

export interface ResourceRef {
  /** Schema kind, such as `user`. */
  readonly kind: string;
  /** telform id; the platform stores it as the object's client reference. */
  readonly id: string;
  /** Platform id of the owning account or sub-account; absent for kind `account`. */
  readonly accountExternalId?: string;
  /** Platform id of the object, once known. */
  readonly externalId?: string;
}

export interface ExternalRef extends ResourceRef {
  readonly externalId: string;
}

export interface Observed {
  readonly externalId: string;
  readonly attributes: Attributes;
}

export type Observation = { readonly exists: false } | ({ readonly exists: true } & Observed);

export interface ListQuery {
  readonly kind: string;
  readonly accountExternalId: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface AccountListQuery {
  readonly cursor?: string;
  readonly limit?: number;
}

export interface ListPage {
  readonly items: ReadonlyArray<Observed & { readonly clientRef?: string }>;
  readonly nextCursor?: string;
}

/**
 * What the caller may do after a failure:
 * - `retryable`: try again later, no sooner than `retryAfterMs` when given (429, 5xx, network).
 * - `conflict`: the platform's state forbids it now (a limit reached, a name taken).
 * - `invalid`: the desired values break a platform rule; `field` and `rule` say which.
 * - `forbidden`: the credentials may not do this.
 * - `not_found`: the object or its account does not exist.
 */
export type PlatformErrorReason = 'retryable' | 'conflict' | 'invalid' | 'forbidden' | 'not_found';

export interface PlatformErrorDetails {
  readonly field?: string;
  readonly rule?: string;
  readonly retryAfterMs?: number;
  readonly status?: number;
  /**
   * A create refused because the same object exists on the platform already (a login, name or
   * MAC address that is unique): where it is, so the caller can offer to adopt it.
   */
  readonly existing?: { readonly accountExternalId: string | null; readonly externalId: string };
}

export class PlatformError extends Error {
  override readonly name = 'PlatformError';
  constructor(
    readonly reason: PlatformErrorReason,
    message: string,
    readonly details: PlatformErrorDetails = {},
  ) {
    super(message);
  }
}
