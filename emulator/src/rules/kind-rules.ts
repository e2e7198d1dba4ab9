import type { ActivityLog } from '../activity/activity-log.js';
import type { KindTable } from '../model/kind-table.js';
import type { ObjectRepository } from '../model/object-repository.js';
import type { Attrs, ObjectRecord } from '../model/records.js';
import type { Principal } from '../auth/principal.js';
import type { History } from '../activity/history.js';

/** Everything a rule may consult; rules run synchronously, so what they check stays true. */
export interface RuleContext {
  readonly repo: ObjectRepository;
  readonly kinds: KindTable;
  readonly principal: Principal | 'console';
  readonly now: Date;
  readonly publicUrl: string;
  readonly activity: ActivityLog;
  readonly seatLog: History;
  /** True while an account's deletion takes its objects with it: "in use" guards let go. */
  readonly cascade?: boolean;
}

/** A create or update about to be written: the full attribute set it would leave. */
export interface Change {
  readonly op: 'create' | 'update';
  readonly kind: string;
  readonly accountId: string | null;
  readonly id: string;
  readonly next: Attrs;
  readonly secrets: Readonly<Record<string, unknown>>;
  readonly prev?: ObjectRecord;
}

/**
 * The platform's rules for one kind. `check` throws an EmulatorError to refuse a change and
 * nothing is written, or returns the attributes the platform generates and keeps; `computed` adds the attributes the platform generates; `afterWrite` and
 * `beforeDelete` keep dependent state consistent (seat logs, a user's seat).
 */
export interface KindRules {
  check?(ctx: RuleContext, change: Change): Attrs | void;
  computed?(ctx: RuleContext, rec: ObjectRecord): Attrs;
  afterWrite?(ctx: RuleContext, rec: ObjectRecord, prev: ObjectRecord | undefined): void;
  beforeDelete?(ctx: RuleContext, rec: ObjectRecord): void;
}
