// JSON Schemas of the drift API's bodies and answers (see routes/drift.ts).
import { managedKinds } from '@telform/schemas';
import { IGNORE_PATTERN_SOURCE } from '../../drift/ignore-fields.js';

const timestamp = { type: 'string', format: 'date-time' } as const;

export const driftQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    account_id: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'An account or sub-account: its drift and that of everything under it.',
    },
    // An enum, not a pattern: a misspelt kind is an error naming the kinds, not an empty report.
    kind: {
      type: 'string',
      enum: managedKinds().map((k) => k.kind),
      description: 'Only drift of this kind (a managed kind, e.g. `user`).',
    },
    state: { type: 'string', enum: ['open', 'resolved', 'all'], default: 'open' },
    format: {
      type: 'string',
      enum: ['json', 'csv', 'markdown'],
      description: 'Overrides the Accept header.',
    },
    cursor: {
      type: 'string',
      pattern: '^[0-9]{1,19}$',
      description: '`next_cursor` of the previous page.',
    },
    limit: { type: 'integer', minimum: 1, maximum: 10_000, default: 1000 },
  },
} as const;

const fieldDrift = {
  type: 'object',
  properties: { field: { type: 'string' }, desired: {}, actual: {} },
} as const;

export const driftReportSchema = {
  type: 'object',
  properties: {
    generated_at: timestamp,
    filters: { type: 'object', additionalProperties: { type: 'string' } },
    summary: {
      type: 'object',
      properties: {
        open: { type: 'integer' },
        resolved: { type: 'integer' },
        unmanaged: { type: 'integer' },
      },
    },
    records: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          resource_id: { type: 'string' },
          kind: { type: 'string' },
          account_id: { type: 'string' },
          fields: { type: 'array', items: fieldDrift },
          action: { type: 'string', enum: ['reported', 'corrected', 'ignored'] },
          state: { type: 'string', enum: ['open', 'resolved'] },
          first_seen_at: timestamp,
          last_seen_at: timestamp,
          resolved_at: { type: ['string', 'null'], format: 'date-time' },
          platform_change: {
            type: ['object', 'null'],
            description:
              "The platform's activity entry of the change that caused the drift (null: none found).",
            properties: {
              actor: { type: 'string' },
              at: timestamp,
              ip: { type: ['string', 'null'] },
              event: { type: 'string' },
            },
          },
        },
      },
    },
    unmanaged: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          account_id: { type: 'string' },
          kind: { type: 'string' },
          external_id: { type: 'string' },
          client_ref: { type: ['string', 'null'] },
          first_seen_at: timestamp,
          last_seen_at: timestamp,
        },
      },
    },
    next_cursor: { type: ['string', 'null'] },
  },
} as const;

export const scanQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    account_id: {
      type: 'string',
      minLength: 1,
      maxLength: 128,
      description: 'Scan this account; absent: every account the token sees.',
    },
  },
} as const;

export const scanResultSchema = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          account_id: { type: 'string' },
          outcome: { type: 'string', enum: ['scanned', 'skipped', 'failed'] },
          calls: { type: 'integer' },
          compared: { type: 'integer' },
          skipped: { type: 'integer' },
          opened: { type: 'integer' },
          still_open: { type: 'integer' },
          resolved: { type: 'integer' },
          corrected: { type: 'integer' },
          unmanaged: { type: 'integer' },
          reason: { type: 'string' },
          error: { type: 'string' },
        },
      },
    },
  },
} as const;

export const policyParamsSchema = {
  type: 'object',
  required: ['target_id'],
  properties: { target_id: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

export const policyBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: {
      type: ['string', 'null'],
      enum: ['report', 'correct', null],
      description:
        '`report` (default) records drift; `correct` also re-applies desired state. null: inherit.',
    },
    ignore_fields: {
      type: 'array',
      maxItems: 200,
      uniqueItems: true,
      items: { type: 'string', maxLength: 200, pattern: IGNORE_PATTERN_SOURCE },
      description:
        'Dotted attribute paths never compared (a path covers everything under it; `*` is one segment).',
    },
    scan_interval_seconds: {
      type: ['integer', 'null'],
      minimum: 60,
      maximum: 86_400,
      description: 'Accounts only: time between scheduled scans (default 300).',
    },
  },
} as const;

export const policySchema = {
  type: 'object',
  properties: {
    target_id: { type: 'string' },
    target_type: { type: 'string', enum: ['account', 'resource'] },
    mode: { type: ['string', 'null'] },
    ignore_fields: { type: 'array', items: { type: 'string' } },
    scan_interval_seconds: { type: ['integer', 'null'] },
    updated_by: { type: 'string' },
    updated_at: timestamp,
  },
} as const;
