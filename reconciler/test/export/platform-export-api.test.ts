// GET /v1/export/platform on a real daemon (Postgres, the bundled emulator over HTTP): the
// platform state of accounts telform has never seen, and of accounts it partly manages, as
// Terraform configuration; bulk listing only; secrets only as variables; refused for auditors.
import { managedKinds } from '@telform/schemas';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLoggedDaemon, type LoggedDaemon } from '../support/logged-daemon.js';
import { seedCustomer, type SeededCustomer } from '../adopt/seed-platform.js';

interface Exported {
  format: string;
  file_name: string;
  content: string;
  resources: number;
  managed: number;
  unmanaged: number;
  skipped: unknown[];
  platform_calls: number;
}

describe('GET /v1/export/platform', () => {
  let t: LoggedDaemon;
  let acme: SeededCustomer;
  let globex: SeededCustomer;
  let auditorToken: string;

  const call = async (path: string, token?: string, init: RequestInit = {}) => {
    const res = await fetch(`${t.daemon.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token ?? t.daemon.adminToken!}`,
        ...(init.body ? { 'content-type': 'application/json' } : {}),
      },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const exportOf = async (query: string) => {
    const res = await call(`/v1/export/platform?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as unknown as Exported;
  };

  beforeAll(async () => {
    t = await startLoggedDaemon({
      emulator: {
        host: '127.0.0.1',
        port: 0,
        dataDir: false,
        staffKey: 'staff_export-test-key-0123456789',
      },
    });
    acme = await seedCustomer(t.daemon.emulator!, 'acme', { users: 6 });
    globex = await seedCustomer(t.daemon.emulator!, 'globex', { users: 2 });
    const minted = await call('/v1/tokens', undefined, {
      method: 'POST',
      body: JSON.stringify({ name: 'audit', role: 'auditor' }),
    });
    auditorToken = minted.body.token as string;
  }, 120_000);
  afterAll(async () => t?.dispose());

  const objectCount = (c: SeededCustomer) =>
    // The account, its objects, and its settings (one of each singleton; the sub-accounts have
    // none of their own on this platform).
    1 + Object.values(c.objects).flat().length + managedKinds().filter((k) => k.singleton).length;

  it('exports an unseen customer whole, imported by platform reference, in list calls', async () => {
    const out = await exportOf(`account=${acme.account}`);
    expect(out.skipped).toEqual([]);
    expect(out.resources).toBe(objectCount(acme));
    expect(out.unmanaged).toBe(out.resources);
    expect(out.file_name).toBe('telform-import.tf');
    // One call per kind and page for the account and each sub-account, never one per object.
    const kinds = managedKinds().filter((k) => k.scope === 'account').length;
    expect(out.platform_calls).toBe(1 + kinds * (1 + acme.subAccounts.length));
    const user = acme.users.find((u) => u.account === acme.account)!;
    expect(out.content).toContain(`id = "platform:${acme.account}/${user.id}"`);
    expect(out.content).toMatch(/resource "telform_user" "agent_1_of_acme" \{/);
    // References are resource references; the seat is named after its user.
    expect(out.content).toMatch(/user_id\s+= telform_user\.agent_1_of_acme\.id/);
    expect(out.content).toContain('resource "telform_seat" "agent_1_of_acme"');
    expect(out.content).toMatch(/account_id\s+= telform_sub_account\.acme_site_1\.id/);
    // Secrets are variables, never values.
    expect(out.content).toMatch(
      /password\s+= lookup\(var\.user_password, "agent_1_of_acme", null\)/,
    );
    expect(out.content).toContain('variable "webhook_authentication_password"');
    for (const secret of ['acme-sms-secret', 'acme-hook-secret', 'acme-phone-admin']) {
      expect(out.content).not.toContain(secret);
    }
    expect(out.content).not.toContain('globex');
  });

  it('imports what telform manages by its id and the rest by platform reference', async () => {
    const user = globex.users.find((u) => u.account === globex.account)!;
    const adopted = await call('/v1/adopt', undefined, {
      method: 'POST',
      body: JSON.stringify({ kind: 'user', platform_ref: `platform:${globex.account}/${user.id}` }),
    });
    expect(adopted.status).toBe(200);
    const resource = adopted.body.resource as { id: string; account_id: string };
    // By telform id of the account, in Terraform JSON this time.
    const out = await exportOf(`account=${resource.account_id}&format=json`);
    const json = JSON.parse(out.content) as {
      import: { to: string; id: string }[];
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(out.managed).toBe(2); // the account and the user adoption took over
    const imports = new Map(json.import.map((i) => [i.to, i.id]));
    expect(imports.get('telform_user.agent_1_of_globex')).toBe(resource.id);
    expect(imports.get('telform_account.globex_support')).toBe(resource.account_id);
    expect(json.resource.telform_user!.agent_1_of_globex!.account_id).toBe(
      '${telform_account.globex_support.id}',
    );
    expect(out.resources).toBe(objectCount(globex));
  });

  it('writes a CDKTF app that uses the generated constructs', async () => {
    const out = await exportOf(
      `account=${acme.account}&format=cdktf&constructs_module=../constructs/index.js`,
    );
    expect(out.file_name).toBe('main.ts');
    expect(out.content).toContain('import * as telform from "../constructs/index.js";');
    expect(out.content).toMatch(/new telform\.user\.User\(this, "user_agent_1_of_acme", \{/);
    expect(out.content).toContain('accountId: account_acme_support.id,');
    expect(out.content).toContain(`.importFrom("platform:${acme.account}")`);
  });

  it('with no account, exports every root account the platform lists', async () => {
    const out = await exportOf('format=json');
    const json = JSON.parse(out.content) as { '//': string; import: { id: string }[] };
    expect(out.skipped).toEqual([]);
    expect(out.resources).toBe(objectCount(acme) + objectCount(globex));
    // Both customers' objects are there, whoever manages them.
    for (const c of [acme, globex]) {
      expect(json.import.some((i) => i.id.startsWith(`platform:${c.account}/`))).toBe(true);
    }
    expect(json['//']).toContain('all 2 root accounts the platform lists');
    // One list of the root accounts, then per account its own read and a list per kind for it
    // and for each of its sub-accounts: still no call per object.
    const kinds = managedKinds().filter((k) => k.scope === 'account').length;
    const perAccount = (c: SeededCustomer) => 1 + kinds * (1 + c.subAccounts.length);
    expect(out.platform_calls).toBe(1 + perAccount(acme) + perAccount(globex));
  });

  describe('a token scoped to one customer', () => {
    let acmeId: string;
    let globexId: string;
    let scoped: string;
    const adoptAccount = async (platformId: string) => {
      const res = await call('/v1/adopt', undefined, {
        method: 'POST',
        body: JSON.stringify({ platform_ref: `platform:${platformId}` }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body.resource as { id: string }).id;
    };
    const mint = async (name: string) => {
      const res = await call('/v1/tokens', undefined, {
        method: 'POST',
        body: JSON.stringify({ name, role: 'operator', scope_account_id: acmeId }),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.token as string;
    };

    beforeAll(async () => {
      acmeId = await adoptAccount(acme.account);
      globexId = await adoptAccount(globex.account);
      scoped = await mint('acme-pipeline');
    });

    it('exports only its own account when it names none', async () => {
      const res = await call('/v1/export/platform', scoped);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const out = res.body as unknown as Exported;
      expect(out.resources).toBe(objectCount(acme));
      expect(out.content).toContain(`id = "${acmeId}"`);
      expect(out.content.toLowerCase()).not.toContain('globex');
      // It names its account, so no listing of the platform's accounts was needed.
      const kinds = managedKinds().filter((k) => k.scope === 'account').length;
      expect(out.platform_calls).toBe(1 + kinds * (1 + acme.subAccounts.length));
    });

    // Each case asks for the other customer, by every name it has; each must be "not found",
    // audited as denied, leak nothing of it, and (for adoption) take nothing over.
    it.each([
      {
        why: 'export by telform id',
        request: () => ({ path: `/v1/export/platform?account=${globexId}` }),
      },
      {
        why: 'export by platform id (an account telform manages)',
        request: () => ({ path: `/v1/export/platform?account=${globex.account}` }),
      },
      {
        why: 'export of its own account and the other one together',
        request: () => ({
          path: `/v1/export/platform?account=${acme.account}&account=${globex.account}`,
        }),
      },
      {
        why: 'export of a sub-account of the other customer, telform has never seen',
        request: () => ({ path: `/v1/export/platform?account=${globex.subAccounts[0]}` }),
      },
      {
        why: 'adoption of the whole other tree',
        request: () => ({
          path: '/v1/adopt',
          body: { platform_ref: `platform:${globex.account}`, include: 'tree' },
        }),
      },
      {
        why: 'adoption of one of its users',
        request: () => {
          const user = globex.users.find((u) => u.account === globex.account)!;
          return {
            path: '/v1/adopt',
            body: { kind: 'user', platform_ref: `platform:${globex.account}/${user.id}` },
          };
        },
      },
      {
        // Nothing in telform says whose it is: refused before any platform call, and answered
        // as another tenant's managed account is (404), so the answer does not tell a scoped
        // token which platform ids telform manages.
        why: 'adoption of an unmanaged sub-account of it',
        request: () => ({
          path: '/v1/adopt',
          body: { platform_ref: `platform:${globex.subAccounts[0]}`, include: 'tree' },
        }),
        status: 404,
      },
    ])('refuses, denied and leaking nothing: $why', async ({ why, request, status = 404 }) => {
      const managedBefore = (await exportOf(`account=${globex.account}`)).managed;
      const name = `out-${why.replace(/\W+/g, '-')}`.slice(0, 64);
      const token = await mint(name);
      const { path, body } = request() as { path: string; body?: unknown };
      const res = await call(
        path,
        token,
        body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
      );
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      const text = JSON.stringify(res.body);
      const sent = path + JSON.stringify(body ?? {});
      expect(text.toLowerCase()).not.toContain('globex');
      const foreign = [globexId, ...Object.values(globex.objects).flat()].filter(
        (id) => !sent.includes(id),
      );
      const leaked = foreign.filter((id) => new RegExp(`\\b${id}\\b`).test(text));
      expect(leaked).toEqual([]);
      // Its one request is on the trail (reads land a moment after their answer), as denied.
      const events = await vi.waitFor(
        async () => {
          const trail = await call(`/v1/audit?actor=${encodeURIComponent(name)}&limit=100`);
          const items = trail.body.items as { outcome: string; event: string }[];
          expect(items.length).toBeGreaterThan(0);
          return items;
        },
        { timeout: 20_000, interval: 100 },
      );
      expect(events.map((e) => e.outcome)).toEqual(['denied']);
      // Nothing was taken over.
      expect((await exportOf(`account=${globex.account}`)).managed).toBe(managedBefore);
    });
  });

  it.each([
    {
      why: 'auditors never read platform configuration',
      query: () => `account=${acme.account}`,
      token: 'auditor',
      status: 403,
    },
    {
      why: 'an empty account is refused, never read as "every account"',
      query: () => 'account=',
      status: 422,
    },
    {
      why: 'the format is one of three',
      query: () => `account=${acme.account}&format=yaml`,
      status: 422,
    },
    {
      why: 'the constructs module means nothing to HCL',
      query: () => `account=${acme.account}&constructs_module=x`,
      status: 422,
    },
    {
      why: 'an unknown telform id is not found, not exported as empty',
      query: () => 'account=account_01jd8x0000000000000000000z',
      status: 404,
    },
    {
      why: 'an unknown platform account is the platform saying not found',
      query: () => 'account=acc-does-not-exist',
      status: 404,
    },
  ])('refuses: $why', async ({ query, token, status }) => {
    const res = await call(
      `/v1/export/platform?${query()}`,
      token === 'auditor' ? auditorToken : undefined,
    );
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(res.body.code).toBeTypeOf('string');
  });
});
