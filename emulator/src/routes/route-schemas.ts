// Shared pieces of the route schemas that @fastify/swagger turns into the OpenAPI document.
// Bodies are checked against the kind's JSON Schema by the platform itself (for field/rule
// errors like a vendor's), so the route schemas only describe them.

export const security = [{ bearerAuth: [] }];

export const accountParams = {
  type: 'object',
  properties: { accountId: { type: 'string', description: 'Platform id of the account.' } },
  required: ['accountId'],
} as const;

export const objectParams = {
  type: 'object',
  properties: {
    accountId: { type: 'string', description: 'Platform id of the owning account.' },
    collection: {
      type: 'string',
      description: 'Plural kind: users, seats, domains, webhooks, sso_connectors, devices, ...',
    },
    objectId: { type: 'string', description: 'Platform id of the object.' },
  },
  required: ['accountId', 'collection'],
} as const;

export const listQuery = {
  type: 'object',
  properties: {
    client_reference: {
      type: 'string',
      description: 'Only the object with this client reference.',
    },
    cursor: { type: 'string', description: "Opaque cursor from the previous page's next_cursor." },
    limit: { type: 'string', description: 'Page size, 1-500 (default 100).' },
  },
} as const;

export const attributesBody = {
  type: 'object',
  description:
    'The schema attributes (snake_case), plus an optional `client_reference`: creation is ' +
    'idempotent on it (a second create returns the existing object with 200).',
} as const;

export const idempotencyHeader = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      description: 'Replays the first response for a repeat of the same write.',
    },
  },
} as const;
