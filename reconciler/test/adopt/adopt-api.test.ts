// POST /v1/adopt on a real daemon (Postgres, the bundled emulator over HTTP): customers made on
// the platform only are taken over as they are, once, and auditors may not do it.
import { Command } from 'commander';
import { managedKinds } from '@telform/schemas';
import { registerAdoptCommand } from '../../src/cli/commands/adopt.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoggedDaemon, type LoggedDaemon } from '../support/logged-daemon.js';
import { seedCustomer, type SeededCustomer } from './seed-platform.js';

interface Entry {
  id: string;
  kind: string;
  external_id: string;
  platform_ref: string;
  unmanaged_secrets: string[];
}
interface Adopted {
  resource: {
    id: string;
    kind: string;
    account_id: string | null;
    generation: number;
    spec: Record<string, unknown>;
    secrets_set: string[];
    status: {
      applied_generation: number;
      external_id: string;
      conditions: { type: string; status: string; reason: string }[];
    };
  };
  adopted: Entry[];
  platform_calls: number;
}

describe('POST /v1/adopt', () => {
  let t: LoggedDaemon;
  let acme: SeededCustomer;
  let globex: SeededCustomer;
  let auditorToken: string;

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${t.daemon.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token ?? t.daemon.adminToken!}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const adopt = async (body: Record<string, unknown>, status = 200) => {
    const res = await call('POST', '/v1/adopt', body);
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body as unknown as Adopted;
  };

  beforeAll(async () => {
    t = await startLoggedDaemon({
      emulator: {
        host: '127.0.0.1',
        port: 0,
        dataDir: false,
        staffKey: 'staff_adopt-test-key-0123456789',
      },
    });
    acme = await seedCustomer(t.daemon.emulator!, 'acme', { users: 4 });
    globex = await seedCustomer(t.daemon.emulator!, 'globex', { users: 4 });
    const minted = await call('POST', '/v1/tokens', { name: 'audit', role: 'auditor' });
    auditorToken = minted.body.token as string;
  }, 120_000);
  afterAll(async () => t?.dispose());

  it('adopts one user with its account; the spec is what the platform holds, no secret', async () => {
    const user = acme.users.find((u) => u.account === acme.account)!;
    const out = await adopt({ kind: 'user', platform_ref: `platform:${acme.account}/${user.id}` });
    expect(out.adopted.map((e) => e.kind)).toEqual(['account', 'user']);
    expect(out.resource.kind).toBe('user');
    expect(out.resource.spec).toMatchObject({
      login: user.login,
      email: `${user.login}@acme.example`,
    });
    expect(out.resource.spec).not.toHaveProperty('password');
    expect(out.resource.secrets_set).toEqual([]);
    expect(out.adopted[1]!.unmanaged_secrets).toEqual(['password']);
    expect(out.resource.status).toMatchObject({ applied_generation: 1, external_id: user.id });
    expect(out.resource.status.conditions.find((c) => c.type === 'Synced')).toMatchObject({
      status: 'True',
      reason: 'Adopted',
    });
    expect(out.resource.account_id).toBe(out.adopted[0]!.id);
    expect(out.adopted[1]!.platform_ref).toBe(`platform:${acme.account}/${user.id}`);
    // A second import of the same object finds it: never adopted twice.
    const again = await adopt({
      kind: 'user',
      platform_ref: `platform:${acme.account}/${user.id}`,
    });
    expect(again.adopted).toEqual([]);
    expect(again.resource.id).toBe(out.resource.id);
  });

  it('adopts a device with the template and location it references, as telform ids', async () => {
    const device = acme.objects.device![0]!;
    const out = await adopt({ kind: 'device', platform_ref: `platform:${acme.account}/${device}` });
    const byKind = new Map(out.adopted.map((e) => [e.kind, e]));
    expect(out.resource.spec.location_id).toBe(byKind.get('location')!.id);
    expect(out.resource.spec.button_template_id).toBe(byKind.get('button_template')!.id);
    expect(out.resource.spec.user_id).toMatch(/^user_/);
  });

  it('adopts a whole account tree in one call, listing instead of reading each object', async () => {
    const out = await adopt({ platform_ref: `platform:${globex.account}`, include: 'tree' });
    const count = (kind: string) => out.adopted.filter((e) => e.kind === kind).length;
    expect(count('account')).toBe(1);
    expect(count('sub_account')).toBe(globex.subAccounts.length);
    for (const kind of [
      'user',
      'seat',
      'domain',
      'webhook',
      'sso_connector',
      'location',
      'device',
    ]) {
      expect(count(kind), kind).toBe(globex.objects[kind]!.length);
    }
    // Settings documents the platform holds come along (only the root's was ever set).
    expect(count('security_policy')).toBe(1);
    // One list call per kind and account (every page fits), one read per account: not per object.
    const accounts = 1 + globex.subAccounts.length;
    const listed = managedKinds().filter((k) => k.scope === 'account').length;
    expect(out.platform_calls).toBe(accounts * listed + accounts);
    // Everything under it is managed now: a second call adopts nothing.
    const again = await adopt({ platform_ref: `platform:${globex.account}`, include: 'tree' });
    expect(again.adopted).toEqual([]);
    const audit = await call('GET', `/v1/audit?event=resource.user.adopt&limit=100`);
    expect(JSON.stringify(audit.body)).toContain('resource.user.adopt');
  });

  it('adopts what is left under an account already partly managed', async () => {
    const out = await adopt({
      kind: 'account',
      platform_ref: `platform:${acme.account}`,
      include: 'contents',
    });
    expect(
      out.adopted.some(
        (e) =>
          e.kind === 'account' ||
          (e.kind === 'device' && e.external_id === acme.objects.device![0]),
      ),
    ).toBe(false);
    expect(out.adopted.filter((e) => e.kind === 'domain')).toHaveLength(3);
  });

  it.each([
    {
      why: 'auditors never change desired state',
      body: { platform_ref: `platform:acc-1` },
      token: 'auditor',
      status: 403,
    },
    {
      why: 'the prefix says what the id is',
      body: { kind: 'user', platform_ref: 'u-264' },
      status: 422,
      field: 'platform_ref',
    },
    {
      why: 'an object needs its kind',
      body: { platform_ref: 'platform:acc-1/u-1' },
      status: 422,
      field: 'kind',
    },
    {
      why: 'only accounts have contents',
      body: { kind: 'user', platform_ref: 'platform:acc-1/u-1', include: 'tree' },
      status: 422,
      field: 'include',
    },
    {
      why: 'a missing object is named',
      body: { kind: 'user', platform_ref: 'platform:acc-1/u-999999' },
      status: 404,
    },
    {
      why: 'a reference or all_accounts, not both: which one was meant is not guessed',
      body: { all_accounts: true, platform_ref: 'platform:acc-1' },
      status: 422,
      field: 'platform_ref',
    },
    {
      why: 'all_accounts adopts accounts, so a kind means nothing',
      body: { all_accounts: true, kind: 'user' },
      status: 422,
      field: 'kind',
    },
    {
      why: 'neither a reference nor all_accounts names nothing to adopt',
      body: { include: 'tree' },
      status: 422,
      field: 'platform_ref',
    },
    {
      why: 'unknown fields are refused',
      body: { platform_ref: 'platform:acc-1', extra: 1 },
      status: 422,
    },
  ])('refuses: $why', async ({ body, token, status, field }) => {
    const before = await call('GET', '/v1/resources?limit=1000');
    const res = await call(
      'POST',
      '/v1/adopt',
      body,
      token === 'auditor' ? auditorToken : undefined,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    if (field) expect(JSON.stringify(res.body.errors)).toContain(`"field":"${field}"`);
    const after = await call('GET', '/v1/resources?limit=1000');
    expect((after.body.items as unknown[]).length).toBe((before.body.items as unknown[]).length);
  });

  it('telform adopt --contents prints a line per adopted object, then finds them managed', async () => {
    const initech = await seedCustomer(t.daemon.emulator!, 'initech', { users: 2, subAccounts: 0 });
    const run = async (...args: string[]) => {
      let out = '';
      let err = '';
      const io = {
        env: { TELFORM_ENDPOINT: t.daemon.url, TELFORM_TOKEN: t.daemon.adminToken! },
        out: (text: string) => void (out += text),
        fail: (message: string) => void (err += message),
      };
      const program = new Command('telform').exitOverride();
      registerAdoptCommand(program, io);
      await program.parseAsync(['node', 'telform', 'adopt', ...args]);
      return { out, err };
    };
    const first = await run(`platform:${initech.account}`, '--contents');
    expect(first.err).toBe('');
    const lines = first.out.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^adopted account account_[0-9a-z]{26} platform:${initech.account}$`),
    );
    expect(lines).toContain(
      lines.find(
        (l) =>
          l.startsWith('adopted webhook ') &&
          l.endsWith('(not managed until set: authentication.password)'),
      ),
    );
    expect(lines.at(-1)).toMatch(/^\d+ adopted in \d+ platform calls$/);
    const again = await run(`platform:${initech.account}`, '--contents');
    expect(again.out).toMatch(/^already managed: account account_/);
    const bad = await run('platform:x/y', '--kind', 'nope');
    expect(bad.err).toContain('--kind must be a managed kind');
    // A reference or --all-accounts: neither and both are refused before any call.
    for (const args of [[], [`platform:${initech.account}`, '--all-accounts']]) {
      expect((await run(...args)).err).toContain(
        'name one platform reference, or give --all-accounts',
      );
    }
    expect((await run('--all-accounts', '--kind', 'user')).err).toContain('--kind does not go');
  });

  it('adopts every root account the platform lists, then nothing the second time', async () => {
    const before = await call('GET', '/v1/export/platform?format=json');
    expect(before.status).toBe(200);
    expect(before.body.unmanaged).toBeGreaterThan(0);
    const res = await call('POST', '/v1/adopt', { all_accounts: true, include: 'tree' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const out = res.body as { accounts: string[]; adopted: Entry[]; platform_calls: number };
    // acme, globex and the initech the CLI case made: each once, by telform id.
    expect(out.accounts).toHaveLength(3);
    expect(new Set(out.accounts).size).toBe(3);
    expect(out.adopted.length).toBe(before.body.unmanaged);
    // The platform as a whole is managed now: an export imports everything by telform id.
    const after = await call('GET', '/v1/export/platform?format=json');
    expect(after.body.unmanaged).toBe(0);
    expect(after.body.resources).toBe(before.body.resources);
    // Listed, never read one by one: one call for the accounts, then at most a list per kind
    // and a read for each account and sub-account, however many objects they hold.
    const blocks = JSON.parse(after.body.content as string) as {
      resource: Record<string, Record<string, unknown>>;
    };
    const accounts = ['telform_account', 'telform_sub_account']
      .map((type) => Object.keys(blocks.resource[type] ?? {}).length)
      .reduce((a, b) => a + b);
    const listed = managedKinds().filter((k) => k.scope === 'account').length;
    expect(out.platform_calls).toBeLessThanOrEqual(1 + accounts * (listed + 1));
    const again = await call('POST', '/v1/adopt', { all_accounts: true, include: 'tree' });
    expect((again.body as { adopted: Entry[] }).adopted).toEqual([]);
  });

  it('a scoped token adopting all accounts takes its own account only', async () => {
    const managed = await call('GET', '/v1/resources/account?limit=100');
    const globexId = (managed.body.items as { id: string; status: { external_id: string } }[]).find(
      (a) => a.status.external_id === globex.account,
    )!.id;
    const minted = await call('POST', '/v1/tokens', {
      name: 'globex-ops',
      role: 'operator',
      scope_account_id: globexId,
    });
    const res = await call(
      'POST',
      '/v1/adopt',
      { all_accounts: true, include: 'tree' },
      minted.body.token as string,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.accounts).toEqual([globexId]);
    // No listing of the platform's accounts: the scope names its account.
    expect(JSON.stringify(res.body).toLowerCase()).not.toContain('acme');
  });
});
