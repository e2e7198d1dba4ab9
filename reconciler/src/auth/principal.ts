import type {} from 'fastify';
import type { Role } from '../store/tables/api-tokens-table.js';

/** Who is calling: resolved from the bearer token by the auth plugin. */
export interface Principal {
  readonly tokenId: string;
  /** Token name; the actor in audit events. */
  readonly name: string;
  readonly role: Role;
  /** null: every account; otherwise this account (or sub-account) and everything under it. */
  readonly scopeAccountId: string | null;
}

// The role set is stored in `api_tokens.role`, so its definition lives with that table.
export type { Role } from '../store/tables/api-tokens-table.js';

/** What a route does, declared in its `config.action`; the auth plugin checks it against the role. */
export type Action =
  | 'resources:read'
  | 'resources:write'
  | 'status:read'
  | 'platform:read'
  | 'drift:read'
  | 'drift:scan'
  | 'audit:read'
  | 'jobs:read'
  | 'jobs:run'
  | 'notifications:manage'
  | 'tokens:manage';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action this route performs; routes without one are public (health, metrics, openapi). */
    action?: Action;
  }
  interface FastifyRequest {
    /** Set by the auth plugin on every route that declares an action. */
    principal?: Principal;
  }
}
