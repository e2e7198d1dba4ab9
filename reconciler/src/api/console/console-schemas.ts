/** Response schemas of the console's two read routes (console-routes.ts). */

const timestamp = { type: 'string', format: 'date-time' } as const;

const seatsSchema = {
  description: 'Seat usage as the platform reports it, or why it could not be read; null: none.',
  anyOf: [
    {
      type: 'object',
      required: ['purchased', 'assigned', 'remaining', 'capacity', 'usage_percent'],
      properties: {
        purchased: { type: 'integer' },
        assigned: { type: 'integer' },
        remaining: { type: 'integer' },
        seat_limit: { type: ['integer', 'null'] },
        capacity: {
          type: 'integer',
          description: 'Seats this account can use: its seat limit, else the seats purchased.',
        },
        usage_percent: { type: 'number', description: 'assigned / capacity, in percent' },
        warning_threshold_percent: { type: 'number', description: '85, 95 or 97 (by capacity)' },
        warning_active: { type: 'boolean' },
      },
    },
    { type: 'object', required: ['error'], properties: { error: { type: 'string' } } },
    { type: 'null' },
  ],
} as const;

export const accountsPageSchema = {
  type: 'object',
  required: ['items', 'next_cursor'],
  properties: {
    items: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'kind', 'parent_id', 'name', 'on_platform', 'open_drift', 'unmanaged'],
        properties: {
          id: { type: 'string' },
          kind: { type: 'string', enum: ['account', 'sub_account'] },
          parent_id: { type: ['string', 'null'] },
          name: { type: ['string', 'null'] },
          on_platform: { type: 'boolean' },
          open_drift: { type: 'integer' },
          unmanaged: { type: 'integer' },
          last_scan: {
            anyOf: [
              {
                type: 'object',
                properties: {
                  finished_at: { type: ['string', 'null'], format: 'date-time' },
                  outcome: { type: ['string', 'null'] },
                },
              },
              { type: 'null' },
            ],
          },
          seats: seatsSchema,
        },
      },
    },
    next_cursor: { type: ['string', 'null'] },
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
        properties: { at: timestamp, open: { type: 'integer' } },
      },
    },
  },
} as const;
