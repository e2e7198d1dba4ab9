// Shared JSON Schemas of the API's own shapes, registered with addSchema so /openapi.json names
// them. Per-kind bodies come from the kind schemas (see routes/resources.ts).

const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableTimestamp = { type: ['string', 'null'], format: 'date-time' } as const;

export const conditionSchema = {
  $id: 'telform-condition',
  type: 'object',
  description: 'One condition of a resource status (`Synced` or `Ready`).',
  properties: {
    type: { type: 'string', enum: ['Synced', 'Ready'] },
    status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
    reason: { type: 'string' },
    message: { type: 'string' },
    field: { type: ['string', 'null'] },
    last_transition_time: timestamp,
  },
} as const;

export const resourceSchema = {
  $id: 'telform-resource',
  type: 'object',
  description: 'A desired resource with its status; secrets are never included.',
  properties: {
    id: { type: 'string' },
    kind: { type: 'string' },
    account_id: { type: ['string', 'null'] },
    generation: { type: 'integer' },
    spec: { type: 'object', additionalProperties: true },
    secrets_set: { type: 'array', items: { type: 'string' } },
    status: {
      type: 'object',
      properties: {
        applied_generation: { type: 'integer' },
        external_id: { type: ['string', 'null'] },
        observed: { type: ['object', 'null'], additionalProperties: true },
        platform_spec: {
          type: ['object', 'null'],
          additionalProperties: true,
          description:
            'The spec as the platform holds it (telform ids, removed values null, policy-ignored fields as desired); null before the first observation and in the answers of writes.',
        },
        conditions: { type: 'array', items: { $ref: 'telform-condition#' } },
        last_reconciled_at: nullableTimestamp,
      },
    },
    deletion_requested_at: nullableTimestamp,
    created_at: timestamp,
    updated_at: timestamp,
  },
} as const;

export const resourcePageSchema = {
  $id: 'telform-resource-page',
  type: 'object',
  properties: {
    items: { type: 'array', items: { $ref: 'telform-resource#' } },
    next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for the next page.' },
  },
} as const;

export const problemSchema = {
  $id: 'telform-problem',
  type: 'object',
  description: 'RFC 9457 problem details with a stable `code`.',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: { type: 'string' },
          rule: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

export const sharedSchemas = [conditionSchema, resourceSchema, resourcePageSchema, problemSchema];

/** Responses every authenticated route may give, as problem+json. */
export const problemResponse = {
  description: 'RFC 9457 problem details with a stable `code`.',
  content: { 'application/problem+json': { schema: { $ref: 'telform-problem#' } } },
} as const;
export const problemResponses = { '4xx': problemResponse, '5xx': problemResponse } as const;
