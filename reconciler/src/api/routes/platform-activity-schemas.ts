// JSON Schemas of `GET /v1/accounts/{id}/platform-activity` (see routes/platform-activity.ts).

const prefix = (what: string) =>
  ({
    type: 'string',
    minLength: 1,
    maxLength: 200,
    description: `Prefix of the ${what}.`,
  }) as const;

export const platformActivityQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    from: { type: 'string', format: 'date-time', description: 'Entries at or after this time.' },
    to: { type: 'string', format: 'date-time', description: 'Entries at or before this time.' },
    event: {
      type: 'string',
      pattern: '^[A-Za-z0-9_]+\\.[A-Za-z0-9_]+(,[A-Za-z0-9_]+\\.[A-Za-z0-9_]+)*$',
      maxLength: 2000,
      description: 'Comma-separated event names (`user.login,2fa.disable`).',
    },
    type: { type: 'string', enum: ['read', 'write'], description: 'Reads or writes only.' },
    resource: prefix('platform resource (`user/`, `user/u-12`)'),
    actor: prefix('actor (`console`, `partner`)'),
    outcome: { type: 'string', enum: ['success', 'failure', 'denied'] },
    ip: {
      type: 'string',
      pattern: '^[0-9A-Fa-f:.]{1,45}$',
      description: 'A full or partial IP address.',
    },
    cursor: {
      type: 'string',
      pattern: '^[A-Za-z0-9_.:-]{1,200}$',
      description: '`next_cursor` of the previous page (older entries).',
    },
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
  },
} as const;

export const platformActivityPageSchema = {
  type: 'object',
  required: ['account_id', 'entries', 'next_cursor'],
  properties: {
    account_id: { type: 'string', description: 'The telform id of the account.' },
    entries: {
      type: 'array',
      description: "The platform's activity log, newest first.",
      items: {
        type: 'object',
        required: ['id', 'at', 'event', 'type', 'resource', 'actor', 'outcome', 'ip'],
        properties: {
          id: { type: 'string', description: "The platform's entry number." },
          at: { type: 'string', format: 'date-time' },
          event: { type: 'string', description: '`<kind>.<verb>`, such as `user.update`.' },
          type: { type: 'string', enum: ['read', 'write'] },
          resource: { type: 'string', description: 'What the platform calls the resource.' },
          resource_id: {
            type: ['string', 'null'],
            description: 'The telform resource that manages it, when one does.',
          },
          actor: { type: 'string', description: '`console:<user>`, `partner`, ...' },
          outcome: { type: 'string', enum: ['success', 'failure', 'denied'] },
          ip: { type: ['string', 'null'] },
          status: { type: ['integer', 'null'], description: 'HTTP status the platform answered.' },
        },
      },
    },
    next_cursor: { type: ['string', 'null'], description: 'Pass as `cursor` for older entries.' },
  },
} as const;
