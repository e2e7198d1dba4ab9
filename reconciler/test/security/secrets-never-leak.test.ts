// A full scenario on a real daemon (API, reconcile workers, bundled emulator, Postgres): every
// secret it uses is then searched for in every response (headers and body), every log line,
// every audit event and the stored desired state. None may be found. The platform-generated
// provisioning token is readable by operators through the resource API, and nowhere else: not
// in the stored observed column, nor in any answer to an auditor, nor in logs, audit or drift.
// The dialer's generated dial-in and SIP credentials (003 "Connection method") are held the same.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningDaemon } from '../../src/daemon.js';
import { startLoggedDaemon, type LoggedDaemon } from '../support/logged-daemon.js';

const secret = (label: string) => `${label}-${randomBytes(9).toString('base64url')}`;
const secrets = {
  key: randomBytes(32).toString('base64'),
  user: secret('UserPass'),
  sms: secret('SmsPass'),
  webhook: secret('HookPass'),
  webhook2: secret('HookPass2'),
  phone: secret('PhoneAdmin'),
  rejected: secret('Rejected'),
};

// The few answer fields these checks read.
interface Json {
  readonly token?: string;
  readonly id?: string;
  readonly ok?: boolean;
  readonly generation?: number;
  readonly status?: {
    readonly applied_generation?: number;
    readonly observed?: { readonly token?: string; readonly provisioning_url?: string } & Readonly<
      Record<string, string | undefined>
    >;
  };
}

let logs: string[] = [];
const responses: string[] = [];
// Answers to the auditor token, and every drift and audit answer whoever asked.
const auditorResponses: string[] = [];
const driftAndAuditResponses: string[] = [];
let auditorToken = '';
let running: LoggedDaemon;
let daemon: RunningDaemon;

async function call(token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(daemon.url + path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const seen = `${method} ${path} ${res.status} ${JSON.stringify([...res.headers])}\n${text}`;
  responses.push(seen);
  if (token === auditorToken) auditorResponses.push(seen);
  if (/^\/v1\/(drift|audit)/.test(path)) driftAndAuditResponses.push(seen);
  return {
    status: res.status,
    body: text ? (JSON.parse(text.split('\n')[0]!) as Json) : {},
    text,
  };
}

beforeAll(async () => {
  running = await startLoggedDaemon({ env: { TELFORM_SECRET_KEY: secrets.key } });
  daemon = running.daemon;
  logs = running.logs;
}, 120_000);
afterAll(async () => {
  await running?.dispose();
});

describe('secrets never leak', () => {
  it('appear in no response, log line, audit event or stored spec of a full scenario', async () => {
    const admin = daemon.adminToken!;
    const created = await call(admin, 'POST', '/v1/tokens', { name: 'ci', role: 'operator' });
    expect(created.status).toBe(201);
    const operator = String(created.body.token);
    const auditor = await call(admin, 'POST', '/v1/tokens', { name: 'audit', role: 'auditor' });
    expect(auditor.status).toBe(201);
    auditorToken = String(auditor.body.token);
    const account = await call(operator, 'POST', '/v1/resources/account', {
      name: 'Acme',
      email: 'admin@acme.example',
    });
    expect(account.status).toBe(201);
    const accountId = String(account.body.id);
    const bodies: [string, Record<string, unknown>][] = [
      [
        'user',
        {
          account_id: accountId,
          name: 'Alice',
          login: 'alice',
          email: 'alice@acme.example',
          password: secrets.user,
          connection_method: { type: 'sip_phone', extension: '1001' },
        },
      ],
      [
        'user',
        {
          account_id: accountId,
          name: 'Dave',
          login: 'dave',
          email: 'dave@acme.example',
          connection_method: { type: 'dial_in', extension: '1002' },
        },
      ],
      [
        'sms_settings',
        {
          account_id: accountId,
          provider_url: 'https://sms.example/send',
          authentication: { enabled: true, login: 'acme', password: secrets.sms },
        },
      ],
      [
        'webhook',
        {
          account_id: accountId,
          url: 'https://hooks.example/t',
          enabled: true,
          authentication: { enabled: true, login: 'tf', password: secrets.webhook },
        },
      ],
      [
        'provisioning',
        { account_id: accountId, phone_admin_password: secrets.phone, rotate_trigger: '1' },
      ],
    ];
    const ids: Record<string, string> = {};
    const made: [string, string][] = [];
    for (const [kind, body] of bodies) {
      const res = await call(operator, 'POST', `/v1/resources/${kind}`, body);
      expect(res.status, res.text).toBe(201);
      ids[kind] = String(res.body.id);
      made.push([kind, String(res.body.id)]);
    }
    const applied: Record<string, Json> = {};
    for (const [kind, id] of made) {
      const res = await call(
        operator,
        'GET',
        `/v1/resources/${kind}/${id}?wait=applied&timeout_ms=30000`,
      );
      expect(res.status).toBe(200);
      expect(res.body.status?.applied_generation, `${kind}: ${res.text}`).toBe(res.body.generation);
      applied[id] = res.body;
    }
    const [alice, dave] = made.filter(([kind]) => kind === 'user').map(([, id]) => applied[id]!);
    // Rotate a secret, send one in a body that is refused, read everything back.
    const webhook = bodies.find(([kind]) => kind === 'webhook')![1];
    const put = await call(operator, 'PUT', `/v1/resources/webhook/${ids.webhook}`, {
      ...webhook,
      authentication: { enabled: true, login: 'tf', password: secrets.webhook2 },
    });
    expect(put.status).toBe(200);
    const refused = await call(operator, 'POST', '/v1/resources/user', {
      account_id: accountId,
      name: 'Bob',
      login: 'B O B',
      email: 'nope',
      password: secrets.rejected,
    });
    expect(refused.status).toBe(422);
    await call(
      operator,
      'GET',
      `/v1/resources/webhook/${ids.webhook}?wait=applied&timeout_ms=30000`,
    );
    await call(operator, 'GET', `/v1/resources?account_id=${accountId}`);
    await call(admin, 'GET', '/v1/audit?limit=1000');
    await call(admin, 'GET', '/v1/audit?format=ndjson');
    await call(admin, 'GET', '/v1/tokens');
    await call(admin, 'GET', '/v1/drift');
    expect((await call(admin, 'POST', `/v1/drift/scan?account_id=${accountId}`)).status).toBe(200);
    await call(admin, 'GET', '/v1/drift');
    expect((await call(admin, 'GET', '/v1/audit/verify')).body.ok).toBe(true);

    // An operator reads the token (the provider keeps it as a sensitive computed attribute).
    const prov = await call(operator, 'GET', `/v1/resources/provisioning/${ids.provisioning}`);
    const token = prov.body.status?.observed?.token;
    const provisioningUrl = prov.body.status?.observed?.provisioning_url;
    expect(token, prov.text).toMatch(/.{8,}/);
    expect(provisioningUrl).toContain(token);
    // The auditor reads status, drift and audit; the token is in none of it.
    const status = await call(
      auditorToken,
      'GET',
      `/v1/resources/provisioning/${ids.provisioning}/status`,
    );
    expect(status.status, status.text).toBe(200);
    expect(status.body.status?.observed).not.toHaveProperty('token');
    expect(
      (await call(auditorToken, 'GET', `/v1/resources/provisioning/${ids.provisioning}`)).status,
    ).toBe(403);
    await call(auditorToken, 'GET', `/v1/drift?account_id=${accountId}`);
    await call(auditorToken, 'GET', '/v1/audit?limit=1000');

    const db = daemon.database.db;
    const { rows: events } = await sql<Record<string, unknown>>`select * from audit_events`.execute(
      db,
    );
    const { rows: stored } = await sql<
      Record<string, unknown>
    >`select spec, observed, last_error, conditions from resources`.execute(db);
    // The operator reads the connection credentials the platform generated, as the provider does.
    const sip = alice!.status?.observed ?? {};
    const dialIn = dave!.status?.observed ?? {};
    expect(sip.sip_password).toMatch(/.{16,}/);
    expect(sip.sip_username).toMatch(/^sip\d+$/);
    expect(dialIn.dial_in_id).toMatch(/^\d{8}$/);
    expect(dialIn.dial_in_pin).toMatch(/^\d{6}$/);
    const userStatus = await call(auditorToken, 'GET', `/v1/resources/user/${dave!.id}/status`);
    expect(userStatus.status, userStatus.text).toBe(200);
    expect(userStatus.body.status?.observed).not.toHaveProperty('dial_in_pin');
    const generated = {
      token: String(token),
      provisioning_url: String(provisioningUrl),
      sip_password: String(sip.sip_password),
      sip_username: String(sip.sip_username),
      // Digits alone would match inside hashes and times: look for them as JSON strings.
      dial_in_id: `"${String(dialIn.dial_in_id)}"`,
      dial_in_pin: `"${String(dialIn.dial_in_pin)}"`,
    };
    const generatedHaystacks = {
      logs: logs.join(''),
      audit: JSON.stringify(events),
      'stored observed column': JSON.stringify(stored.map((r) => r.observed)),
      'stored specs': JSON.stringify(stored.map((r) => [r.spec, r.last_error, r.conditions])),
      'auditor responses': auditorResponses.join('\n'),
      'drift and audit responses': driftAndAuditResponses.join('\n'),
    };
    const haystacks = {
      responses: responses.join('\n'),
      logs: logs.join(''),
      audit: JSON.stringify(events),
      'stored specs': JSON.stringify(stored.map((r) => [r.spec, r.last_error, r.conditions])),
    };
    // The scenario did what it claims: events and log lines exist, and operator calls were audited.
    expect(events.length).toBeGreaterThan(15);
    expect(auditorResponses.length).toBe(5);
    expect(logs.length).toBeGreaterThan(20);
    expect(haystacks.audit).toContain('"actor":"ci"');
    const found: string[] = [];
    const tokens = { admin, operator };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const [name, value] of Object.entries({ ...secrets, ...tokens })) {
        // The token is shown once, in the answer that created it.
        if (where === 'responses' && name === 'operator') {
          if (text.split(value).length - 1 !== 1) found.push(`${name} in ${where} more than once`);
          continue;
        }
        if (text.includes(value)) found.push(`${name} in ${where}`);
      }
    }
    for (const [where, text] of Object.entries(generatedHaystacks)) {
      for (const [name, value] of Object.entries(generated)) {
        if (text.includes(value)) found.push(`generated ${name} in ${where}`);
      }
    }
    expect(found).toEqual([]);
  }, 180_000);
});
