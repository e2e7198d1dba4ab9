// An in-memory platform behind the PlatformDriver seam, for drift tests and the drift benchmark:
// it counts calls, so tests can check that a scan uses the bulk list and not one call per object.
import type {
  AccountListQuery,
  Attributes,
  ExternalRef,
  ListPage,
  ListQuery,
  Observation,
  Observed,
  PlatformDriver,
  ResourceRef,
} from '../../src/driver/platform-driver.js';
import type {
  ActivityPage,
  ActivityQuery,
  PlatformActivityEntry,
} from '../../src/driver/platform-activity.js';
import { PlatformError } from '../../src/driver/platform-driver.js';

interface Stored {
  kind: string;
  account: string;
  externalId: string;
  clientRef?: string;
  attributes: Record<string, unknown>;
}

export class MemoryPlatformDriver implements PlatformDriver {
  readonly objects = new Map<string, Stored>();
  // kind:account -> objects, so that a list costs its page, not a walk over every object.
  private readonly index = new Map<string, Stored[]>();
  // clientRef -> object, so that an observe by telform id is a lookup too.
  private readonly byRef = new Map<string, Stored>();
  calls = { observe: 0, create: 0, update: 0, delete: 0, list: 0, read: 0, activity: 0 };
  /** The activity log, oldest first: console edits and removals record themselves. */
  readonly log: (PlatformActivityEntry & { account: string })[] = [];
  private next = 1;
  failLists = false;

  /** Puts an object on the platform as if created earlier (or by someone else when no clientRef). */
  seed(
    kind: string,
    account: string,
    attributes: Record<string, unknown>,
    clientRef?: string,
  ): string {
    const externalId = `p-${this.next++}`;
    const stored: Stored = {
      kind,
      account,
      externalId,
      attributes: { ...attributes },
      ...(clientRef ? { clientRef } : {}),
    };
    this.objects.set(externalId, stored);
    if (clientRef) this.byRef.set(clientRef, stored);
    const key = `${kind}:${account}`;
    const list = this.index.get(key);
    if (list) list.push(stored);
    else this.index.set(key, [stored]);
    return externalId;
  }

  /** An administrator editing the object in the vendor console (logged with `actor`). */
  consoleEdit(
    externalId: string,
    patch: Record<string, unknown>,
    actor = 'console',
    at = new Date(),
  ): void {
    const o = this.objects.get(externalId)!;
    o.attributes = { ...o.attributes, ...patch };
    this.logWrite(o, `${o.kind}.update`, actor, at);
  }

  /** Appends an activity entry for a write to `o`, as the platform does for every change. */
  logWrite(
    o: Pick<Stored, 'kind' | 'account' | 'externalId'>,
    event: string,
    actor: string,
    at: Date,
  ) {
    this.log.push({
      id: String(this.log.length + 1),
      account: o.kind === 'account' ? o.externalId : o.account,
      at: at.toISOString(),
      event,
      type: 'write',
      resource: `${o.kind}/${o.externalId}`,
      actor,
      outcome: 'success',
      ip: '203.0.113.7',
      status: 200,
    });
  }

  /** Fails the next activity reads (the platform's log being unavailable). */
  failActivity = false;

  async activity(q: ActivityQuery): Promise<ActivityPage> {
    this.calls.activity++;
    if (this.failActivity) throw new PlatformError('retryable', 'activity unavailable (503)');
    const before = q.cursor ? Number(q.cursor) : Infinity;
    const matching = this.log
      .filter(
        (e) =>
          e.account === q.accountExternalId &&
          Number(e.id) < before &&
          (!q.type || e.type === q.type) &&
          (!q.events?.length || q.events.includes(e.event)) &&
          (!q.resource || e.resource.startsWith(q.resource)) &&
          (!q.actor || e.actor.startsWith(q.actor)) &&
          (!q.outcome || e.outcome === q.outcome) &&
          (!q.from || e.at >= q.from) &&
          (!q.to || e.at <= q.to),
      )
      .reverse();
    const limit = q.limit ?? 100;
    const entries = matching.slice(0, limit).map(({ account: _account, ...e }) => e);
    return matching.length > limit ? { entries, nextCursor: entries.at(-1)!.id } : { entries };
  }

  /** The platform id of the object created for a telform id. */
  objectByRef(clientRef: string): string | undefined {
    return this.byRef.get(clientRef)?.externalId;
  }

  totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  async observe(ref: ResourceRef): Promise<Observation> {
    this.calls.observe++;
    const o = ref.externalId ? this.objects.get(ref.externalId) : this.byRef.get(ref.id);
    return o
      ? { exists: true, externalId: o.externalId, attributes: { ...o.attributes } }
      : { exists: false };
  }

  async create(ref: ResourceRef, desired: Attributes): Promise<Observed> {
    this.calls.create++;
    const externalId = this.seed(ref.kind, ref.accountExternalId ?? '', { ...desired }, ref.id);
    return { externalId, attributes: { ...desired } };
  }

  async update(ref: ExternalRef, desired: Attributes): Promise<Observed> {
    this.calls.update++;
    const o = this.objects.get(ref.externalId);
    if (!o) throw new PlatformError('not_found', `no ${ref.kind} ${ref.externalId}`);
    o.attributes = { ...desired };
    return { externalId: o.externalId, attributes: { ...o.attributes } };
  }

  async delete(ref: ExternalRef): Promise<void> {
    this.calls.delete++;
    this.remove(ref.externalId);
  }

  /** Removes an object, as the platform or an administrator would (logged when `actor` given). */
  remove(externalId: string, actor?: string): void {
    const o = this.objects.get(externalId);
    if (!o) return;
    if (actor) this.logWrite(o, `${o.kind}.delete`, actor, new Date());
    this.objects.delete(externalId);
    if (o.clientRef && this.byRef.get(o.clientRef) === o) this.byRef.delete(o.clientRef);
    const key = `${o.kind}:${o.account}`;
    this.index.set(
      key,
      (this.index.get(key) ?? []).filter((x) => x !== o),
    );
  }

  async list(query: ListQuery): Promise<ListPage> {
    this.calls.list++;
    if (this.failLists)
      throw new PlatformError('retryable', 'platform unavailable (503)', { status: 503 });
    // Answers from its own index, as a real platform's indexed listing would: a benchmark's
    // "bare listing" baseline must not be inflated by a walk over every object.
    const all = this.index.get(`${query.kind}:${query.accountExternalId}`) ?? [];
    const start = query.cursor ? Number(query.cursor) : 0;
    const limit = query.limit ?? 100;
    const items = all.slice(start, start + limit).map((o) => ({
      externalId: o.externalId,
      attributes: { ...o.attributes },
      ...(o.clientRef ? { clientRef: o.clientRef } : {}),
    }));
    return start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items };
  }

  /** Root accounts: those seeded as kind `account` (seeded under no account). */
  async listAccounts(query: AccountListQuery): Promise<ListPage> {
    return this.list({ ...query, kind: 'account', accountExternalId: '' });
  }

  /** Read-only platform data (`seat_usage`, `limits`) per kind and account. */
  readonly data = new Map<string, Record<string, unknown>>();

  async read(kind: string, accountExternalId: string): Promise<Attributes> {
    this.calls.read++;
    const found = this.data.get(`${kind}:${accountExternalId}`);
    if (!found) throw new PlatformError('not_found', `no ${kind} for ${accountExternalId}`);
    return found;
  }

  /** The platform's own rotate operation: a new token, the old one dead. */
  rotateProvisioningToken = async (ref: ExternalRef): Promise<Observed> => {
    this.calls.update++;
    const o = this.objects.get(ref.externalId);
    if (!o) throw new PlatformError('not_found', `no provisioning ${ref.externalId}`);
    o.attributes = {
      ...o.attributes,
      token: `tok-${this.next++}`,
      token_rotated_at: new Date().toISOString(),
    };
    return { externalId: o.externalId, attributes: { ...o.attributes } };
  };
}
