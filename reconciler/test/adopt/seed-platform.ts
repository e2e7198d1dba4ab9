// Customers that already live on the platform, made the way a partner and the vendor's staff
// make them (the emulator's partner API; email-address domains with the staff key), never
// through telform: what adoption, import by platform reference and export start from.
import type { RunningEmulator } from '@telform/emulator';

export interface SeedOptions {
  /** Users (each with a seat) per customer account; half of them in the first sub-account. */
  readonly users?: number;
  /** Sub-accounts per customer. */
  readonly subAccounts?: number;
}

/** Platform ids of one seeded customer. */
export interface SeededCustomer {
  readonly account: string;
  readonly subAccounts: readonly string[];
  /** Platform ids of every object by kind, sub-accounts' objects included. */
  readonly objects: Readonly<Record<string, string[]>>;
  /** Users' platform ids with their login, per owning account. */
  readonly users: ReadonlyArray<{ account: string; id: string; login: string }>;
}

type Call = (method: string, path: string, body?: unknown) => Promise<{ id: string }>;

function caller(emu: RunningEmulator, key: string): Call {
  return async (method, path, body) => {
    const res = await fetch(`${emu.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return JSON.parse(text) as { id: string };
  };
}

/**
 * One customer as it would be after years in the vendor's console: an account with settings,
 * sub-accounts, users with seats, domains of all three kinds, a webhook with a password, an SSO
 * connector, a location, a button template and devices bound to them. `tag` keeps names apart.
 */
export async function seedCustomer(
  emu: RunningEmulator,
  tag: string,
  options: SeedOptions = {},
): Promise<SeededCustomer> {
  if (!emu.staffKey) throw new Error('seedCustomer needs an emulator with a staff key');
  const partner = caller(emu, emu.partnerKey);
  const staff = caller(emu, emu.staffKey);
  const users = options.users ?? 4;
  const objects: Record<string, string[]> = {};
  const made = (kind: string, id: string) => (objects[kind] ??= []).push(id);
  const domain = `${tag}.example`;

  const account = (
    await partner('POST', '/v1/accounts', {
      name: `${tag[0]!.toUpperCase()}${tag.slice(1)} Support`,
      email: `admin@${domain}`,
      country: 'FR',
      language: 'fr',
      time_zone: 'Europe/Paris',
    })
  ).id;
  await partner('PUT', `/_emulator/console/accounts/${account}/limits`, { max_seats: 500 });
  const subAccounts: string[] = [];
  for (let i = 1; i <= (options.subAccounts ?? 2); i++) {
    const sub = await partner('POST', `/v1/accounts/${account}/sub_accounts`, {
      name: `${tag} site ${i}`,
      email: `site${i}@${domain}`,
      seat_limit: 200,
    });
    subAccounts.push(sub.id);
    made('sub_account', sub.id);
  }
  const base = (a: string) => `/v1/accounts/${a}`;
  await partner('PUT', `${base(account)}/settings/security_policy`, {
    two_factor_required: true,
    max_login_attempts: 5,
  });
  await partner('PUT', `${base(account)}/settings/telephony_settings`, { extension_length: 4 });
  await partner('PUT', `${base(account)}/settings/data_retention`, {
    recordings: { unlimited: false, days: 365 },
  });
  await partner('PUT', `${base(account)}/settings/sms_settings`, {
    provider_url: `https://sms.${domain}/send`,
    authentication: { enabled: true, login: tag, password: `${tag}-sms-secret` },
  });
  await partner('PUT', `${base(account)}/settings/provisioning`, {
    phone_admin_password: `${tag}-phone-admin`,
    rotation_period_days: 90,
  });
  await partner('PUT', `${base(account)}/settings/customization`, {
    hostname: `support.${domain}`,
    theme: 'dark',
  });
  made(
    'notification_subscription',
    (
      await partner('POST', `${base(account)}/notification_subscriptions`, {
        event: 'low_balance',
        recipient: `billing@${domain}`,
        threshold: 100,
      })
    ).id,
  );
  for (const [kind, name] of [
    ['allowed_user', domain],
    ['chat', `chat.${domain}`],
  ] as const) {
    made('domain', (await partner('POST', `${base(account)}/domains`, { kind, name })).id);
  }
  const mail = await staff('POST', `${base(account)}/domains`, {
    kind: 'email_address',
    name: `mail.${domain}`,
  });
  made('domain', mail.id);
  const hook = await partner('POST', `${base(account)}/webhooks`, {
    enabled: true,
    url: `https://hooks.${domain}/telephony`,
    authentication: { enabled: true, login: 'hooks', password: `${tag}-hook-secret` },
    rights: { users: true, interaction: true },
  });
  made('webhook', hook.id);
  const sso = await partner('POST', `${base(account)}/sso_connectors`, {
    name: `${tag}-idp`,
    sp_entity_id: `https://idp.${domain}/saml/metadata`,
    idp_signature_certificate:
      '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUBase64PlaceholderCertificateBody0=\n-----END CERTIFICATE-----\n',
    idp_login_url: `https://idp.${domain}/saml/login`,
    auto_create_users: true,
  });
  made('sso_connector', sso.id);
  const location = await partner('POST', `${base(account)}/locations`, {
    name: `${tag} head office`,
    e911_address: {
      line1: '10 Rue de la Republique',
      city: 'Lyon',
      postal_code: '69002',
      country: 'FR',
    },
    emergency_notification_recipients: [`security@${domain}`],
  });
  made('location', location.id);
  const template = await partner('POST', `${base(account)}/button_templates`, {
    name: `${tag} reception`,
    keys: [
      { position: 1, type: 'line', value: '1001', label: 'Main' },
      { position: 2, type: 'voicemail' },
    ],
  });
  made('button_template', template.id);
  // The smallest WAV the platform accepts: a RIFF/WAVE header.
  const wav = Buffer.alloc(44);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36, 4);
  wav.write('WAVEfmt ', 8, 'latin1');
  const clip = await partner('POST', `${base(account)}/audio_clips`, {
    name: `${tag} hold music`,
    file_name: 'hold.wav',
    content_base64: wav.toString('base64'),
  });
  made('audio_clip', clip.id);
  // A playlist of it, played during distribution (the account playlist, a settings document).
  const playlist = await partner('POST', `${base(account)}/playlists`, {
    name: `${tag} welcome`,
    clip_ids: [clip.id, clip.id],
  });
  made('playlist', playlist.id);
  await partner('PUT', `${base(account)}/settings/account_playlist`, { playlist_id: playlist.id });
  // A request made in the vendor's console ("request an increase"), still pending.
  const increase = await partner('POST', `${base(account)}/limit_increase_requests`, {
    limit: 'max_webhooks',
    requested: 999_999,
    reason: `${tag} runs a webhook per team`,
  });
  made('limit_increase_request', increase.id);

  const seeded: Array<{ account: string; id: string; login: string }> = [];
  for (let i = 1; i <= users; i++) {
    // Half in the root account, half in the first sub-account (if any).
    const owner = i % 2 === 0 && subAccounts[0] ? subAccounts[0] : account;
    const login = `${tag}-agent-${String(i).padStart(3, '0')}`;
    const user = await partner('POST', `${base(owner)}/users`, {
      name: `Agent ${i} of ${tag}`,
      login,
      email: `${login}@${domain}`,
      password: `${tag}-password-${i}`,
      privileges: { manual_dial: true, transfer: i % 3 === 0 },
      ...(owner === account
        ? { connection_method: { type: 'sip_phone', extension: String(1000 + i) } }
        : {}),
    });
    made('user', user.id);
    seeded.push({ account: owner, id: user.id, login });
    made('seat', (await partner('POST', `${base(owner)}/seats`, { user_id: user.id })).id);
  }
  const firstUser = seeded.find((u) => u.account === account);
  for (let i = 1; i <= 2; i++) {
    const device = await partner('POST', `${base(account)}/devices`, {
      mac_address: macFor(tag, i),
      model: 'yealink-t54w',
      name: `${tag} desk ${i}`,
      location_id: location.id,
      button_template_id: template.id,
      ...(i === 1 && firstUser ? { user_id: firstUser.id } : {}),
    });
    made('device', device.id);
  }
  return { account, subAccounts, objects, users: seeded };
}

// MAC addresses are unique platform-wide: one per tag and number.
function macFor(tag: string, n: number): string {
  let h = 0;
  for (const c of tag) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const bytes = [0x80, 0x5e, (h >> 16) & 0xff, (h >> 8) & 0xff, h & 0xff, n & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
