/**
 * Where audit events go. Every API call and every change the reconciler makes on the platform
 * is one event. Callers remove secrets from `change` before recording; sinks scrub again.
 * `record` resolves once the event is stored; it never loses an event it resolved for.
 */
export interface AuditSink {
  record(event: AuditEventInput): Promise<void>;
}

export interface AuditEventInput {
  /** `user.create`, `user.read`, `token.create`, `platform.user.update`, ... */
  readonly event: string;
  readonly access: 'read' | 'write';
  /** `kind/id`, such as `user/user_01jd...`; absent for calls on no resource. */
  readonly resource?: string;
  /** Owning account (telform id), for scoped reads. */
  readonly accountId?: string;
  /** Token name, or `reconciler` for the daemon's own changes on the platform. */
  readonly actor: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly ip?: string;
  readonly requestId?: string;
  /** What changed (secrets removed), or why it failed. */
  readonly change?: Readonly<Record<string, unknown>>;
}

/** For tests and tools that run without an audit trail. */
export const discardAuditSink: AuditSink = { record: async () => {} };
