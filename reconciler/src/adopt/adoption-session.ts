import { getKind, newId } from '@telform/schemas';
import type { Kysely } from 'kysely';
import type { Observed } from '../driver/platform-driver.js';
import { reasons, setCondition } from '../store/conditions.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { rowInTree, type AccountTree } from '../store/account-scope.js';
import type { Condition, Database } from '../store/database.js';
import { sealObserved } from '../store/observed-secrets.js';
import { StoreError } from '../store/store-error.js';
import { formatPlatformRef } from './platform-ref.js';
import type { PlatformLookup } from './platform-lookup.js';
import { platformReferences, specFromPlatform, SpecError } from './platform-spec.js';

/** A desired resource as adoption knows it. */
export interface AdoptedRow {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
  readonly root_account_id: string;
  readonly external_id: string | null;
}

/** One object adoption took over (or found managed already), for results and audit. */
export interface AdoptionEntry {
  readonly id: string;
  readonly kind: string;
  readonly account_id: string | null;
  readonly external_id: string;
  readonly platform_ref: string;
  /** Write-only attributes telform does not manage until the configuration sets them. */
  readonly unmanaged_secrets: readonly string[];
}

const accountKinds = ['account', 'sub_account'];
const columns = ['id', 'kind', 'account_id', 'root_account_id', 'external_id'] as const;

/**
 * The work of one adoption call, inside one transaction: finds what telform manages already,
 * reads the rest from the platform and inserts it as desired resources that are applied at
 * generation 1 (the platform holds them), owners and referenced objects first. Every call is
 * idempotent: an object telform manages (by platform id, or by the client reference telform
 * gave it) is returned, never adopted twice.
 */
export class AdoptionSession {
  readonly adopted: AdoptionEntry[] = [];
  private readonly rows = new Map<string, AdoptedRow>();
  private readonly loadedOwners = new Set<string>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretBox: SecretBox,
    private readonly lookup: PlatformLookup,
    /** The caller's scope: null may adopt anything; a tree adopts only under managed accounts in it. */
    private readonly scope: AccountTree | null,
    private readonly now: Date = new Date(),
  ) {}

  /** The managed account or sub-account with platform id `accountId`, adopting it (and its parents) if needed. */
  async account(accountId: string): Promise<AdoptedRow> {
    const known =
      this.rows.get(key('account', accountId)) ?? this.rows.get(key('sub_account', accountId));
    if (known) return known;
    const existing = await this.db
      .selectFrom('resources')
      .select(columns)
      .where('kind', 'in', accountKinds)
      .where('external_id', '=', accountId)
      .executeTakeFirst();
    if (existing) return this.remember(existing);
    if (this.scope !== null) {
      throw new StoreError(
        'forbidden',
        `platform account ${accountId} is not managed by telform: a token scoped to one account adopts only under accounts telform manages in its scope`,
      );
    }
    const observed = await this.lookup.account(accountId);
    if (!observed) throw notOnPlatform(`account ${accountId}`);
    const parentId = observed.attributes.account_id;
    if (typeof parentId === 'string' && parentId !== '') {
      const parent = await this.account(parentId);
      return this.insert('sub_account', parent, observed);
    }
    return this.insert('account', null, observed);
  }

  /**
   * The managed resource for platform object `objectId` of `kind` in account `accountId` (a
   * singleton: the account's one), adopting it and what it references if needed.
   */
  async object(kind: string, accountId: string, objectId?: string): Promise<AdoptedRow> {
    const info = getKind(kind);
    if (info.dataSource) throw invalid('kind', `${kind} is read-only platform data`);
    if (kind === 'account' || (kind === 'sub_account' && objectId === undefined)) {
      return this.expectKind(kind, await this.account(accountId));
    }
    const owner = await this.account(accountId);
    if (this.scope !== null && !rowInTree(owner, this.scope)) {
      throw new StoreError('not_found', `no managed account with platform id ${accountId}`);
    }
    await this.loadOwned(owner);
    if (kind === 'sub_account') {
      const sub = await this.account(objectId!);
      if (sub.account_id !== owner.id) {
        throw notOnPlatform(`sub-account ${objectId} of account ${accountId}`);
      }
      return this.expectKind(kind, sub);
    }
    const singletonKey = key(kind, `@${owner.id}`);
    const known = this.rows.get(info.singleton ? singletonKey : key(kind, objectId!));
    if (known) return known;
    const observed = await this.lookup.object(kind, accountId, objectId);
    if (!observed) throw notOnPlatform(`${kind} ${objectId ?? ''} in account ${accountId}`);
    const ids = new Map<string, string>();
    for (const ref of platformReferences(info, observed.attributes)) {
      const target = ref.kinds.some((k) => accountKinds.includes(k))
        ? await this.account(ref.platformId)
        : await this.object(ref.kinds[0]!, accountId, ref.platformId);
      ids.set(ref.platformId, target.id);
    }
    const row = await this.insert(kind, owner, observed, (platformId) => ids.get(platformId));
    if (info.singleton) this.rows.set(singletonKey, row);
    return row;
  }

  /** Whether telform manages the platform object (by platform id or client reference). */
  manages(kind: string, externalId: string, clientRef?: string): boolean {
    if (this.rows.has(key(kind, externalId))) return true;
    return clientRef !== undefined && this.rows.has(key('@id', clientRef));
  }

  /** Loads every resource an account owns, once: later lookups cost no query. */
  async loadOwned(owner: AdoptedRow): Promise<void> {
    if (this.loadedOwners.has(owner.id)) return;
    this.loadedOwners.add(owner.id);
    const owned = await this.db
      .selectFrom('resources')
      .select(columns)
      .where('account_id', '=', owner.id)
      .execute();
    for (const row of owned) this.remember(row);
  }

  private remember(row: AdoptedRow): AdoptedRow {
    if (row.external_id) this.rows.set(key(row.kind, row.external_id), row);
    this.rows.set(key('@id', row.id), row);
    if (row.account_id && getKind(row.kind).singleton) {
      this.rows.set(key(row.kind, `@${row.account_id}`), row);
    }
    return row;
  }

  private expectKind(kind: string, row: AdoptedRow): AdoptedRow {
    if (row.kind === kind) return row;
    throw invalid(
      'kind',
      `platform account ${row.external_id} is a ${row.kind.replace('_', '-')} on the platform: adopt it as telform_${row.kind}`,
    );
  }

  private async insert(
    kind: string,
    owner: AdoptedRow | null,
    observed: Observed,
    telformIdOf: (platformId: string) => string | undefined = () => undefined,
  ): Promise<AdoptedRow> {
    const info = getKind(kind);
    let spec: Record<string, unknown>;
    try {
      spec = specFromPlatform(info, observed.attributes, owner?.id ?? null, telformIdOf);
    } catch (err) {
      if (!(err instanceof SpecError)) throw err;
      throw new StoreError('validation_failed', err.message, [
        { field: err.field, rule: err.rule, message: err.message },
      ]);
    }
    const id = newId(kind);
    let conditions: Condition[] = [];
    const message = `adopted from the platform (${observed.externalId})`;
    conditions = setCondition(
      conditions,
      { type: 'Synced', status: 'True', reason: reasons.adopted, message },
      this.now,
    );
    conditions = setCondition(
      conditions,
      { type: 'Ready', status: 'True', reason: reasons.available },
      this.now,
    );
    const row = await this.db
      .insertInto('resources')
      .values({
        id,
        kind,
        account_id: owner?.id ?? null,
        root_account_id: owner?.root_account_id ?? id,
        spec: JSON.stringify(spec),
        secrets: '{}',
        external_id: observed.externalId,
        generation: 1,
        applied_generation: 1,
        observed: JSON.stringify(
          sealObserved(this.secretBox, id, info.generatedSecrets, observed.attributes),
        ),
        conditions: JSON.stringify(conditions),
        last_reconciled_at: this.now,
        // The platform holds it as it is: nothing to do until the spec changes.
        next_reconcile_at: null,
      })
      .returning(columns)
      .executeTakeFirstOrThrow();
    const alone = kind === 'account' || info.singleton;
    this.adopted.push({
      id,
      kind,
      account_id: row.account_id,
      external_id: observed.externalId,
      platform_ref: formatPlatformRef(kind, {
        account: kind === 'account' ? observed.externalId : owner!.external_id!,
        ...(alone ? {} : { object: observed.externalId }),
      }),
      unmanaged_secrets: info.secrets,
    });
    return this.remember(row);
  }
}

const key = (kind: string, id: string) => `${kind}\u0000${id}`;

function notOnPlatform(what: string): StoreError {
  return new StoreError('not_found', `the platform has no ${what}`);
}

function invalid(field: string, message: string): StoreError {
  return new StoreError('validation_failed', message, [{ field, rule: 'kind', message }]);
}
