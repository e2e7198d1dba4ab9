/**
 * The reconciler API client used by the provider. The bearer token lives only in the request
 * header: it is never logged nor put in an error. Creates carry an Idempotency-Key, so a retry
 * after a lost answer never creates twice; reads of many resources of one account are served
 * from one bulk listing per account, cached for the process (terraform starts one process per
 * phase, so the cache never outlives a plan or an apply).
 */
import { randomUUID } from 'node:crypto';
import { ApiError, type ApiResource } from './api-resource.js';

export interface TelformClientOptions {
  readonly endpoint: string;
  readonly token: string;
  /** Attempts for retryable failures (network, 429, 5xx); default 5. */
  readonly attempts?: number;
}

type Query = Record<string, string | number | undefined>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class TelformClient {
  private readonly base: string;
  private readonly accounts = new Map<string, Promise<Map<string, ApiResource>>>();

  constructor(private readonly options: TelformClientOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
  }

  async create(kind: string, attributes: Record<string, unknown>): Promise<ApiResource> {
    const key = randomUUID();
    return (await this.send('POST', `/v1/resources/${kind}`, {}, attributes, key)) as ApiResource;
  }

  async replace(
    kind: string,
    id: string,
    attributes: Record<string, unknown>,
  ): Promise<ApiResource> {
    return (await this.send('PUT', path(kind, id), {}, attributes)) as ApiResource;
  }

  async remove(kind: string, id: string): Promise<void> {
    await this.send('DELETE', path(kind, id), {});
  }

  /** One resource, or null when it does not exist (any more). */
  async get(kind: string, id: string): Promise<ApiResource | null> {
    return (await this.send(
      'GET',
      path(kind, id),
      {},
      undefined,
      undefined,
      true,
    )) as ApiResource | null;
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
      return (await this.send(
        'GET',
        path(kind, id),
        query,
        undefined,
        undefined,
        true,
        signal,
      )) as ApiResource | null;
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
    return this.get(kind, id);
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

  /** Read-only platform data for an account (`limits`, `seat-usage`). */
  async accountData(accountId: string, what: string): Promise<Record<string, unknown>> {
    return (await this.send(
      'GET',
      `/v1/accounts/${encodeURIComponent(accountId)}/${what}`,
      {},
    )) as Record<string, unknown>;
  }

  /** The drift records of an account. */
  async drift(accountId: string): Promise<Record<string, unknown>> {
    return (await this.send('GET', '/v1/drift', { account_id: accountId })) as Record<
      string,
      unknown
    >;
  }

  private async loadAccount(accountId: string): Promise<Map<string, ApiResource>> {
    const found = new Map<string, ApiResource>();
    let cursor: string | undefined;
    for (let page = 0; page < 10_000; page++) {
      const body = (await this.send('GET', '/v1/resources', {
        account_id: accountId,
        cursor,
        limit: 1000,
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

  private async send(
    method: string,
    route: string,
    query: Query,
    body?: unknown,
    idempotencyKey?: string,
    nullOn404 = false,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const url = new URL(this.base + route);
    for (const [k, v] of Object.entries(query))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    // A POST without an idempotency key is never retried: it might have been applied.
    const retryable = method !== 'POST' || idempotencyKey !== undefined;
    const attempts = retryable ? (this.options.attempts ?? 5) : 1;
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await fetch(url, {
          method,
          headers,
          signal,
          body: body === undefined ? undefined : JSON.stringify(body),
        });
      } catch (err) {
        if (attempt < attempts && !signal?.aborted) {
          await pause(backoff(attempt));
          continue;
        }
        const reason = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        throw new ApiError(
          0,
          'unreachable',
          `cannot reach the telform daemon at ${this.base} (${reason})`,
        );
      }
      if ((response.status === 429 || response.status >= 500) && attempt < attempts) {
        const after = Number(response.headers.get('retry-after'));
        await response.arrayBuffer();
        await pause(
          Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 30_000) : backoff(attempt),
        );
        continue;
      }
      if (response.status === 404 && nullOn404) {
        await response.arrayBuffer();
        return null;
      }
      const text = await response.text();
      const parsed: unknown = text ? JSON.parse(text) : null;
      if (response.ok) return parsed;
      throw problem(response.status, parsed, `${method} ${url.pathname}`);
    }
  }
}

function path(kind: string, id: string): string {
  return `/v1/resources/${encodeURIComponent(kind)}/${encodeURIComponent(id)}`;
}

function backoff(attempt: number): number {
  const base = Math.min(200 * 2 ** (attempt - 1), 5_000);
  return base / 2 + Math.random() * (base / 2);
}

function problem(status: number, body: unknown, what: string): ApiError {
  const p = (body ?? {}) as {
    code?: string;
    title?: string;
    detail?: string;
    errors?: ApiError['errors'];
  };
  const message = p.detail ?? p.title ?? `${what} answered ${status}`;
  return new ApiError(
    status,
    p.code ?? `http_${status}`,
    message,
    Array.isArray(p.errors) ? p.errors : [],
  );
}
