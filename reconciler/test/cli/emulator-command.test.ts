import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { RunningEmulator } from '@telform/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerEmulatorCommand } from '../../src/cli/emulator-command.js';
import { parseEmulatorFlags } from '../../src/cli/parse-emulator-flags.js';
import type { EmulatorFlags } from '../../src/cli/parse-emulator-flags.js';
import {
  selfSignedCert,
  webhookReceiver,
} from '../../../emulator/test/support/webhook-receiver.js';

const STAFF_KEY = 'staff_0123456789abcdefWXYZ';

let dir: string;
let tls: { key: string; cert: string };
let files: { ca: string; notPem: string; brokenPem: string; missing: string };
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'telform-emulator-cli-'));
  // A self-signed certificate for 127.0.0.1: the https webhook receiver's and the CA bundle.
  tls = selfSignedCert();
  writeFileSync(join(dir, 'ca.pem'), tls.cert);
  files = {
    ca: join(dir, 'ca.pem'),
    notPem: join(dir, 'not.pem'),
    brokenPem: join(dir, 'broken.pem'),
    missing: join(dir, 'missing.pem'),
  };
  writeFileSync(files.notPem, 'just some text\n');
  writeFileSync(
    files.brokenPem,
    `${tls.cert}-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base: EmulatorFlags = { listen: '127.0.0.1:7421' };

describe('parseEmulatorFlags', () => {
  it.each([
    {
      why: 'no flags keep the emulator defaults (rate limit, generated partner key, no staff)',
      flags: {},
      env: {},
      want: { host: '127.0.0.1', port: 7421 },
    },
    {
      why: 'a rate limit of n lets n requests through in any second',
      flags: { rateLimit: '5' },
      env: {},
      want: { rateLimit: { requests_per_second: 5, burst: 5 } },
    },
    {
      why: '"off" removes the limit, for load tests against the emulator',
      flags: { rateLimit: 'OFF' },
      env: {},
      want: { rateLimit: null },
    },
    {
      why: 'the staff key comes from the flag',
      flags: { staffKey: STAFF_KEY },
      env: {},
      want: { staffKey: STAFF_KEY },
    },
    {
      why: 'or from the environment, which keeps it out of `ps`',
      flags: {},
      env: { TELFORM_EMULATOR_STAFF_KEY: STAFF_KEY, TELFORM_PLATFORM_KEY: 'partner-env' },
      want: { staffKey: STAFF_KEY, partnerKey: 'partner-env' },
    },
    {
      why: 'an empty environment variable counts as unset',
      flags: {},
      env: { TELFORM_EMULATOR_STAFF_KEY: '', TELFORM_PLATFORM_KEY: '' },
      want: { host: '127.0.0.1' },
    },
  ])('$why', ({ flags, env, want }) => {
    const got = parseEmulatorFlags({ ...base, ...flags }, env);
    expect(got).toMatchObject(want);
    if (!('staffKey' in want)) expect(got).not.toHaveProperty('staffKey');
    if (!('rateLimit' in want)) expect(got).not.toHaveProperty('rateLimit');
  });

  it('reads the webhook CA bundle from the file, so the emulator gets PEM text', () => {
    expect(parseEmulatorFlags({ ...base, webhookCa: files.ca }).webhookCa).toContain(
      '-----BEGIN CERTIFICATE-----',
    );
  });

  it.each([
    {
      why: 'zero would refuse everything',
      flags: { rateLimit: '0' },
      err: /^--rate-limit: .*1 to/,
    },
    { why: 'negative', flags: { rateLimit: '-3' }, err: /^--rate-limit: .*whole number/ },
    { why: 'fractions are not whole', flags: { rateLimit: '2.5' }, err: /^--rate-limit: .*"2\.5"/ },
    { why: 'a word other than off', flags: { rateLimit: 'fast' }, err: /^--rate-limit: .*"off"/ },
    { why: 'above the ceiling', flags: { rateLimit: '1000001' }, err: /^--rate-limit: .*1000000/ },
    {
      why: 'a staff key with a space cannot be a bearer token',
      flags: { staffKey: 'two words' },
      err: /^--staff-key \/ TELFORM_EMULATOR_STAFF_KEY: must be non-empty printable/,
    },
    {
      why: 'an empty staff flag is a mistake, not "no staff"',
      flags: { staffKey: '' },
      err: /^--staff-key .*non-empty/,
    },
    {
      why: 'a staff key equal to the partner key would act as the partner',
      flags: { staffKey: STAFF_KEY, partnerKey: STAFF_KEY },
      err: /^--staff-key: must differ from the partner key$/,
    },
    {
      why: 'a missing CA file fails at start, not at the first delivery',
      flags: { webhookCa: 'MISSING' },
      err: /^--webhook-ca: cannot read ".*missing\.pem" \(ENOENT\)$/,
    },
    {
      why: 'a file without any certificate',
      flags: { webhookCa: 'NOT_PEM' },
      err: /^--webhook-ca: ".*not\.pem" holds no PEM certificate/,
    },
    {
      why: 'a bundle with one broken certificate names which',
      flags: { webhookCa: 'BROKEN_PEM' },
      err: /^--webhook-ca: certificate 2 in ".*broken\.pem" is not a valid X\.509 PEM$/,
    },
    {
      why: 'the listen address is still checked',
      flags: { listen: 'localhost' },
      err: /^--listen: expected host:port/,
    },
  ])('refuses $why', ({ flags, err }) => {
    const path = { MISSING: files.missing, NOT_PEM: files.notPem, BROKEN_PEM: files.brokenPem };
    const resolved = {
      ...flags,
      ...(flags.webhookCa ? { webhookCa: path[flags.webhookCa as keyof typeof path] } : {}),
    };
    let message = '';
    try {
      parseEmulatorFlags({ ...base, ...resolved });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(err);
    // Errors end up on the terminal and in CI logs: never the key itself.
    expect(message).not.toContain(STAFF_KEY);
  });
});

/** Runs `telform emulator <args>` in-process; returns what it printed and the emulator. */
async function runEmulatorCommand(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<{ out: string; err: string; emulator: RunningEmulator }> {
  let out = '';
  let err = '';
  let emulator: RunningEmulator | undefined;
  const program = new Command().exitOverride();
  registerEmulatorCommand(program, {
    env,
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    started: (e) => void (emulator = e),
  });
  await program.parseAsync(['emulator', '--listen', '127.0.0.1:0', ...args], { from: 'user' });
  if (!emulator) throw new Error('the command did not start an emulator');
  return { out, err, emulator };
}

async function call(
  emulator: RunningEmulator,
  method: string,
  path: string,
  key: string,
  body?: unknown,
) {
  const res = await fetch(`${emulator.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read loosely shaped JSON
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('telform emulator', () => {
  it('--rate-limit 3 answers 429 once an account has used its 3 requests', async () => {
    const { out, emulator } = await runEmulatorCommand(['--rate-limit', '3']);
    try {
      expect(out).toContain('rate limit: 3 requests/s per account (burst 3)');
      const statuses: number[] = [];
      let refused: Awaited<ReturnType<typeof call>> | undefined;
      // The bucket refills 3 tokens a second: two extra requests allow for a slow machine.
      for (let i = 0; i < 5 && !refused; i++) {
        const r = await call(emulator, 'GET', '/v1/accounts', emulator.partnerKey);
        statuses.push(r.status);
        if (r.status === 429) refused = r;
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(refused?.body.error).toMatchObject({
        code: 'rate_limited',
        message: expect.stringContaining('rate limit of 3 requests per second'),
      });
    } finally {
      await emulator.close();
    }
  });

  it('--staff-key and --webhook-ca reach the emulator; the key is never printed in full', async () => {
    const rx = await webhookReceiver(tls);
    const { out, emulator } = await runEmulatorCommand(
      ['--rate-limit', 'off', '--webhook-ca', files.ca],
      { TELFORM_EMULATOR_STAFF_KEY: STAFF_KEY },
    );
    try {
      expect(out).not.toContain(STAFF_KEY);
      expect(out).toContain('staff key: set (…WXYZ)');
      expect(out).toContain('rate limit: off');
      const account = await call(emulator, 'POST', '/v1/accounts', emulator.partnerKey, {
        name: 'Acme',
        email: 'admin@acme.example',
      });
      expect(account.status).toBe(201);
      const id = account.body.id as string;
      // Only vendor staff may add an email-address domain.
      const domain = { kind: 'email_address', name: 'mail.acme.example' };
      expect(
        (await call(emulator, 'POST', `/v1/accounts/${id}/domains`, STAFF_KEY, domain)).status,
      ).toBe(201);
      // The receiver's certificate is trusted only through --webhook-ca.
      const hook = await call(emulator, 'POST', `/v1/accounts/${id}/webhooks`, STAFF_KEY, {
        url: rx.url,
        rights: { users: true },
      });
      expect(hook.status).toBe(201);
      const user = { name: 'wanda', login: 'wanda', email: 'wanda@acme.example' };
      expect(
        (await call(emulator, 'POST', `/v1/accounts/${id}/users`, emulator.partnerKey, user))
          .status,
      ).toBe(201);
      await emulator.webhooksIdle();
      expect(rx.received).toHaveLength(1);
      const history = await call(
        emulator,
        'GET',
        `/v1/accounts/${id}/webhook_history`,
        emulator.partnerKey,
      );
      expect(history.body.entries).toEqual([expect.objectContaining({ http_status: 200 })]);
    } finally {
      await emulator.close();
      await rx.close();
    }
  });

  // stdout is what log collectors keep: the partner key must reach the operator some other way.
  const keyCases = [
    {
      why: 'a generated key kept in memory is shown on stderr only (the terminal)',
      args: [] as string[],
      env: {},
      wantFile: false,
      keyOnStderr: true,
    },
    {
      why: 'with --data-dir a generated key goes to a 0600 file that stderr names',
      args: ['--data-dir', 'DATA'],
      env: {},
      wantFile: true,
      keyOnStderr: false,
    },
    {
      why: 'a key the operator gave is not repeated anywhere',
      args: [] as string[],
      env: { TELFORM_PLATFORM_KEY: 'partner_given_0123456789abcdef' },
      wantFile: false,
      keyOnStderr: false,
    },
  ];
  it.each(keyCases)('partner key: $why', async ({ args, env, wantFile, keyOnStderr }) => {
    const data = mkdtempSync(join(dir, 'data-'));
    const { out, err, emulator } = await runEmulatorCommand(
      args.map((a) => (a === 'DATA' ? data : a)),
      env,
    );
    try {
      const key = emulator.partnerKey;
      expect(out).not.toContain(key);
      expect(out).toContain(`export TELFORM_PLATFORM_URL=${emulator.url}`);
      expect(err.includes(key)).toBe(keyOnStderr);
      const file = join(data, 'partner.key');
      if (wantFile) {
        expect(err).toContain(`export TELFORM_PLATFORM_KEY="$(cat '${file}')"`);
        expect(readFileSync(file, 'utf8').trim()).toBe(key);
        expect(statSync(file).mode & 0o777).toBe(0o600);
      } else {
        expect(() => statSync(file)).toThrow();
      }
      expect((await call(emulator, 'GET', '/v1/accounts', key)).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});
