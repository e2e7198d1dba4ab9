/**
 * The reconciler API client used by the provider. The bearer token lives only in the request
 * header: it is never logged nor put in an error. Creates carry an Idempotency-Key, so a retry
 * after a lost answer never creates twice; reads of many resources of one account are served
 * from one bulk listing per account, cached for the process (terraform starts one process per
 * phase, so the cache never outlives a plan or an apply).
 */
import { randomUUID } from 'node:crypto';
import type { ApiResource } from './api-resource.js';
import { HttpTransport, type Query, type SendOptions } from './http-transport.js';

export interface TelformClientOptions {
  readonly endpoint: string;
  readonly token: string;
  /** Attempts for retryable failures (network, 429, 5xx); default 5. */
  readonly attempts?: number;
  /**
   * How old the platform observations behind `read` may be, counted from this client's creation
   * (one Terraform phase): the daemon scans an account first when its last scan is older. 0
   * (the default) reads the platform once per account and phase; null never scans.
   */
  readonly refreshMaxAgeMs?: number | null;
}

export class TelformClient {
  private readonly http: HttpTransport;
  private readonly accounts = new Map<string, Promise<Map<string, ApiResource>>>();
  private readonly createdAt = Date.now();
  private readonly refreshMaxAgeMs: number | null;

  constructor(options: TelformClientOptions) {
    this.refreshMaxAgeMs = options.refreshMaxAgeMs === undefined ? 0 : options.refreshMaxAgeMs;
    this.http = new HttpTransport(
      options.endpoint.replace(/\/+$/, ''),
      options.token,
      options.attempts,
    );
  }

  private send(
    method: string,
    route: string,
    query: Query,
    options?: SendOptions,
  ): Promise<unknown> {
    return this.http.send(method, route, query, options);
  }

  async create(kind: string, attributes: Record<string, unknown>): Promise<ApiResource> {
    const key = randomUUID();
    return (await this.send(
      'POST',
      `/v1/resources/${kind}`,
      {},
      { body: attributes, idempotencyKey: key },
    )) as ApiResource;
  }

  async replace(
    kind: string,
    id: string,
    attributes: Record<string, unknown>,
  ): Promise<ApiResource> {
    return (await this.send('PUT', path(kind, id), {}, { body: attributes })) as ApiResource;
  }

  async remove(kind: string, id: string): Promise<void> {
    await this.send('DELETE', path(kind, id), {});
  }

  /**
   * Adopts the platform object `platformRef` names (`platform:<account>/<object>`) as a `kind`
   * resource, or finds the one telform manages already: `POST /v1/adopt`. Returns the resource.
   */
  async adopt(kind: string, platformRef: string): Promise<ApiResource> {
    const body = (await this.send(
      'POST',
      '/v1/adopt',
      {},
      // Adoption is idempotent: a retried call finds what the first one adopted.
      { body: { kind, platform_ref: platformRef }, idempotencyKey: randomUUID() },
    )) as { resource: ApiResource };
    return body.resource;
  }

  /** One resource, or null when it does not exist (any more). */
  async get(kind: string, id: string): Promise<ApiResource | null> {
    return (await this.send('GET', path(kind, id), {}, { nullOn404: true })) as ApiResource | null;
  }

  /** Long-polls until the reconciler reports the resource applied or failed, or `timeoutMs`. */
  async waitApplied(
    kind: string,
    id: string,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ApiResource | null> {
    const query = { wait: 'applied', timeout_ms: Math.max(1, Math.round(timeoutMs)) };
    try {
      return (await this.send('GET', path(kind, id), query, {
        nullOn404: true,
        signal,
        // The server holds the request up to timeout_ms; give it that and a margin.
        timeoutMs: timeoutMs + 5_000,
      })) as ApiResource | null;
    } catch (err) {
      // Interrupted: the caller reads the resource once more and reports where it stands.
      if (signal?.aborted) return this.get(kind, id);
      throw err;
    }
  }

  /**
   * A resource read through the bulk listing of its account: the first read of an account loads
   * every resource of it (a few requests), later reads cost nothing. Falls back to a single read
   * when the listing does not hold it.
   */
  async read(kind: string, id: string, accountId: string | null): Promise<ApiResource | null> {
    if (accountId) {
      const found = (await this.listAccount(accountId)).get(id);
      if (found) return found;
    }
    const maxAge = this.maxAge();
    const query = maxAge === undefined ? {} : { max_age_ms: maxAge };
    return (await this.send('GET', path(kind, id), query, {
      nullOn404: true,
    })) as ApiResource | null;
  }

  // A scan made since this client started (the same phase: a sub-account's tree is scanned with
  // its parent's) counts as fresh; older ones must be younger than the configured bound.
  private maxAge(): number | undefined {
    if (this.refreshMaxAgeMs === null) return undefined;
    return Math.min(86_400_000, Date.now() - this.createdAt + this.refreshMaxAgeMs);
  }

  listAccount(accountId: string): Promise<Map<string, ApiResource>> {
    let loading = this.accounts.get(accountId);
    if (!loading) {
      loading = this.loadAccount(accountId);
      // A failed load is not cached: the next read tries again.
      loading.catch(() => this.accounts.delete(accountId));
      this.accounts.set(accountId, loading);
    }
    return loading;
  }

  /**
   * Read-only platform data for an account (`limits`, `seat-usage`, the histories); `query` holds
   * the data source's arguments (`since`, `webhook_id`, ...).
   */
  async accountData(
    accountId: string,
    what: string,
    query: Readonly<Record<string, string>> = {},
  ): Promise<Record<string, unknown>> {
    return (await this.send('GET', `/v1/accounts/${encodeURIComponent(accountId)}/${what}`, {
      ...query,
    })) as Record<string, unknown>;
  }

  /** One page of the platform's activity log of an account (filters as the API takes them). */
  async platformActivity(
    accountId: string,
    query: Record<string, string | undefined>,
  ): Promise<unknown> {
    return this.send(
      'GET',
      `/v1/accounts/${encodeURIComponent(accountId)}/platform-activity`,
      query,
    );
  }

  /** The drift policy stored for a target, or null when none is (the defaults apply). */
  async driftPolicy(targetId: string): Promise<Record<string, unknown> | null> {
    return (await this.send('GET', policyPath(targetId), {}, { nullOn404: true })) as Record<
      string,
      unknown
    > | null;
  }

  async putDriftPolicy(
    targetId: string,
    body: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    return (await this.send('PUT', policyPath(targetId), {}, { body })) as Record<string, unknown>;
  }

  /** Removes a target's policy; one already gone is fine. */
  async deleteDriftPolicy(targetId: string): Promise<void> {
    await this.send('DELETE', policyPath(targetId), {}, { nullOn404: true });
  }

  /** The open drift records of an account and everything under it, every page. */
  async drift(accountId: string): Promise<{ records: unknown[] }> {
    const records: unknown[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 1_000; page++) {
      const body = (await this.send('GET', '/v1/drift', {
        account_id: accountId,
        state: 'open',
        format: 'json',
        cursor,
      })) as { records?: unknown[]; next_cursor?: string | null };
      records.push(...(body.records ?? []));
      cursor = body.next_cursor ?? undefined;
      if (!cursor) break;
    }
    return { records };
  }

  private async loadAccount(accountId: string): Promise<Map<string, ApiResource>> {
    const found = new Map<string, ApiResource>();
    let cursor: string | undefined;
    const maxAge = this.maxAge();
    for (let page = 0; page < 10_000; page++) {
      const body = (await this.send('GET', '/v1/resources', {
        account_id: accountId,
        cursor,
        limit: 1000,
        ...(page === 0 && maxAge !== undefined ? { max_age_ms: maxAge } : {}),
      })) as {
        items: ApiResource[];
        next_cursor?: string | null;
      };
      for (const item of body.items) found.set(item.id, item);
      cursor = body.next_cursor ?? undefined;
      if (!cursor) break;
    }
    return found;
  }
}

function path(kind: string, id: string): string {
  return `/v1/resources/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;
}

function policyPath(targetId: string): string {
  return `/v1/drift/policies/${encodeURIComponent(targetId)}`;
}
