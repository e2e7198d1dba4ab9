import { sql } from 'kysely';
import { beforeEach, expect, it } from 'vitest';
import { isFinalReason } from '@telform/schemas';
import { PlatformError } from '../../src/driver/platform-driver.js';
import { reconcileResource } from '../../src/reconcile/reconcile-resource.js';
import { describeEachDatabase } from '../support/databases.js';
import { accountSpec, makeHarness, scope, userSpec, type Harness } from './engine-harness.js';

const synced = (
  row: { conditions: Array<{ type: string; status: string; reason: string }> } | undefined,
) => row?.conditions.find((c) => c.type === 'Synced');

describeEachDatabase('reconcileResource', (database) => {
  let h: Harness;
  beforeEach(async () => {
    await database().db.deleteFrom('resources').execute();
    h = makeHarness(database().db);
  });

  it('applies an account, its user and the seat in dependency order, with references as platform ids', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const user = await h.store.create(
      'user',
      { ...userSpec(account.id), password: 's3cret-pass' },
      scope,
    );
    const seat = await h.store.create('seat', { account_id: account.id, user_id: user.id }, scope);

    expect(await h.drain()).toEqual(['created', 'created', 'created']);
    // Rows never sent to the platform are created without asking it first.
    expect(h.driver.count('observe')).toBe(0);

    const [a, u, s] = [await h.row(account.id), await h.row(user.id), await h.row(seat.id)];
    for (const row of [a, u, s]) {
      expect(synced(row)).toMatchObject({ status: 'True', reason: 'Applied' });
      expect(row).toMatchObject({
        applied_generation: 1,
        create_pending_at: null,
        next_reconcile_at: null,
      });
    }
    const seatCreate = h.driver.calls.find((c) => c.op === 'create' && c.id === seat.id);
    expect(seatCreate?.desired).toMatchObject({
      account_id: a!.external_id,
      user_id: u!.external_id,
    });
    // The driver gets the secret decrypted; the audit trail never does.
    expect(
      h.driver.calls.find((c) => c.op === 'create' && c.id === user.id)?.desired,
    ).toMatchObject({ password: 's3cret-pass' });
    expect(h.audit.events.map((e) => e.event)).toEqual([
      'platform.account.create',
      'platform.user.create',
      'platform.seat.create',
    ]);
    expect(JSON.stringify(h.audit.events)).not.toContain('s3cret-pass');
    // Computed attributes the platform returns are kept as observed.
    expect(u!.observed).toMatchObject({ created_by_platform: true });
  });

  it('makes a user wait (DependencyNotReady, naming the account) until its account is applied', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const user = await h.store.create('user', userSpec(account.id), scope);
    await h.db
      .updateTable('resources')
      .set({ next_reconcile_at: null })
      .where('id', '=', account.id)
      .execute();

    expect(await h.step()).toMatchObject({ outcome: 'waiting' });
    const waiting = await h.row(user.id);
    expect(synced(waiting)).toMatchObject({ status: 'False', reason: 'DependencyNotReady' });
    expect(synced(waiting)).toHaveProperty('message', expect.stringContaining(account.id));
    expect(h.driver.count('create')).toBe(0);
    // Nothing was sent, so the claim's "create pending" mark is undone: no observe next time.
    expect(waiting?.create_pending_at).toBeNull();
  });

  it('never creates twice when the outcome of a create is lost (crash after the platform made it)', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    h.driver.afterCreate = async () => {
      throw new Error('connection reset after the platform committed');
    };
    // A driver failure that is not a PlatformError is treated as retryable (network-like).
    expect(await h.step()).toMatchObject({ outcome: 'retry' });
    const pending = await h.row(account.id);
    expect(pending?.create_pending_at).not.toBeNull();
    expect(pending?.external_id).toBeNull();

    h.driver.afterCreate = undefined;
    await h.dueNow();
    expect(await h.drain()).toEqual(['synced']);
    expect(h.driver.count('create', account.id)).toBe(1);
    expect(await h.row(account.id)).toMatchObject({
      external_id: 'ext-1',
      applied_generation: 1,
      create_pending_at: null,
    });
  });

  it('recovers a row whose daemon died mid-create once its lease expires, without a second create', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const [row] = await h.queue.claim(1);
    // The claim itself marked the create pending, durably, before any create is sent...
    expect((await h.row(account.id))?.create_pending_at).not.toBeNull();
    // ...while the claimed row says no earlier attempt may have made it (so no observe first).
    expect(row?.create_pending_at).toBeNull();
    await h.driver.create({ kind: 'account', id: account.id }, accountSpec); // then the process dies
    expect(await h.queue.claim(1)).toEqual([]); // still leased
    await h.db
      .updateTable('resources')
      .set({ claimed_until: sql`now() - interval '1 second'` })
      .execute();

    const other = makeHarness(h.db, 'replica-2');
    const [again] = await other.queue.claim(1);
    expect(again?.id).toBe(account.id);
    expect(await reconcileResource({ ...other.deps, driver: h.driver }, again!)).toBe('synced');
    expect(h.driver.count('create', account.id)).toBe(1);
  });

  it('resolves references from the platform ids it recorded, and reads the rows again after a failure', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    await h.drain();
    const recorded = (await h.row(account.id))!.external_id;
    // The row now holds another id (made again by another replica): the cache still answers...
    await h.db
      .updateTable('resources')
      .set({ external_id: 'ext-again' })
      .where('id', '=', account.id)
      .execute();
    const user = await h.store.create('user', userSpec(account.id), scope);
    h.driver.failWhen((c) =>
      c.op === 'create' && c.id === user.id
        ? new PlatformError('retryable', 'no such account', { status: 503 })
        : undefined,
    );
    expect(await h.step()).toMatchObject({ outcome: 'retry' });
    const creates = () => h.driver.calls.filter((c) => c.op === 'create' && c.id === user.id);
    expect(creates().map((c) => c.desired?.account_id)).toEqual([recorded]);
    // ...until a failure: the retry reads the rows and sends the id they hold now.
    h.driver.clearFailures();
    await h.dueNow();
    await h.drain();
    expect(creates().map((c) => c.desired?.account_id)).toEqual([recorded, 'ext-again']);
  });

  it('propagates a new generation as an update and records the applied generation', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    await h.drain();
    await h.store.replace('account', account.id, { ...accountSpec, name: 'Acme Renamed' }, scope);
    expect(await h.drain()).toEqual(['updated']);
    expect(h.driver.objects.get(account.id)?.attributes.name).toBe('Acme Renamed');
    expect(await h.row(account.id)).toMatchObject({ generation: 2, applied_generation: 2 });
  });

  const failures = [
    {
      reason: 'a 429 keeps retrying, no sooner than Retry-After',
      error: new PlatformError('retryable', 'rate limited', { status: 429, retryAfterMs: 5_000 }),
      want: {
        outcome: 'retry',
        reason: 'PlatformUnavailable',
        attempts: 1,
        requeueAtLeastMs: 4_000,
        // A 429 is answered before the platform does anything.
        createPending: 'undone',
      },
    },
    {
      reason: 'a rule violation names the field and waits for a new generation',
      error: new PlatformError('invalid', 'email domain not allowed', {
        field: 'email',
        rule: 'allowed_domain',
      }),
      want: {
        outcome: 'rejected',
        reason: 'PlatformRejected',
        attempts: 0,
        field: 'email',
        requeueAtLeastMs: null,
        createPending: 'undone',
      },
    },
    {
      reason: 'a limit reached is a Conflict retried later, with the platform message',
      error: new PlatformError('conflict', 'seat limit of 2 reached for sub-account', {
        status: 409,
      }),
      want: {
        outcome: 'conflict',
        reason: 'Conflict',
        attempts: 0,
        requeueAtLeastMs: 30_000,
        createPending: 'undone',
      },
    },
    {
      reason: 'a 502 may come after the platform made the object: the next attempt asks first',
      error: new PlatformError('retryable', 'bad gateway', { status: 502 }),
      want: {
        outcome: 'retry',
        reason: 'PlatformUnavailable',
        attempts: 1,
        requeueAtLeastMs: 0,
        createPending: 'kept',
      },
    },
    {
      reason: 'a driver that throws something other than a PlatformError is retried (network-like)',
      error: new TypeError('fetch failed'),
      want: {
        outcome: 'retry',
        reason: 'PlatformUnavailable',
        attempts: 1,
        requeueAtLeastMs: 0,
        createPending: 'kept',
      },
    },
  ];
  it.each(failures)('$reason', async ({ error, want }) => {
    const account = await h.store.create('account', accountSpec, scope);
    h.driver.failWhen((call) => (call.op === 'create' ? error : undefined));
    expect(await h.step()).toMatchObject({ outcome: want.outcome });
    const row = await h.row(account.id);
    expect(synced(row)).toMatchObject({
      status: 'False',
      reason: want.reason,
      field: want.field ?? null,
    });
    expect(row?.attempts).toBe(want.attempts);
    if (want.requeueAtLeastMs === null) expect(row?.next_reconcile_at).toBeNull();
    else
      expect(row!.next_reconcile_at!.getTime() - Date.now()).toBeGreaterThanOrEqual(
        want.requeueAtLeastMs - 1_000,
      );
    expect(synced(row)).toHaveProperty('message', expect.stringContaining(error.message));
    expect(h.audit.events.at(-1)).toMatchObject({
      event: 'platform.account.create',
      outcome: 'failure',
    });
    // The claim's "create pending" mark: undone when the create cannot have gone through.
    expect(row?.create_pending_at === null ? 'undone' : 'kept').toBe(want.createPending);
  });

  it('undoes the create-pending mark when the attempt fails before sending anything', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const [row] = await h.queue.claim(1);
    expect((await h.row(account.id))?.create_pending_at).not.toBeNull();
    const failing = {
      ...h.deps,
      references: Object.assign(Object.create(h.deps.references), {
        resolve: async () => {
          throw new Error('the store went away');
        },
      }),
    };
    expect(await reconcileResource(failing, row!)).toBe('error');
    expect(h.driver.count('create')).toBe(0);
    expect((await h.row(account.id))?.create_pending_at).toBeNull();
    // So the next attempt creates without observing first.
    await h.dueNow();
    expect(await h.drain()).toEqual(['created']);
    expect(h.driver.count('observe')).toBe(0);
  });

  it('records a failure of the daemon itself (a secret that no longer opens) without leaking it', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    await h.drain();
    const user = await h.store.create(
      'user',
      { ...userSpec(account.id), password: 'hunter2-hunter2' },
      scope,
    );
    const broken = {
      seal: h.deps.secrets.seal.bind(h.deps.secrets),
      isCurrent: () => true,
      open: () => {
        throw new Error('unable to authenticate data for hunter2-hunter2');
      },
    };
    const [row] = await h.queue.claim(1);
    expect(await reconcileResource({ ...h.deps, secrets: broken }, row!)).toBe('error');
    const after = await h.row(user.id);
    expect(synced(after)).toMatchObject({ status: 'False', reason: 'ReconcileError' });
    expect(JSON.stringify(after)).not.toContain('hunter2');
    expect(after?.next_reconcile_at).not.toBeNull();
    expect(h.driver.count('create', user.id)).toBe(0);
  });

  it('deletes children before their account, and removes rows only once the platform is clean', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const user = await h.store.create('user', userSpec(account.id), scope);
    await h.drain();
    await h.store.requestDeletion('account', account.id, scope);
    expect(await h.step()).toMatchObject({ row: { id: account.id }, outcome: 'waiting' });
    expect(h.driver.objects.has(account.id)).toBe(true);

    await h.store.requestDeletion('user', user.id, scope);
    await h.dueNow();
    expect(await h.drain()).toEqual(['deleted', 'deleted']);
    expect(h.driver.calls.filter((c) => c.op === 'delete').map((c) => c.id)).toEqual([
      user.id,
      account.id,
    ]);
    expect(await h.row(account.id)).toBeUndefined();
    expect(h.driver.objects.size).toBe(0);
  });

  it('fails a deletion for good (DeletionBlocked, naming them) while dependents nobody deletes remain, and retries it on a new DELETE', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const user = await h.store.create('user', userSpec(account.id), scope);
    await h.drain();
    await h.store.requestDeletion('account', account.id, scope);
    expect(await h.step()).toMatchObject({ row: { id: account.id }, outcome: 'waiting' });
    const synced = (await h.row(account.id))?.conditions.find((c) => c.type === 'Synced');
    // Final, so `terraform destroy` stops at once with this message instead of waiting it out.
    expect(synced).toMatchObject({ status: 'False', reason: 'DeletionBlocked' });
    expect(isFinalReason(synced!.reason)).toBe(true);
    expect(synced?.message).toContain(user.id);

    // The user goes another way (its own destroy); the next DELETE of the account is retried now.
    // The account stays in its back-off meanwhile: only the user is due.
    await h.store.requestDeletion('user', user.id, scope);
    expect(await h.drain()).toEqual(['deleted']);
    expect(await h.row(user.id)).toBeUndefined();
    const again = await h.store.requestDeletion('account', account.id, scope);
    expect(again.status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Synced', reason: 'Pending' }),
    );
    expect(await h.drain()).toEqual(['deleted']);
    expect(h.driver.objects.size).toBe(0);
  });

  it('keeps the desired row while the platform delete fails', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    await h.drain();
    await h.store.requestDeletion('account', account.id, scope);
    h.driver.failWhen((call) =>
      call.op === 'delete'
        ? new PlatformError('retryable', 'bad gateway', { status: 502 })
        : undefined,
    );
    expect(await h.step()).toMatchObject({ outcome: 'retry' });
    expect(await h.row(account.id)).toBeDefined();
  });

  it('makes a row due at once when its generation changed while it was being reconciled', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const [row] = await h.queue.claim(1);
    await h.store.replace(
      'account',
      account.id,
      { ...accountSpec, name: 'Changed meanwhile' },
      scope,
    );
    expect(await reconcileResource(h.deps, row!)).toBe('created');
    const after = await h.row(account.id);
    expect(after).toMatchObject({ generation: 2, applied_generation: 1 });
    expect(after!.next_reconcile_at).not.toBeNull();
    expect(await h.drain()).toEqual(['updated']);
  });

  it('never hands the driver a desired-only attribute, and re-sends the secret when only its version changes', async () => {
    const account = await h.store.create('account', accountSpec, scope);
    const spec = { ...userSpec(account.id), password: 'first-passw0rd', password_wo_version: 1 };
    const user = await h.store.create('user', spec, scope);
    expect(await h.drain()).toEqual(['created', 'created']);
    const payloads = () =>
      h.driver.calls.filter((c) => c.id === user.id && c.desired).map((c) => c.desired!);

    // The rotation Terraform makes: a new password with a bumped version.
    const bumped = await h.store.replace(
      'user',
      user.id,
      { ...spec, password: 'second-passw0rd', password_wo_version: 2 },
      scope,
    );
    expect(bumped.generation).toBe(2);
    expect(bumped.spec.password_wo_version).toBe(2);
    // A bump alone (same password) is a new generation too: the secret is sent again.
    await h.drain();
    const same = await h.store.replace(
      'user',
      user.id,
      { ...spec, password: 'second-passw0rd', password_wo_version: 3 },
      scope,
    );
    expect(same.generation).toBe(3);
    expect(await h.drain()).toEqual(['updated']);

    expect(payloads().map((p) => [p.password, 'password_wo_version' in p])).toEqual([
      ['first-passw0rd', false],
      ['second-passw0rd', false],
      ['second-passw0rd', false],
    ]);
    // Nor does the version count as drift: the platform never holds it.
    expect(await h.row(user.id)).toMatchObject({ generation: 3, applied_generation: 3 });
    await h.db
      .updateTable('resources')
      .set({ next_reconcile_at: sql`now()` })
      .where('id', '=', user.id)
      .execute();
    expect(await h.drain()).toEqual(['synced']);
  });
});
