import { silentLog, type DaemonLog } from '../log/daemon-log.js';
import { platformActor } from './platform-actor.js';
import type { WebhookAttempt } from './webhook-actions.js';
import { classifyNetworkError, classifyResponse } from './classify-platform-error.js';
import type { ActivityPage, ActivityQuery, PlatformActivityEntry } from './platform-activity.js';
import { collectionPath, enc, input, isSingleton, settingsPath } from './platform-paths.js';
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
} from './platform-driver.js';

export interface HttpPlatformDriverOptions {
  /** Base URL of the platform API, such as `http://127.0.0.1:7421`. */
  readonly baseUrl: string;
  /** The partner API key (sent as `Authorization: Bearer`). */
  readonly apiKey: string;
  /** Per-request timeout; a request past it fails as retryable. Default 10 s. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Each exchange: method, path, status and duration at debug; summaries at trace. */
  readonly log?: DaemonLog;
}

interface ObjectView {
  readonly id: string;
  readonly client_reference: string | null;
  readonly attributes: Record<string, unknown>;
}

/**
 * {@link PlatformDriver} over the emulator's HTTP API (and any vendor API of the same shape).
 * It classifies failures and never retries: retry policy belongs to the reconciler.
 *
 * Paths: accounts at `/v1/accounts`; other kinds at `/v1/accounts/{account}/{kind}s`;
 * singletons at `/v1/accounts/{account}/settings/{kind}`; read-only data at
 * `/v1/accounts/{account}/{kind}`. Creates send the telform id as `client_reference`, which
 * the platform makes idempotent; `observe` without an external id finds the object by it.
 */
export class HttpPlatformDriver implements PlatformDriver {
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly log: DaemonLog;

  constructor(private readonly options: HttpPlatformDriverOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetch = options.fetch ?? fetch;
    this.log = options.log ?? silentLog;
  }

  async observe(ref: ResourceRef): Promise<Observation> {
    const what = `observe ${ref.kind} ${ref.externalId ?? ref.id}`;
    if (isSingleton(ref.kind)) {
      const view = await this.request<ObjectView>('GET', settingsPath(ref), what, undefined, true);
      return view ? { exists: true, ...observed(view) } : { exists: false };
    }
    if (ref.externalId !== undefined) {
      const view = await this.request<ObjectView>(
        'GET',
        `${collectionPath(ref)}/${enc(ref.externalId)}`,
        what,
        undefined,
        true,
      );
      return view ? { exists: true, ...observed(view) } : { exists: false };
    }
    const page = await this.request<{ items: ObjectView[] }>(
      'GET',
      `${collectionPath(ref)}?client_reference=${enc(ref.id)}&limit=1`,
      what,
      undefined,
      true,
    );
    const found = page?.items[0];
    return found ? { exists: true, ...observed(found) } : { exists: false };
  }

  async create(ref: ResourceRef, desired: Attributes): Promise<Observed> {
    const what = `create ${ref.kind} ${ref.id}`;
    const body = { ...input(ref.kind, desired), client_reference: ref.id };
    if (isSingleton(ref.kind)) {
      return observed(await this.request<ObjectView>('PUT', settingsPath(ref), what, body));
    }
    return observed(await this.request<ObjectView>('POST', collectionPath(ref), what, body));
  }

  async update(ref: ExternalRef, desired: Attributes): Promise<Observed> {
    const what = `update ${ref.kind} ${ref.externalId}`;
    const path = isSingleton(ref.kind)
      ? settingsPath(ref)
      : `${collectionPath(ref)}/${enc(ref.externalId)}`;
    return observed(await this.request<ObjectView>('PUT', path, what, input(ref.kind, desired)));
  }

  async delete(ref: ExternalRef): Promise<void> {
    const what = `delete ${ref.kind} ${ref.externalId}`;
    const path = isSingleton(ref.kind)
      ? settingsPath(ref)
      : `${collectionPath(ref)}/${enc(ref.externalId)}`;
    await this.request('DELETE', path, what, undefined, true);
  }

  async list(query: ListQuery): Promise<ListPage> {
    const what = `list ${query.kind} of ${query.accountExternalId}`;
    const ref: ResourceRef = {
      kind: query.kind,
      id: '',
      accountExternalId: query.accountExternalId,
    };
    if (isSingleton(query.kind)) {
      const view = await this.request<ObjectView>('GET', settingsPath(ref), what, undefined, true);
      return { items: view ? [listed(view)] : [] };
    }
    if (query.kind === 'account') {
      // An account's own "list" is the account itself; partners enumerate accounts elsewhere.
      const view = await this.request<ObjectView>(
        'GET',
        `/v1/accounts/${enc(query.accountExternalId)}`,
        what,
        undefined,
        true,
      );
      return { items: view ? [listed(view)] : [] };
    }
    const params = new URLSearchParams();
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit) params.set('limit', String(query.limit));
    const page = await this.request<{ items: ObjectView[]; next_cursor: string | null }>(
      'GET',
      `${collectionPath(ref)}${params.size > 0 ? `?${params}` : ''}`,
      what,
    );
    return {
      items: page.items.map(listed),
      ...(page.next_cursor ? { nextCursor: page.next_cursor } : {}),
    };
  }

  /** The root accounts the key may act on (`GET /v1/accounts`), one page. */
  async listAccounts(query: AccountListQuery): Promise<ListPage> {
    const params = new URLSearchParams();
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit) params.set('limit', String(query.limit));
    const page = await this.request<{ items: ObjectView[]; next_cursor: string | null }>(
      'GET',
      `/v1/accounts${params.size > 0 ? `?${params}` : ''}`,
      'list the accounts',
    );
    return {
      items: page.items.map(listed),
      ...(page.next_cursor ? { nextCursor: page.next_cursor } : {}),
    };
  }

  async read(
    kind: string,
    accountExternalId: string,
    query: Readonly<Record<string, string>> = {},
  ): Promise<Attributes> {
    const params = new URLSearchParams(query);
    return this.request<Attributes>(
      'GET',
      `/v1/accounts/${enc(accountExternalId)}/${enc(kind)}${params.size > 0 ? `?${params}` : ''}`,
      `read ${kind} of ${accountExternalId}`,
    );
  }

  /** The account's activity log (`GET /v1/accounts/{account}/activity`), one page. */
  async activity(query: ActivityQuery): Promise<ActivityPage> {
    const params = new URLSearchParams();
    for (const name of ['from', 'to', 'type', 'resource', 'actor', 'outcome', 'ip'] as const) {
      const value = query[name];
      if (value !== undefined && value !== '') params.set(name, value);
    }
    if (query.events && query.events.length > 0) params.set('event', query.events.join(','));
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit) params.set('limit', String(query.limit));
    const account = query.accountExternalId;
    const page = await this.request<{ entries: RawActivity[]; next_cursor?: string | null }>(
      'GET',
      `/v1/accounts/${enc(account)}/activity${params.size > 0 ? `?${params}` : ''}`,
      `read the activity of ${account}`,
    );
    return {
      entries: page.entries.map(activityEntry),
      ...(page.next_cursor ? { nextCursor: page.next_cursor } : {}),
    };
  }

  /**
   * The platform's own rotate operation (`POST .../settings/provisioning/rotate`): a new token,
   * and the previous one stops booting phones. Every call rotates again, so it is not retried
   * here; the rotation job decides when one is due. Returns what the platform now holds, the new
   * token included: callers keep it out of summaries, logs and audit. Failures are classified
   * like any call: `not_found` when the account has no provisioning yet (or is gone),
   * `forbidden`, `retryable` (429, 5xx, no answer).
   */
  async rotateProvisioningToken(ref: ExternalRef): Promise<Observed> {
    const path = `${settingsPath({ ...ref, kind: 'provisioning' })}/rotate`;
    const what = `rotate provisioning token ${ref.externalId}`;
    return observed(await this.request<ObjectView>('POST', path, what));
  }

  /** "Test the connection": the platform posts a test event to the webhook and reports it. */
  async testWebhook(ref: ExternalRef): Promise<WebhookAttempt> {
    const path = `${collectionPath(ref)}/${enc(ref.externalId)}/test`;
    return this.request<WebhookAttempt>('POST', path, `test webhook ${ref.externalId}`);
  }

  /** Retry of a recorded delivery: the platform posts its payload again and reports it. */
  async retryWebhookDelivery(
    accountExternalId: string,
    deliveryId: number,
  ): Promise<WebhookAttempt> {
    const path = `/v1/accounts/${enc(accountExternalId)}/webhook_history/${deliveryId}/retry`;
    return this.request<WebhookAttempt>('POST', path, `retry webhook delivery ${deliveryId}`);
  }

  /** One HTTP exchange; with `missingOk`, a 404 gives undefined instead of an error. */
  private async request<T>(
    method: string,
    path: string,
    what: string,
    body?: unknown,
    missingOk?: false,
  ): Promise<T>;
  private async request<T>(
    method: string,
    path: string,
    what: string,
    body: unknown,
    missingOk: true,
  ): Promise<T | undefined>;
  private async request<T>(
    method: string,
    path: string,
    what: string,
    body?: unknown,
    missingOk = false,
  ): Promise<T | undefined> {
    let res: Response;
    let text: string;
    const started = performance.now();
    const payload = body !== undefined ? JSON.stringify(body) : undefined;
    // Field names and sizes only: values may be secrets (passwords, keys) on their way out.
    this.log.trace(
      { method, path, bytes: payload?.length ?? 0, fields: fieldNames(body) },
      'platform request',
    );
    try {
      res = await this.fetch(`${this.base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          // Who acts, for the platform's histories: percent-encoded, so any name fits a header.
          'x-telform-actor': encodeURIComponent(platformActor()),
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload !== undefined ? { body: payload } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const error = classifyNetworkError(err, what);
      const ms = Math.round(performance.now() - started);
      this.log.debug(
        { method, path, status: 'no answer', reason: error.reason, ms },
        'platform call',
      );
      throw error;
    }
    const ms = Math.round(performance.now() - started);
    this.log.trace(
      {
        method,
        path,
        status: res.status,
        bytes: text.length,
        requestId: res.headers.get('x-request-id') ?? undefined,
        retryAfter: res.headers.get('retry-after') ?? undefined,
      },
      'platform response',
    );
    this.log.debug({ method, path, status: res.status, ms }, 'platform call');
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (res.ok) return parsed as T;
    if (res.status === 404 && missingOk) return undefined;
    throw classifyResponse(res.status, parsed, res.headers, what);
  }
}

function fieldNames(body: unknown): string[] | undefined {
  return body !== null && typeof body === 'object' ? Object.keys(body) : undefined;
}

function observed(view: ObjectView): Observed {
  return { externalId: view.id, attributes: view.attributes };
}

function listed(view: ObjectView): Observed & { clientRef?: string } {
  return {
    ...observed(view),
    ...(view.client_reference ? { clientRef: view.client_reference } : {}),
  };
}

interface RawActivity {
  readonly seq: number;
  readonly time: string;
  readonly event: string;
  readonly type: 'read' | 'write';
  readonly resource: string;
  readonly actor: string;
  readonly outcome: PlatformActivityEntry['outcome'];
  readonly ip?: string | null;
  readonly status?: number | null;
}

function activityEntry(e: RawActivity): PlatformActivityEntry {
  return {
    id: String(e.seq),
    at: e.time,
    event: e.event,
    type: e.type,
    resource: e.resource,
    actor: e.actor,
    outcome: e.outcome,
    ip: e.ip || null,
    status: e.status ?? null,
  };
}
