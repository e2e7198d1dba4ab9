import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getKind } from '@telform/schemas';
import { PlatformError } from '../../src/driver/platform-driver.js';
import type { PlatformDriver, PlatformErrorReason } from '../../src/driver/platform-driver.js';

/** What a driver under test needs around it. */
export interface DriverContractFixture {
  readonly driver: PlatformDriver;
  /** Creates an empty account on the platform; returns its platform id. */
  newAccount(): Promise<string>;
  /** The same platform reached with credentials it refuses. */
  readonly unauthorizedDriver: PlatformDriver;
  /** Makes the platform answer the next request with `status` (and Retry-After seconds). */
  failNext(status: 429 | 503, retryAfterS?: number): Promise<void>;
  close(): Promise<void>;
}

let counter = 0;
const tfId = (kind: string) => `${kind}_${String(++counter).padStart(26, '0')}`;
const user = (login: string) => ({ name: `User ${login}`, login, email: `${login}@acme.example` });

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PlatformError);
    return err as PlatformError;
  }
  throw new Error('expected the call to fail');
}

/**
 * The contract of `PlatformDriver` (see its doc comment) as tests any driver must pass:
 * observe never mutates, create is idempotent by the telform id, delete of a missing object
 * succeeds, update and list pagination work, and failures come classified.
 */
export function describeDriverContract(
  name: string,
  setup: () => Promise<DriverContractFixture>,
): void {
  describe(`PlatformDriver contract: ${name}`, () => {
    let f: DriverContractFixture;
    let d: PlatformDriver;
    beforeAll(async () => {
      f = await setup();
      d = f.driver;
    });
    afterAll(async () => f?.close());

    it('observe of an object never created says it does not exist, and creates nothing', async () => {
      const acct = await f.newAccount();
      const ref = { kind: 'user', id: tfId('user'), accountExternalId: acct };
      expect(await d.observe(ref)).toEqual({ exists: false });
      expect(await d.observe(ref)).toEqual({ exists: false });
      expect((await d.list({ kind: 'user', accountExternalId: acct })).items).toEqual([]);
    });

    it('create is idempotent by telform id: a retried create returns the first object', async () => {
      const acct = await f.newAccount();
      const ref = { kind: 'user', id: tfId('user'), accountExternalId: acct };
      const first = await d.create(ref, user('idem'));
      const again = await d.create(ref, user('idem'));
      expect(again.externalId).toBe(first.externalId);
      const page = await d.list({ kind: 'user', accountExternalId: acct });
      expect(page.items.map((i) => i.externalId)).toEqual([first.externalId]);
      expect(page.items[0]?.clientRef).toBe(ref.id);
    });

    it('observe finds an object by client reference before its external id is known', async () => {
      const acct = await f.newAccount();
      const ref = { kind: 'user', id: tfId('user'), accountExternalId: acct };
      const made = await d.create(ref, user('byref'));
      const seen = await d.observe(ref);
      expect(seen).toMatchObject({ exists: true, externalId: made.externalId });
      expect(await d.observe({ ...ref, externalId: made.externalId })).toEqual(seen);
    });

    it('update brings the object to the desired attributes', async () => {
      const acct = await f.newAccount();
      const ref = { kind: 'user', id: tfId('user'), accountExternalId: acct };
      const made = await d.create(ref, user('upd'));
      const updated = await d.update(
        { ...ref, externalId: made.externalId },
        { ...user('upd'), display_name: 'Renamed' },
      );
      expect(updated.attributes.display_name).toBe('Renamed');
      const seen = await d.observe({ ...ref, externalId: made.externalId });
      expect(seen.exists && seen.attributes.display_name).toBe('Renamed');
    });

    it('delete removes the object, and deleting it again succeeds', async () => {
      const acct = await f.newAccount();
      const ref = { kind: 'user', id: tfId('user'), accountExternalId: acct };
      const made = await d.create(ref, user('del'));
      const ext = { ...ref, externalId: made.externalId };
      await d.delete(ext);
      await d.delete(ext);
      expect(await d.observe(ext)).toEqual({ exists: false });
    });

    it('list pages through every object exactly once', async () => {
      const acct = await f.newAccount();
      const made = new Set<string>();
      for (let i = 0; i < 7; i++) {
        made.add(
          (
            await d.create(
              { kind: 'user', id: tfId('user'), accountExternalId: acct },
              user(`page${i}`),
            )
          ).externalId,
        );
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await d.list({
          kind: 'user',
          accountExternalId: acct,
          limit: 3,
          ...(cursor ? { cursor } : {}),
        });
        seen.push(...page.items.map((i) => i.externalId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(new Set(seen)).toEqual(made);
      expect(seen).toHaveLength(7);
    });

    it('listAccounts pages through every root account once, and no sub-account', async () => {
      const made = [await f.newAccount(), await f.newAccount(), await f.newAccount()];
      const sub = await d.create(
        { kind: 'sub_account', id: tfId('sub_account'), accountExternalId: made[0]! },
        { name: 'Site', account_id: made[0]! },
      );
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await d.listAccounts({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.externalId));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      // Other cases made accounts too: every one is listed once, the sub-account never.
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toEqual(expect.arrayContaining(made));
      expect(seen).not.toContain(sub.externalId);
      expect(pages).toBe(Math.ceil(seen.length / 2));
    });

    it('a singleton is written, observed, and reset by delete (twice is fine)', async () => {
      const acct = await f.newAccount();
      const ref = { kind: 'security_policy', id: tfId('security_policy'), accountExternalId: acct };
      expect(await d.observe(ref)).toEqual({ exists: false });
      const made = await d.create(ref, { two_factor_required: true, max_login_attempts: 5 });
      expect(made.attributes.two_factor_required).toBe(true);
      await d.delete({ ...ref, externalId: made.externalId });
      await d.delete({ ...ref, externalId: made.externalId });
      expect(await d.observe(ref)).toEqual({ exists: false });
    });

    it('reads read-only platform data', async () => {
      const acct = await f.newAccount();
      const limits = await d.read('limits', acct);
      // Every limit data.telform_limits promises, the audio clips' and playlists' included.
      const promised = Object.keys(getKind('limits').schema.properties ?? {}).filter((name) =>
        name.startsWith('max_'),
      );
      expect(promised).toContain('max_playlists');
      for (const name of promised) expect(typeof limits[name], name).toBe('number');
    });

    const cases: Array<{
      why: string;
      reason: PlatformErrorReason;
      run: (acct: string) => Promise<unknown>;
      field?: string;
    }> = [
      {
        why: 'a value that breaks a platform rule is invalid, naming the field',
        reason: 'invalid',
        field: 'login',
        run: (acct) =>
          d.create(
            { kind: 'user', id: tfId('user'), accountExternalId: acct },
            user('Not A Login'),
          ),
      },
      {
        why: 'a login already taken in the account is a conflict with the platform state',
        reason: 'conflict',
        field: 'login',
        run: async (acct) => {
          await d.create(
            { kind: 'user', id: tfId('user'), accountExternalId: acct },
            user('taken'),
          );
          return d.create(
            { kind: 'user', id: tfId('user'), accountExternalId: acct },
            user('taken'),
          );
        },
      },
      {
        why: 'updating an object that is gone is not_found',
        reason: 'not_found',
        run: (acct) =>
          d.update(
            { kind: 'user', id: tfId('user'), accountExternalId: acct, externalId: 'u-999999999' },
            user('gone'),
          ),
      },
      {
        why: 'credentials the platform refuses are forbidden',
        reason: 'forbidden',
        run: (acct) =>
          f.unauthorizedDriver.observe({ kind: 'user', id: tfId('user'), accountExternalId: acct }),
      },
    ];
    it.each(cases)('$why', async ({ reason, run, field }) => {
      const acct = await f.newAccount();
      const err = await failure(run(acct));
      expect(err.reason).toBe(reason);
      if (field) expect(err.details.field).toBe(field);
    });

    it.each([
      {
        why: 'a 429 is retryable no sooner than its Retry-After',
        status: 429 as const,
        after: 3,
        wantMs: 3000,
      },
      { why: 'a 503 is retryable', status: 503 as const, after: undefined, wantMs: undefined },
    ])('$why', async ({ status, after, wantMs }) => {
      const acct = await f.newAccount();
      await f.failNext(status, after);
      const err = await failure(
        d.observe({ kind: 'user', id: tfId('user'), accountExternalId: acct }),
      );
      expect(err.reason).toBe('retryable');
      expect(err.details.retryAfterMs).toBe(wantMs);
    });
  });
}
