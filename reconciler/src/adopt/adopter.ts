import { applyOrder, getKind, managedKinds } from '@telform/schemas';
import { sql, type Kysely } from 'kysely';
import type { AuditSink } from '../audit/audit-sink.js';
import type { PlatformDriver } from '../driver/platform-driver.js';
import { listPlatformInventory, type PlatformInventory } from '../drift/platform-inventory.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { resolveAccountTree, rowInTree } from '../store/account-scope.js';
import type { Database } from '../store/database.js';
import { StoreError } from '../store/store-error.js';
import { AdoptionSession, type AdoptedRow, type AdoptionEntry } from './adoption-session.js';
import { inventoryLookup, observingLookup, type PlatformLookup } from './platform-lookup.js';
import type { PlatformRef } from './platform-ref.js';
import { listRootAccounts } from '../driver/list-root-accounts.js';

export type { AdoptionEntry } from './adoption-session.js';

/** What an adoption covers: the object alone, an account and what it owns, or its whole tree. */
export type AdoptionExtent = 'object' | 'contents' | 'tree';

export interface AdoptRequest {
  /** Kind of the object `ref` names; absent: an account or sub-account, as the platform says. */
  readonly kind?: string;
  readonly ref: PlatformRef;
  readonly extent: AdoptionExtent;
  /** The caller's account scope (null: every account) and name, for the audit trail. */
  readonly scopeAccountId: string | null;
  readonly actor: string;
  readonly requestId?: string;
}

export interface AdoptResult {
  /** telform id of the object the reference names (adopted now or managed already). */
  readonly targetId: string;
  /** Objects taken over by this call, in the order they were inserted (owners first). */
  readonly adopted: readonly AdoptionEntry[];
  /** Platform calls made (observes and list pages). */
  readonly platformCalls: number;
}

export interface AdoptAllRequest {
  /** `object`: each account alone; `contents`, `tree`: as for one account. */
  readonly extent: AdoptionExtent;
  readonly scopeAccountId: string | null;
  readonly actor: string;
  readonly requestId?: string;
}

export interface AdoptAllResult {
  /** telform ids of the root accounts, in the platform's order. */
  readonly accountIds: readonly string[];
  readonly adopted: readonly AdoptionEntry[];
  readonly platformCalls: number;
}

/** Pages of 500 keep a 10,000-object account at 20 calls per kind at most. */
const pageSize = 500;

/**
 * Takes platform objects under management as they are (see {@link AdoptionSession}). One
 * transaction per call, serialised across replicas by an advisory lock, so two concurrent
 * imports of one object never adopt it twice; contents are bulk-listed before the transaction
 * opens, one call per kind and page. Each adopted object is an audit event `resource.<kind>.adopt`.
 */
export class Adopter {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly driver: PlatformDriver,
    private readonly secretBox: SecretBox,
    private readonly audit: AuditSink,
  ) {}

  async adopt(request: AdoptRequest): Promise<AdoptResult> {
    const calls = { n: 0 };
    const counted = countingLookup(observingLookup(this.driver), calls);
    const accountKind =
      request.kind === undefined || request.kind === 'account' || request.kind === 'sub_account';
    const whole = request.extent !== 'object';
    if (whole && !accountKind) {
      throw new TypeError('contents and tree adopt an account or sub-account');
    }
    if (request.scopeAccountId !== null)
      await this.ownedInScope(request.ref.account, request.scopeAccountId);
    // The accounts whose contents are adopted, listed before the transaction opens.
    const inventories = new Map<string, PlatformInventory>();
    const accountId = request.ref.object ?? request.ref.account;
    if (whole) await this.listTree(accountId, request.extent === 'tree', inventories, calls);
    const lookup = inventoryLookup(inventories, counted);
    const result = await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext('telform:adopt'))`.execute(trx);
      const scope =
        request.scopeAccountId === null
          ? null
          : await resolveAccountTree(trx, request.scopeAccountId);
      const session = new AdoptionSession(trx, this.secretBox, lookup, scope);
      const target =
        request.kind === undefined
          ? await session.account(accountId)
          : await session.object(request.kind, request.ref.account, request.ref.object);
      for (const [platformAccount, inventory] of inventories) {
        await this.adoptContents(session, platformAccount, inventory);
      }
      return { targetId: target.id, adopted: session.adopted };
    });
    for (const entry of result.adopted) await this.record(request, entry);
    return { ...result, platformCalls: calls.n };
  }

  /**
   * A scoped caller adopts only under a managed account in its tree. Checked before any platform
   * call (listing contents would read another tenant's account), and one answer for another
   * tenant's account and an unknown one, so the answer does not tell which platform ids are managed.
   */
  private async ownedInScope(platformId: string, scopeAccountId: string): Promise<void> {
    const row = await this.db
      .selectFrom('resources')
      .select(['id', 'kind', 'account_id', 'root_account_id'])
      .where('kind', 'in', ['account', 'sub_account'])
      .where('external_id', '=', platformId)
      .executeTakeFirst();
    if (!row || !rowInTree(row, await resolveAccountTree(this.db, scopeAccountId)))
      throw new StoreError(
        'not_found',
        `no managed account with platform id ${platformId} in this token's scope`,
      );
  }

  /**
   * Every root account the caller may adopt, each as {@link adopt} would take it with `extent`:
   * unscoped, all the platform lists for telform's credentials (`listAccounts`, 500 a page);
   * scoped, the scope's own account (which telform manages already, so no listing). One
   * transaction per account: a failure part way leaves the accounts before it adopted, and
   * calling again (idempotent) picks up where it stopped.
   */
  async adoptAll(request: AdoptAllRequest): Promise<AdoptAllResult> {
    let platformCalls = 0;
    const accounts: string[] = [];
    if (request.scopeAccountId !== null) {
      const own = await this.db
        .selectFrom('resources')
        .select(['external_id'])
        .where('id', '=', request.scopeAccountId)
        .executeTakeFirst();
      if (!own?.external_id) {
        throw new StoreError('conflict', `${request.scopeAccountId} is not on the platform yet`);
      }
      accounts.push(own.external_id);
    } else {
      const listed = await listRootAccounts(this.driver, pageSize);
      platformCalls += listed.calls;
      accounts.push(...listed.accounts);
    }
    const accountIds: string[] = [];
    const adopted: AdoptionEntry[] = [];
    for (const account of accounts) {
      const one = await this.adopt({
        ref: { account },
        extent: request.extent,
        scopeAccountId: request.scopeAccountId,
        actor: request.actor,
        ...(request.requestId ? { requestId: request.requestId } : {}),
      });
      accountIds.push(one.targetId);
      adopted.push(...one.adopted);
      platformCalls += one.platformCalls;
    }
    return { accountIds, adopted, platformCalls };
  }

  private async listTree(
    accountId: string,
    tree: boolean,
    into: Map<string, PlatformInventory>,
    calls: { n: number },
  ): Promise<void> {
    const kinds = managedKinds()
      .filter((k) => k.scope === 'account')
      .map((k) => k.kind);
    const inventory = await listPlatformInventory(this.driver, accountId, kinds, pageSize);
    calls.n += inventory.calls;
    into.set(accountId, inventory);
    if (!tree) return;
    for (const sub of inventory.byKind.get('sub_account') ?? []) {
      await this.listTree(sub.externalId, true, into, calls);
    }
  }

  // Owners and referenced kinds first (applyOrder), so references resolve without a lookup.
  private async adoptContents(
    session: AdoptionSession,
    platformAccount: string,
    inventory: PlatformInventory,
  ): Promise<void> {
    const owner: AdoptedRow = await session.account(platformAccount);
    await session.loadOwned(owner);
    for (const kind of applyOrder()) {
      for (const item of inventory.byKind.get(kind) ?? []) {
        if (session.manages(kind, item.externalId, item.clientRef)) continue;
        const singleton = getKind(kind).singleton;
        await session.object(kind, platformAccount, singleton ? undefined : item.externalId);
      }
    }
  }

  private async record(request: AdoptRequest, entry: AdoptionEntry): Promise<void> {
    await this.audit.record({
      event: `resource.${entry.kind}.adopt`,
      access: 'write',
      resource: `${entry.kind}/${entry.id}`,
      accountId: entry.account_id ?? entry.id,
      actor: request.actor,
      outcome: 'success',
      ...(request.requestId ? { requestId: request.requestId } : {}),
      change: {
        platform_ref: entry.platform_ref,
        external_id: entry.external_id,
        unmanaged_secrets: entry.unmanaged_secrets,
      },
    });
  }
}

function countingLookup(inner: PlatformLookup, calls: { n: number }): PlatformLookup {
  return {
    account: (id) => {
      calls.n += 1;
      return inner.account(id);
    },
    object: (kind, account, object) => {
      calls.n += 1;
      return inner.object(kind, account, object);
    },
  };
}
