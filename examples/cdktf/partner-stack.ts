import { LocalBackend, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { provider } from '../../schemas/generated/cdktf/index.js';
import { CustomerAccount, type CustomerSettings } from './customer-account.js';

type Customer = Omit<CustomerSettings, 'webhookPassword' | 'webhookPasswordVersion'>;

/** The two customers this partner runs; a real partner would read them from a file. */
export const customers: Readonly<Record<string, Customer>> = {
  acme: {
    name: 'Acme Support',
    emailDomain: 'acme.example',
    country: 'FR',
    language: 'fr',
    timeZone: 'Europe/Paris',
    regionCode: '+33',
    branch: { name: 'Acme Support - Lyon', seatLimit: 25 },
    agents: [
      {
        login: 'alice',
        name: 'Alice Martin',
        extension: '1001',
        outgoing: 'enabled',
        supervisor: true,
      },
      { login: 'bruno', name: 'Bruno Petit', extension: '1002', outgoing: 'per_client' },
    ],
    office: {
      name: 'Lyon office',
      line1: '10 Rue de la Republique',
      city: 'Lyon',
      postalCode: '69002',
    },
    emergencyRecipients: ['security@acme.example'],
    idpHost: 'idp.acme.example',
    deskPhoneMac: '80:5e:c0:12:34:56',
  },
  globex: {
    name: 'Globex Contact Center',
    emailDomain: 'globex.example',
    country: 'GB',
    language: 'en',
    timeZone: 'Europe/London',
    regionCode: '+44',
    branch: { name: 'Globex - Leeds', seatLimit: 10 },
    agents: [{ login: 'carol', name: 'Carol Hughes', extension: '2001', outgoing: 'disabled' }],
    office: { name: 'Leeds office', line1: '1 Park Row', city: 'Leeds', postalCode: 'LS1 5AB' },
    emergencyRecipients: ['facilities@globex.example'],
    idpHost: 'login.globex.example',
    deskPhoneMac: '80:5e:c0:ab:cd:ef',
  },
};

/**
 * A partner's stack: one provider configuration for every customer (each resource names its
 * `account_id`), endpoint and token from TELFORM_ENDPOINT / TELFORM_TOKEN.
 */
export class PartnerStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // cdktf's default local backend writes this machine's absolute path into cdk.tf.json; a
    // relative one keeps the state beside the stack wherever it is synthesized or applied.
    new LocalBackend(this, { path: 'terraform.tfstate' });
    new provider.TelformProvider(this, 'telform', {});
    const passwordVersion = new TerraformVariable(this, 'webhook_password_version', {
      type: 'number',
      default: 1,
      description: 'Bump after changing a webhook password, so that Terraform sends it again.',
    });
    for (const [name, customer] of Object.entries(customers)) {
      const password = new TerraformVariable(this, `${name}_webhook_password`, {
        type: 'string',
        sensitive: true,
        description: `Password ${customer.name}'s webhook endpoint expects.`,
      });
      new CustomerAccount(this, name, {
        ...customer,
        webhookPassword: password.stringValue,
        webhookPasswordVersion: passwordVersion.numberValue,
      });
    }
  }
}
