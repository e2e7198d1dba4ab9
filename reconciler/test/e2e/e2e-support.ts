import { createHash } from 'node:crypto';
// Helpers for end-to-end tests: an API client with a bearer token, a fleet of accounts declared
// through HTTP, waiting for convergence, and a census of what the platform (emulator) holds.

export interface ResourceView {
  readonly id: string;
  readonly kind: string;
  readonly generation: number;
  readonly spec: Record<string, unknown>;
  readonly status: {
    readonly applied_generation: number;
    readonly external_id: string | null;
    readonly observed: Record<string, unknown> | null;
    readonly conditions: ReadonlyArray<{
      type: string;
      status: string;
      reason: string;
      message: string;
      field: string | null;
    }>;
  };
}

export class Api {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  async call<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(this.url + path, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  async create(kind: string, attributes: Record<string, unknown>): Promise<ResourceView> {
    const res = await this.call<ResourceView>('POST', `/v1/resources/${kind}`, attributes, {
      'idempotency-key': createHash('sha256')
        .update(kind + JSON.stringify(attributes))
        .digest('hex'),
    });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`POST ${kind}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Every resource of an account tree, page by page. */
  async listAccount(accountId: string): Promise<ResourceView[]> {
    const all: ResourceView[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `account_id=${accountId}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await this.call<{ items: ResourceView[]; next_cursor: string | null }>(
        'GET',
        `/v1/resources?${q}`,
      );
      if (res.status !== 200)
        throw new Error(`list ${accountId}: ${res.status} ${JSON.stringify(res.body)}`);
      all.push(...res.body.items);
      cursor = res.body.next_cursor;
    } while (cursor);
    return all;
  }
}

export const syncedOf = (r: ResourceView) => r.status.conditions.find((c) => c.type === 'Synced');
export const isApplied = (r: ResourceView) =>
  r.status.applied_generation >= r.generation && syncedOf(r)?.status === 'True';

/** Runs `tasks` with at most `width` in flight. */
export async function inParallel<T>(width: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

export interface Fleet {
  readonly accountIds: string[];
  /** Every declared resource id (accounts included). */
  readonly ids: string[];
}

/**
 * Per account: the account, `users` users, and one seat for each of the first `seats` users.
 * Accounts first (children name them), then users, then seats, as a client would.
 */
export async function declareFleet(
  api: Api,
  accounts: number,
  users: number,
  seats: number,
  tag = 'f',
): Promise<Fleet> {
  const accountViews = await inParallel(
    4,
    Array.from(
      { length: accounts },
      (_, a) => () =>
        api.create('account', { name: `${tag} account ${a}`, email: `admin${a}@${tag}.example` }),
    ),
  );
  const accountIds = accountViews.map((v) => v.id);
  const userViews = await inParallel(
    8,
    accountIds.flatMap((accountId, a) =>
      Array.from(
        { length: users },
        (_, u) => () =>
          api.create('user', {
            account_id: accountId,
            name: `User ${a}-${u}`,
            login: `user${a}x${u}`,
            email: `user${a}x${u}@${tag}.example`,
          }),
      ),
    ),
  );
  const seatViews = await inParallel(
    8,
    userViews
      .filter((_, i) => i % users < seats)
      .map((u) => () => api.create('seat', { account_id: u.spec.account_id, user_id: u.id })),
  );
  return { accountIds, ids: [...accountViews, ...userViews, ...seatViews].map((v) => v.id) };
}

/**
 * Polls until every resource of the fleet is applied; returns the last listing. `firstApplied`,
 * when given, gets the time each resource was first seen applied (within one poll, 500 ms).
 */
export async function waitConverged(
  api: Api,
  accountIds: readonly string[],
  expected: number,
  timeoutMs: number,
  firstApplied?: Map<string, number>,
): Promise<ResourceView[]> {
  const deadline = Date.now() + timeoutMs;
  let last: ResourceView[] = [];
  while (Date.now() < deadline) {
    try {
      last = (await Promise.all(accountIds.map((id) => api.listAccount(id)))).flat();
      const now = Date.now();
      for (const r of last)
        if (isApplied(r) && !firstApplied?.has(r.id)) firstApplied?.set(r.id, now);
      if (last.length === expected && last.every(isApplied)) return last;
    } catch {
      // The daemon may be restarting.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const behind = last
    .filter((r) => !isApplied(r))
    .slice(0, 5)
    .map((r) => `${r.id}: ${JSON.stringify(syncedOf(r))}`);
  throw new Error(
    `not converged after ${timeoutMs} ms: ${last.filter(isApplied).length}/${expected} applied; e.g. ${behind.join('; ')}`,
  );
}

/** What the platform holds: objects per client reference, and successful creates per object. */
export class PlatformCensus {
  constructor(
    private readonly url: string,
    private readonly key: string,
  ) {}

  private async get<T>(path: string): Promise<T> {
    const res = await fetch(this.url + path, { headers: { authorization: `Bearer ${this.key}` } });
    if (res.status !== 200)
      throw new Error(`emulator GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }

  private async pages(
    path: string,
  ): Promise<
    Array<{ id: string; client_reference: string | null; attributes: Record<string, unknown> }>
  > {
    const out: Array<{
      id: string;
      client_reference: string | null;
      attributes: Record<string, unknown>;
    }> = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: { items: typeof out; next_cursor: string | null } = await this.get(
        `${path}${sep}limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      out.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    return out;
  }

  /** Platform objects by client reference (telform id), over accounts and `kinds` in them. */
  async objectsByClientRef(
    kinds: readonly string[],
  ): Promise<Map<string, Array<{ id: string; attributes: Record<string, unknown> }>>> {
    const byRef = new Map<string, Array<{ id: string; attributes: Record<string, unknown> }>>();
    const add = (o: {
      id: string;
      client_reference: string | null;
      attributes: Record<string, unknown>;
    }) => {
      if (!o.client_reference) return;
      byRef.set(o.client_reference, [
        ...(byRef.get(o.client_reference) ?? []),
        { id: o.id, attributes: o.attributes },
      ]);
    };
    const accounts = await this.pages('/v1/accounts');
    accounts.forEach(add);
    for (const account of accounts) {
      for (const kind of kinds)
        (
          await this.pages(`/v1/accounts/${account.id}/${kind.endsWith('s') ? kind : `${kind}s`}`)
        ).forEach(add);
    }
    return byRef;
  }

  /** Successful create calls per platform resource, from the activity log of every account. */
  async createsPerResource(): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const account of await this.pages('/v1/accounts')) {
      const log = await this.get<{
        entries: Array<{ event: string; resource: string; outcome: string }>;
      }>(
        `/v1/accounts/${account.id}/activity?event=account.create,sub_account.create,user.create,seat.create&outcome=success&limit=1000`,
      );
      for (const e of log.entries) {
        counts.set(e.resource, (counts.get(e.resource) ?? 0) + 1);
      }
    }
    return counts;
  }
}
