import type { StateStore } from '../storage/state-store.js';
import type { AccountMeta, ObjectRecord } from './records.js';

const OBJECTS = 'objects';
const META = 'account_meta';

/**
 * Objects, account metadata and settings documents over the state store, with the in-memory
 * indexes the API needs (by account and kind, by client reference), rebuilt when opened.
 */
export class ObjectRepository {
  private readonly byOwnerKind = new Map<string, Set<string>>();
  private readonly byClientRef = new Map<string, string>();
  private readonly byKeyHash = new Map<string, string>();
  private seq = 0;

  constructor(private readonly store: StateStore) {
    for (const rec of store.values<ObjectRecord>(OBJECTS)) {
      this.index(rec);
      this.seq = Math.max(this.seq, rec.seq);
    }
    for (const meta of store.values<AccountMeta>(META))
      this.byKeyHash.set(meta.api_key_hash, meta.account_id);
  }

  nextSeq(): number {
    return ++this.seq;
  }

  get(id: string): ObjectRecord | undefined {
    return this.store.get<ObjectRecord>(OBJECTS, id);
  }

  /** Objects of a kind owned by an account, in creation order. */
  *list(accountId: string | null, kind: string): Generator<ObjectRecord> {
    for (const id of this.byOwnerKind.get(ownerKey(accountId, kind)) ?? []) {
      const rec = this.get(id);
      if (rec) yield rec;
    }
  }

  /** Every object of a kind on the platform (a scan; used by rare lookups such as phone boot). */
  *allOfKind(kind: string): Generator<ObjectRecord> {
    for (const rec of this.store.values<ObjectRecord>(OBJECTS)) if (rec.kind === kind) yield rec;
  }

  count(accountId: string | null, kind: string): number {
    return this.byOwnerKind.get(ownerKey(accountId, kind))?.size ?? 0;
  }

  findByClientRef(accountId: string | null, kind: string, ref: string): ObjectRecord | undefined {
    const id = this.byClientRef.get(refKey(accountId, kind, ref));
    return id === undefined ? undefined : this.get(id);
  }

  put(rec: ObjectRecord): void {
    // An update keeps the object's place in its list: only the client-reference index moves.
    const before = this.get(rec.id);
    if (before?.client_reference != null) {
      this.byClientRef.delete(refKey(before.account_id, before.kind, before.client_reference));
    }
    this.store.put(OBJECTS, rec.id, rec);
    this.index(rec);
  }

  remove(id: string): ObjectRecord | undefined {
    const rec = this.get(id);
    if (!rec) return undefined;
    this.unindex(rec);
    this.store.del(OBJECTS, id);
    return rec;
  }

  meta(accountId: string): AccountMeta | undefined {
    return this.store.get<AccountMeta>(META, accountId);
  }

  putMeta(meta: AccountMeta): void {
    const before = this.meta(meta.account_id);
    if (before) this.byKeyHash.delete(before.api_key_hash);
    this.store.put(META, meta.account_id, meta);
    this.byKeyHash.set(meta.api_key_hash, meta.account_id);
  }

  removeMeta(accountId: string): void {
    const before = this.meta(accountId);
    if (before) this.byKeyHash.delete(before.api_key_hash);
    this.store.del(META, accountId);
  }

  /** The account whose own API key hashes to `hash`. */
  accountByKeyHash(hash: string): string | undefined {
    return this.byKeyHash.get(hash);
  }

  private index(rec: ObjectRecord): void {
    const key = ownerKey(rec.account_id, rec.kind);
    let set = this.byOwnerKind.get(key);
    if (!set) this.byOwnerKind.set(key, (set = new Set()));
    set.add(rec.id);
    if (rec.client_reference !== null) {
      this.byClientRef.set(refKey(rec.account_id, rec.kind, rec.client_reference), rec.id);
    }
  }

  private unindex(rec: ObjectRecord): void {
    this.byOwnerKind.get(ownerKey(rec.account_id, rec.kind))?.delete(rec.id);
    if (rec.client_reference !== null) {
      this.byClientRef.delete(refKey(rec.account_id, rec.kind, rec.client_reference));
    }
  }
}

function ownerKey(accountId: string | null, kind: string): string {
  return `${accountId ?? ''}/${kind}`;
}

function refKey(accountId: string | null, kind: string, ref: string): string {
  return `${accountId ?? ''}/${kind}/${ref}`;
}
