// GET /v1/export/platform on a real daemon (Postgres, the bundled emulator over HTTP): the
// platform state of accounts telform has never seen, and of accounts it partly manages, as
// Terraform configuration; bulk listing only; secrets only as variables; refused for auditors.
import { managedKinds } from '@telform/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it.each([
    {
      why: 'auditors never read platform configuration',
      query: () => `account=${acme.account}`,
      token: 'auditor',
      status: 403,
    },
    { why: 'an account is required', query: () => 'format=hcl', status: 422 },
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
