import { errors } from '../errors/error-catalogue.js';
import type { ObjectRepository } from '../model/object-repository.js';
import type { StateStore } from '../storage/state-store.js';

/** One domain or address in an email-address domain, blacklisted by one user. */
export interface BlacklistEntry {
  readonly seq: number;
  readonly account_id: string;
  readonly domain_id: string;
  readonly address: string | null;
  readonly user_id: string;
  readonly source: 'manual' | 'automatic';
  readonly at: string;
}

/** What a user blacklists: a whole domain (`domain`) or one address (`address`). */
export interface BlacklistRequest {
  readonly user_id?: unknown;
  readonly domain?: unknown;
  readonly address?: unknown;
  readonly source?: unknown;
}

const COLL = 'email_blacklist';

/**
 * The blacklist behind the console's email-address domains: a domain shows the users who
 * blacklisted it or an address in it, and the source (manual, or automatic on an unsubscribe or
 * a bounce). Entries of a deleted domain are no longer shown; a user blacklisting the same
 * thing twice keeps the first entry.
 */
export class EmailBlacklist {
  private seq = 0;

  constructor(
    private readonly store: StateStore,
    private readonly repo: ObjectRepository,
  ) {
    for (const e of store.values<BlacklistEntry>(COLL)) this.seq = Math.max(this.seq, e.seq);
  }

  /** Records `req` for `accountId`; throws a 422 naming the field when it does not fit. */
  add(
    accountId: string,
    req: BlacklistRequest,
    now: Date,
  ): { entry: BlacklistEntry; created: boolean } {
    const user = typeof req.user_id === 'string' ? this.repo.get(req.user_id) : undefined;
    if (!user || user.kind !== 'user' || user.account_id !== accountId) {
      throw errors.invalid(
        'user_id',
        'reference',
        `user_id must be a user of account ${accountId}`,
      );
    }
    if (req.source !== 'manual' && req.source !== 'automatic') {
      throw errors.invalid('source', 'enum', 'source must be manual or automatic');
    }
    if ((req.domain === undefined) === (req.address === undefined)) {
      throw errors.invalid('domain', 'one_of', 'give either domain (the whole domain) or address');
    }
    const address = typeof req.address === 'string' ? req.address.toLowerCase() : null;
    if (req.address !== undefined && (address === null || !/^[^@\s]+@[^@\s]+$/.test(address))) {
      throw errors.invalid('address', 'email', 'address must be an email address');
    }
    const name = address === null ? String(req.domain).toLowerCase() : address.split('@')[1]!;
    const domain = [...this.repo.list(accountId, 'domain')].find(
      (d) => d.attributes.kind === 'email_address' && d.attributes.name === name,
    );
    if (!domain) {
      const field = address === null ? 'domain' : 'address';
      throw errors.invalid(
        field,
        'email_address_domain',
        `${name} is not an email-address domain of account ${accountId}`,
      );
    }
    const same = this.entries(accountId).find(
      (e) => e.domain_id === domain.id && e.address === address && e.user_id === user.id,
    );
    if (same) return { entry: same, created: false };
    const entry: BlacklistEntry = {
      seq: ++this.seq,
      account_id: accountId,
      domain_id: domain.id,
      address,
      user_id: user.id,
      source: req.source,
      at: now.toISOString(),
    };
    this.store.put(COLL, String(entry.seq), entry);
    return { entry, created: true };
  }

  /** The account's entries whose domain still exists, newest first. */
  entries(accountId: string): BlacklistEntry[] {
    const out: BlacklistEntry[] = [];
    for (const e of this.store.values<BlacklistEntry>(COLL)) {
      if (e.account_id === accountId && this.repo.get(e.domain_id)?.kind === 'domain') out.push(e);
    }
    return out.sort((a, b) => b.seq - a.seq);
  }

  /** An entry as the data source shows it: names beside the platform ids. */
  view(e: BlacklistEntry): Record<string, unknown> {
    return {
      domain: this.repo.get(e.domain_id)?.attributes.name,
      platform_domain_id: e.domain_id,
      ...(e.address === null ? {} : { address: e.address }),
      platform_user_id: e.user_id,
      user_name: this.repo.get(e.user_id)?.attributes.name ?? e.user_id,
      source: e.source,
      blacklisted_at: e.at,
    };
  }
}
