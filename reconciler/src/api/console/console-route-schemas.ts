// Answer shapes of the console's two read routes (console-routes.ts), for validation-free
// serialization and /openapi.json. Nested objects keep every field (additionalProperties).

const nullableString = { type: ['string', 'null'] } as const;

export const accountsPageSchema = {
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          id: { type: 'string' },
          kind: { type: 'string', enum: ['account', 'sub_account'] },
          parent_id: { ...nullableString, description: 'The parent account of a sub-account.' },
          name: { ...nullableString, description: 'The name the platform holds.' },
          on_platform: { type: 'boolean' },
          open_drift: { type: 'integer', description: 'Open drift records.' },
          unmanaged: { type: 'integer', description: 'Platform objects telform does not manage.' },
          last_scan: {
            type: ['object', 'null'],
            additionalProperties: true,
            properties: { finished_at: nullableString, outcome: nullableString },
          },
          seats: {
            type: ['object', 'null'],
            additionalProperties: true,
            description:
              'Seat usage as the platform reports it (purchased, assigned, remaining, seat_limit, usage_percent, warning_threshold_percent, warning_active), `{error}` when it could not be read, null before the account is on the platform.',
          },
        },
      },
    },
    next_cursor: { ...nullableString, description: 'Pass as `cursor` for the next page.' },
  },
} as const;

export const driftHistorySchema = {
  type: 'object',
  required: ['points'],
  properties: {
    points: {
      type: 'array',
      items: {
        type: 'object',
        required: ['at', 'open'],
        properties: {
          at: { type: 'string', format: 'date-time', description: 'End of the UTC day.' },
          open: { type: 'integer', description: 'Drift records open at that instant.' },
        },
      },
    },
  },
} as const;
