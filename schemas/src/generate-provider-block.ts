import type { TerraformSchema } from './generate-provider-schema.js';

/** The `provider "telform"` block: where the daemon is and how to authenticate to it. */
export const providerBlock: TerraformSchema = {
  version: 0,
  block: {
    attributes: {
      endpoint: {
        type: 'string',
        description:
          'Base URL of the telform daemon. Defaults to the `TELFORM_ENDPOINT` environment variable, then `http://127.0.0.1:7420`.',
        description_kind: 'markdown',
        optional: true,
      },
      token: {
        type: 'string',
        description:
          'Bearer token for the daemon (`telform token create`). Defaults to the `TELFORM_TOKEN` environment variable.',
        description_kind: 'markdown',
        optional: true,
        sensitive: true,
      },
    },
    description: 'Manages telephony and contact-center account settings through a telform daemon.',
    description_kind: 'markdown',
  },
};
