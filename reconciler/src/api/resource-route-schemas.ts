// Params and query strings of the resource routes (routes/resources.ts).

export const idParams = {
  type: 'object',
  properties: { id: { type: 'string', description: 'The id the resource was created with.' } },
  required: ['id'],
} as const;
export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    account_id: {
      type: 'string',
      description: 'Only this account or sub-account and what is under it.',
    },
    cursor: { type: 'string', description: '`next_cursor` of the previous page.' },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
    max_age_ms: {
      type: 'integer',
      minimum: 0,
      maximum: 86_400_000,
      description:
        'Read the platform first: accounts of the tree (with account_id) or of the resource whose last drift scan is older than this many milliseconds are scanned before answering (0: always). The first page only.',
    },
  },
} as const;
export const readQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    wait: { type: 'string', enum: ['applied'], description: 'Long-poll until applied or failed.' },
    timeout_ms: { type: 'integer', minimum: 0, maximum: 120_000, default: 30_000 },
    max_age_ms: {
      type: 'integer',
      minimum: 0,
      maximum: 86_400_000,
      description:
        'Read the platform first: accounts of the tree (with account_id) or of the resource whose last drift scan is older than this many milliseconds are scanned before answering (0: always). The first page only.',
    },
  },
} as const;

// Request headers of the writes, checked by request-context.ts (with problem details naming
// the header); declared here so /openapi.json documents them.
const idempotencyKey = {
  type: 'string',
  description:
    'Any 1-255 visible ASCII characters: a retry with the same key and body gets the first answer (header Idempotent-Replayed) instead of a second write; the same key with another body is 422 `idempotency_key_reused`.',
} as const;
const ifMatch = {
  type: 'string',
  description:
    'The ETag of the generation this change is based on (`"3"`); another current generation answers 412 `precondition_failed`. `*` or absent: no condition.',
} as const;
export const createHeaders = {
  type: 'object',
  properties: { 'Idempotency-Key': idempotencyKey },
} as const;
export const changeHeaders = {
  type: 'object',
  properties: { 'If-Match': ifMatch, 'Idempotency-Key': idempotencyKey },
} as const;
