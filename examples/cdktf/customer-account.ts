import { Construct } from 'constructs';
import {
  account,
  buttonTemplate,
  device,
  location,
  seat,
  ssoConnector,
  subAccount,
  user,
  webhook,
} from '../../schemas/generated/cdktf/index.js';

/** One agent of a customer: who they are and how their calls are set up. */
export interface AgentSettings {
  readonly login: string;
  readonly name: string;
  readonly extension: string;
  readonly outgoing: 'enabled' | 'disabled' | 'per_client';
  readonly supervisor?: boolean;
}

/** What a partner knows about one customer; everything else follows from it. */
export interface CustomerSettings {
  readonly name: string;
  readonly emailDomain: string;
  readonly country: string;
  readonly language: string;
  readonly timeZone: string;
  readonly regionCode: string;
  /** The sub-account (a branch) that the agents work in, with its seat limit. */
  readonly branch: { readonly name: string; readonly seatLimit: number };
  readonly agents: readonly AgentSettings[];
  readonly office: {
    readonly name: string;
    readonly line1: string;
    readonly city: string;
    readonly postalCode: string;
  };
  readonly emergencyRecipients: readonly string[];
  readonly idpHost: string;
  readonly deskPhoneMac: string;
  /** A sensitive Terraform variable expression; never a literal in code. */
  readonly webhookPassword: string;
  /** Bump after changing the password: write-only values never show in a plan, this does. */
  readonly webhookPasswordVersion: number;
}

/**
 * Everything one customer account needs: the account, a branch sub-account with a seat limit,
 * agents with call settings and seats, a webhook with module rights, an SSO connector, an office
 * location with E911 recipients, and a desk phone on a button template.
 */
export class CustomerAccount extends Construct {
  readonly account: account.Account;
  readonly branch: subAccount.SubAccount;
  readonly agents: readonly user.User[];

  constructor(scope: Construct, id: string, customer: CustomerSettings) {
    super(scope, id);
    const domain = customer.emailDomain;
    this.account = new account.Account(this, 'account', {
      name: customer.name,
      email: `admin@${domain}`,
      country: customer.country,
      language: customer.language,
      timeZone: customer.timeZone,
      supervisionEnabled: true,
      nationalTrunk: { enabled: true, regionCode: customer.regionCode },
      emergencyNotificationRecipients: [...customer.emergencyRecipients],
    });
    this.branch = new subAccount.SubAccount(this, 'branch', {
      accountId: this.account.id,
      name: customer.branch.name,
      seatLimit: customer.branch.seatLimit,
      timeZone: customer.timeZone,
    });
    this.agents = customer.agents.map((agent) => {
      const agentUser = new user.User(this, `user-${agent.login}`, {
        accountId: this.branch.id,
        name: agent.name,
        login: agent.login,
        email: `${agent.login}@${domain}`,
        role: agent.supervisor ? 'supervisor' : 'agent',
        privileges: { manual_dial: true, transfer: true, monitor: agent.supervisor ?? false },
        connectionMethod: { type: 'sip_phone', extension: agent.extension },
        incomingCalls: { mode: 'enabled', userCanConfigure: false },
        outgoingCalls:
          agent.outgoing === 'enabled'
            ? { mode: 'enabled', callMethod: 'webphone', userCanConfigure: true }
            : { mode: agent.outgoing },
      });
      new seat.Seat(this, `seat-${agent.login}`, {
        accountId: this.branch.id,
        userId: agentUser.id,
      });
      return agentUser;
    });
    new webhook.Webhook(this, 'webhook', {
      accountId: this.account.id,
      url: `https://hooks.${domain}/telform`,
      authentication: {
        enabled: true,
        login: 'telform',
        password: customer.webhookPassword,
        passwordWoVersion: customer.webhookPasswordVersion,
      },
      rights: { users: true, interaction: true, voice_campaign: true, exports: false },
    });
    new ssoConnector.SsoConnector(this, 'sso', {
      accountId: this.account.id,
      name: 'corporate-idp',
      spEntityId: `https://${customer.idpHost}/saml/metadata`,
      idpSignatureCertificate: idpCertificate,
      idpLoginUrl: `https://${customer.idpHost}/saml/login`,
      idpLogoutUrl: `https://${customer.idpHost}/saml/logout`,
      autoCreateUsers: true,
    });
    const office = new location.Location(this, 'office', {
      accountId: this.branch.id,
      name: customer.office.name,
      e911Address: {
        line1: customer.office.line1,
        city: customer.office.city,
        postalCode: customer.office.postalCode,
        country: customer.country,
      },
      emergencyNotificationRecipients: [`security@${domain}`],
    });
    const template = new buttonTemplate.ButtonTemplate(this, 'reception-keys', {
      accountId: this.branch.id,
      name: 'Reception',
      keys: [
        { position: 1, type: 'line', value: customer.agents[0]?.extension ?? '100', label: 'Main' },
        { position: 2, type: 'park', value: '701' },
        { position: 3, type: 'voicemail' },
      ],
    });
    new device.Device(this, 'reception-phone', {
      accountId: this.branch.id,
      macAddress: customer.deskPhoneMac,
      model: 'yealink-t54w',
      name: 'Reception desk',
      locationId: office.id,
      buttonTemplateId: template.id,
      userId: this.agents[0]?.id,
    });
  }
}

// A public test certificate shape; a real deployment reads the IdP's certificate from a file.
const idpCertificate = [
  '-----BEGIN CERTIFICATE-----',
  'MIIBszCCAVmgAwIBAgIUBase64PlaceholderCertificateBody0=',
  '-----END CERTIFICATE-----',
  '',
].join('\n');
