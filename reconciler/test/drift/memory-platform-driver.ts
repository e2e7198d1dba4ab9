// An in-memory platform behind the PlatformDriver seam, for drift tests and the drift benchmark:
// it counts calls, so tests can check that a scan uses the bulk list and not one call per object.
import type {
  Attributes,
  ExternalRef,
  ListPage,
  ListQuery,
  Observation,
  Observed,
  PlatformDriver,
  ResourceRef,
} from '../../src/driver/platform-driver.js';
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
  calls = { observe: 0, create: 0, update: 0, delete: 0, list: 0, read: 0 };
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

  /** An administrator editing the object in the vendor console. */
  consoleEdit(externalId: string, patch: Record<string, unknown>): void {
    const o = this.objects.get(externalId)!;
    o.attributes = { ...o.attributes, ...patch };
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

  /** Removes an object, as the platform or an administrator would. */
  remove(externalId: string): void {
    const o = this.objects.get(externalId);
    if (!o) return;
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
