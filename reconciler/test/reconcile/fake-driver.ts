import type { ActivityPage } from '../../src/driver/platform-activity.js';
// An in-memory platform for engine tests (a test double, never shipped): objects keyed by client
// reference, a call log, and scripted failures per operation.
import {
  PlatformError,
  type Attributes,
  type ExternalRef,
  type ListPage,
  type Observation,
  type Observed,
  type PlatformDriver,
  type ResourceRef,
} from '../../src/driver/platform-driver.js';

export interface FakeObject {
  readonly externalId: string;
  readonly kind: string;
  readonly clientRef: string;
  readonly accountExternalId?: string;
  attributes: Record<string, unknown>;
}

export interface Call {
  readonly op: 'observe' | 'create' | 'update' | 'delete';
  readonly id: string;
  readonly desired?: Attributes;
}

type Failure = (call: Call) => Error | undefined;

export class FakeDriver implements PlatformDriver {
  readonly objects = new Map<string, FakeObject>();
  readonly calls: Call[] = [];
  private failures: Failure[] = [];
  private next = 1;
  /** Runs after a create lands, before it returns: simulates a crash in between. */
  afterCreate?: () => Promise<void>;

  failWhen(failure: Failure): void {
    this.failures.push(failure);
  }

  clearFailures(): void {
    this.failures = [];
  }

  count(op: Call['op'], id?: string): number {
    return this.calls.filter((c) => c.op === op && (id === undefined || c.id === id)).length;
  }

  async observe(ref: ResourceRef): Promise<Observation> {
    this.check({ op: 'observe', id: ref.id });
    const found = this.find(ref);
    return found
      ? { exists: true, externalId: found.externalId, attributes: { ...found.attributes } }
      : { exists: false };
  }

  async create(ref: ResourceRef, desired: Attributes): Promise<Observed> {
    this.check({ op: 'create', id: ref.id, desired });
    let found = this.find(ref);
    if (!found) {
      found = {
        externalId: `ext-${this.next++}`,
        kind: ref.kind,
        clientRef: ref.id,
        attributes: { ...desired, created_by_platform: true },
        ...(ref.accountExternalId ? { accountExternalId: ref.accountExternalId } : {}),
      };
      this.objects.set(ref.id, found);
    }
    await this.afterCreate?.();
    return { externalId: found.externalId, attributes: { ...found.attributes } };
  }

  async update(ref: ExternalRef, desired: Attributes): Promise<Observed> {
    this.check({ op: 'update', id: ref.id, desired });
    const found = this.find(ref);
    if (!found)
      throw new PlatformError('not_found', `${ref.kind} ${ref.externalId} does not exist`);
    found.attributes = { ...found.attributes, ...desired };
    return { externalId: found.externalId, attributes: { ...found.attributes } };
  }

  async delete(ref: ExternalRef): Promise<void> {
    this.check({ op: 'delete', id: ref.id });
    this.objects.delete(ref.id);
  }

  async list(): Promise<ListPage> {
    return { items: [] };
  }

  /** The accounts it holds, in one page. */
  async listAccounts(): Promise<ListPage> {
    const accounts = [...this.objects.values()].filter((o) => o.kind === 'account');
    return {
      items: accounts.map((o) => ({
        externalId: o.externalId,
        attributes: { ...o.attributes },
        clientRef: o.clientRef,
      })),
    };
  }

  async read(): Promise<Attributes> {
    return {};
  }

  async activity(): Promise<ActivityPage> {
    return { entries: [] };
  }

  private find(ref: ResourceRef): FakeObject | undefined {
    return this.objects.get(ref.id);
  }

  private check(call: Call): void {
    this.calls.push(call);
    for (const failure of this.failures) {
      const err = failure(call);
      if (err) throw err;
    }
  }
}
