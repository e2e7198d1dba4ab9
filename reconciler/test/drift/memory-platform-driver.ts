// An in-memory platform behind the PlatformDriver seam, for drift tests and the drift benchmark:
// it counts calls, so tests can check that a scan uses the bulk list and not one call per object.
import type { Attributes, ExternalRef, ListPage, ListQuery, Observation, Observed, PlatformDriver, ResourceRef } from '../../src/driver/platform-driver.js';
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
  calls = { observe: 0, create: 0, update: 0, delete: 0, list: 0, read: 0 };
  private next = 1;
  failLists = false;

  /** Puts an object on the platform as if created earlier (or by someone else when no clientRef). */
  seed(kind: string, account: string, attributes: Record<string, unknown>, clientRef?: string): string {
    const externalId = `p-${this.next++}`;
    this.objects.set(externalId, { kind, account, externalId, attributes: { ...attributes }, ...(clientRef ? { clientRef } : {}) });
    return externalId;
  }

  /** An administrator editing the object in the vendor console. */
  consoleEdit(externalId: string, patch: Record<string, unknown>): void {
    const o = this.objects.get(externalId)!;
    o.attributes = { ...o.attributes, ...patch };
  }

  totalCalls(): number {
    return Object.values(this.calls).reduce((a, b) => a + b, 0);
  }

  async observe(ref: ResourceRef): Promise<Observation> {
    this.calls.observe++;
    const o = ref.externalId ? this.objects.get(ref.externalId) : [...this.objects.values()].find((x) => x.clientRef === ref.id);
    return o ? { exists: true, externalId: o.externalId, attributes: { ...o.attributes } } : { exists: false };
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
    this.objects.delete(ref.externalId);
  }

  async list(query: ListQuery): Promise<ListPage> {
    this.calls.list++;
    if (this.failLists) throw new PlatformError('retryable', 'platform unavailable (503)', { status: 503 });
    const all = [...this.objects.values()].filter((o) => o.kind === query.kind && o.account === query.accountExternalId);
    const start = query.cursor ? Number(query.cursor) : 0;
    const limit = query.limit ?? 100;
    const items = all.slice(start, start + limit).map((o) => ({ externalId: o.externalId, attributes: { ...o.attributes }, ...(o.clientRef ? { clientRef: o.clientRef } : {}) }));
    return start + limit < all.length ? { items, nextCursor: String(start + limit) } : { items };
  }

  async read(): Promise<Attributes> {
    this.calls.read++;
    return {};
  }
}
