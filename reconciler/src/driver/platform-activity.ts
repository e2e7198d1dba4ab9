/**
 * The platform's activity log as the driver hands it over: every console and API operation on
 * an account (who, when, from where, what), newest first. Read-only; see
 * `InventoryDriver.activity`.
 */

export type ActivityOutcome = 'success' | 'failure' | 'denied';

/** The Activity tab's filters; every one given must match. */
export interface ActivityQuery {
  /** Platform id of the account. */
  readonly accountExternalId: string;
  /** ISO times, inclusive. */
  readonly from?: string;
  readonly to?: string;
  /** Event names (`user.update`, `user.login`); empty or absent: every event. */
  readonly events?: readonly string[];
  /** Reads or writes only. */
  readonly type?: 'read' | 'write';
  /** Prefixes of the resource (`user/`, `user/u-12`) and of the actor (`console`). */
  readonly resource?: string;
  readonly actor?: string;
  readonly outcome?: ActivityOutcome;
  /** A full or partial IP address. */
  readonly ip?: string;
  /** `nextCursor` of the previous page: older entries. */
  readonly cursor?: string;
  readonly limit?: number;
}

export interface PlatformActivityEntry {
  /** The platform's sequence number of the entry, unique per platform. */
  readonly id: string;
  readonly at: string;
  readonly event: string;
  readonly type: 'read' | 'write';
  /** `<kind>/<platform id>` for objects; settings documents by their account's platform id. */
  readonly resource: string;
  /** `console`, `console:<user>`, `partner`, `account:<id>`, or what the caller named itself. */
  readonly actor: string;
  readonly outcome: ActivityOutcome;
  readonly ip: string | null;
  readonly status: number | null;
}

export interface ActivityPage {
  readonly entries: readonly PlatformActivityEntry[];
  readonly nextCursor?: string;
}
