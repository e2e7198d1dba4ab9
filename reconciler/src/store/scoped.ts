/** Every call names the caller's scope: null sees everything, an account id its tree only. */
export interface Scoped {
  readonly scopeAccountId: string | null;
  /**
   * The caller may read desired state (`resources:read`): reads (`get`, `list`) show it the
   * platform-generated secrets of `status.observed` (the provisioning token) opened. Otherwise,
   * and in every write's answer (kept verbatim for Idempotency-Key replays), they are omitted.
   */
  readonly revealGeneratedSecrets?: boolean;
}
