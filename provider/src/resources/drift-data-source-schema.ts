/**
 * `telform_drift`: the drift records of an account (GET /v1/drift). Drift is not a resource
 * kind, so its schema is written here rather than generated from the catalog.
 */
import type { JsonSchema, JsonSchemaAttribute } from '../protocol/cty-type.js';

const computed = (type: 'string' | 'number', description: string): JsonSchemaAttribute => ({
  type,
  description,
  description_kind: 'markdown',
  computed: true,
});

export const driftDataSourceSchema: JsonSchema = {
  version: 0,
  block: {
    description:
      'Differences the daemon found between the desired settings of an account and what the platform holds.',
    description_kind: 'markdown',
    attributes: {
      account_id: {
        type: 'string',
        description: 'The account (or sub-account) whose drift to read.',
        description_kind: 'markdown',
        required: true,
      },
      drifted_resources: computed('number', 'Number of resources with open drift.'),
      records: {
        description: 'One record per differing field.',
        description_kind: 'markdown',
        computed: true,
        nested_type: {
          nesting_mode: 'list',
          attributes: {
            resource_id: computed('string', 'telform id of the resource.'),
            kind: computed('string', 'Kind of the resource.'),
            field: computed('string', 'Dotted path of the differing attribute.'),
            desired: computed('string', 'Desired value, as JSON (secrets are never shown).'),
            actual: computed('string', 'Value on the platform, as JSON.'),
            first_seen_at: computed('string', 'When the difference was first seen.'),
            last_seen_at: computed('string', 'When the difference was last seen.'),
            action: computed('string', 'What was done: reported, corrected or ignored.'),
            platform_actor: computed(
              'string',
              'Who made the change on the platform (its activity log: `console:<user>`, `partner`, ...); null when the log named nobody.',
            ),
            platform_changed_at: computed(
              'string',
              'When that change was made; null with the actor.',
            ),
          },
        },
      },
    },
  },
};
