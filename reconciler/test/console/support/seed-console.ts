// A daemon with two tenants (Acme with a sub-account, Globex) applied to the bundled emulator,
// an out-of-band change scanned into a drift record, seats near the warning, audit events of
// every outcome, and tokens for each console role. For the browser tests and the benchmark.
import { AuditStore } from '../../../src/audit/audit-store.js';
import { TokenStore } from '../../../src/auth/token-store.js';
import { startLoggedDaemon, type LoggedDaemon } from '../../support/logged-daemon.js';

export interface SeededConsole {
  readonly logged: LoggedDaemon;
  readonly url: string;
  readonly tokens: {
    readonly admin: string;
    readonly auditor: string;
    readonly acmeAuditor: string;
  };
  readonly acme: string;
  readonly acmeLyon: string;
  readonly globex: string;
  readonly aliceId: string;
  dispose(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function seedConsole(): Promise<SeededConsole> {
  // Two purchased seats per account: Acme assigns both (100%, past the 85% warning).
  const logged = await startLoggedDaemon({
    emulator: { host: '127.0.0.1', port: 0, dataDir: false, rateLimit: null, limits: { seat: 2 } },
  });
  try {
    const { daemon } = logged;
    const admin = daemon.adminToken!;
    const api = async (method: string, path: string, body?: unknown): Promise<Json> => {
      const res = await fetch(`${daemon.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${admin}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? (JSON.parse(text) as Json) : {};
    };
    const create = async (kind: string, body: Json): Promise<string> => {
      const made = await api('POST', `/v1/resources/${kind}`, body);
      const id = String(made.id);
      const applied = await api('GET', `/v1/resources/${kind}/${id}?wait=applied&timeout_ms=30000`);
      const status = applied.status as { applied_generation: number };
      if (status.applied_generation < 1) throw new Error(`${kind} ${id} was not applied`);
      return id;
    };

    const acme = await create('account', { name: 'Acme Support', email: 'admin@acme.example' });
    const globex = await create('account', { name: 'Globex Care', email: 'ops@globex.example' });
    const acmeLyon = await create('sub_account', {
      account_id: acme,
      name: 'Acme Lyon',
      seat_limit: 1,
    });
    const user = (account: string, login: string) =>
      create('user', {
        account_id: account,
        name: `User ${login}`,
        login,
        email: `${login}@example.com`,
      });
    const aliceId = await user(acme, 'alice');
    const bobId = await user(acme, 'bob');
    const gina = await user(globex, 'gina');
    await create('seat', { account_id: acme, user_id: aliceId });
    await create('seat', { account_id: acme, user_id: bobId });
    await create('seat', { account_id: globex, user_id: gina });

    // An administrator renames Alice in the vendor's console: drift on the next scan.
    const ext = async (id: string) =>
      (
        await daemon.database.db
          .selectFrom('resources')
          .select('external_id')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).external_id!;
    const emu = daemon.emulator!;
    const edit = await fetch(
      `${emu.url}/_emulator/console/accounts/${await ext(acme)}/users/${await ext(aliceId)}`,
      {
        method: 'PATCH',
        headers: { authorization: `Bearer ${emu.partnerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Alice (renamed in console)' }),
      },
    );
    if (edit.status !== 200) throw new Error(`console edit: ${edit.status} ${await edit.text()}`);
    await api('POST', `/v1/drift/scan?account_id=${acme}`);
    await api('POST', `/v1/drift/scan?account_id=${globex}`);

    // Events of each outcome, actor and address, in both tenants, for the audit filters.
    const audit = new AuditStore(daemon.database.db);
    const events = [
      ['user.update', 'write', `user/${aliceId}`, acme, 'ci-acme', 'success', '10.1.2.3'],
      ['user.read', 'read', `user/${aliceId}`, acme, 'ci-acme', 'denied', '10.1.2.4'],
      ['seat.create', 'write', `seat/seat_x1`, acme, 'partner-bot', 'failure', '192.168.7.9'],
      ['user.update', 'write', `user/${gina}`, globex, 'ci-globex', 'success', '172.16.0.5'],
      [
        'webhook.update',
        'write',
        'webhook/webhook_g1',
        globex,
        'ci-globex',
        'failure',
        '172.16.0.6',
      ],
    ] as const;
    for (const [event, access, resource, accountId, actor, outcome, ip] of events)
      await audit.record({ event, access, resource, accountId, actor, outcome, ip });

    const tokens = new TokenStore(daemon.database.db);
    const auditor = (await tokens.create({ name: 'auditor', role: 'auditor', createdBy: 'test' }))
      .token;
    const acmeAuditor = (
      await tokens.create({
        name: 'acme-auditor',
        role: 'auditor',
        scopeAccountId: acme,
        createdBy: 'test',
      })
    ).token;
    return {
      logged,
      url: daemon.url,
      tokens: { admin, auditor, acmeAuditor },
      acme,
      acmeLyon,
      globex,
      aliceId,
      dispose: () => logged.dispose(),
    };
  } catch (err) {
    await logged.dispose();
    throw err;
  }
}
