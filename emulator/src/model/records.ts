/** Attributes as the API carries them: schema attribute names, JSON values. */
export type Attrs = Record<string, unknown>;

/** Any object on the platform; accounts and sub-accounts are objects too. */
export interface ObjectRecord {
  /** Platform id, such as `u-42`. */
  readonly id: string;
  /** Creation order; lists and cursors follow it. */
  readonly seq: number;
  readonly kind: string;
  /** Owning account (the parent for a sub-account; null for a top-level account). */
  readonly account_id: string | null;
  readonly client_reference: string | null;
  readonly attributes: Attrs;
  /** Write-only values, by attribute path; never returned. */
  readonly secrets: Readonly<Record<string, unknown>>;
  /** Attributes the platform generated and keeps (a provisioning token, an assignment time). */
  readonly generated: Attrs;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What only the platform knows about an account: its key and its commercial limits. */
export interface AccountMeta {
  readonly account_id: string;
  readonly api_key_hash: string;
  /** Hash of the partner key that created the top-level account. */
  readonly partner_hash: string;
  /** Maximum number of objects per kind (`seat`: seats purchased); absent kinds use the defaults. */
  readonly limits: Readonly<Record<string, number>>;
}
