import type { AuditSink } from './audit/audit-sink.js';
import type { TokenStore } from './auth/token-store.js';

/**
 * On the first start there is no token at all: make one admin token and hand it back once.
 * Replicas starting together on one Postgres race on the unique name; the loser gets none.
 * The creation is audited like `POST /v1/tokens`, with `bootstrap` as the actor (never the token).
 */
export async function firstAdminToken(
  tokens: TokenStore,
  audit: AuditSink,
): Promise<string | undefined> {
  if ((await tokens.list({ includeRevoked: true })).length > 0) return undefined;
  let created: Awaited<ReturnType<TokenStore['create']>>;
  try {
    created = await tokens.create({ name: 'admin', role: 'admin', createdBy: 'bootstrap' });
  } catch {
    return undefined;
  }
  const { info } = created;
  await audit.record({
    event: 'token.create',
    access: 'write',
    resource: `token/${info.id}`,
    actor: 'bootstrap',
    outcome: 'success',
    // The shape `POST /v1/tokens` records: the request, which never holds the token.
    change: { request: { name: info.name, role: info.role } },
  });
  return created.token;
}
