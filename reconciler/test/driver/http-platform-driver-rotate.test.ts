// HttpPlatformDriver.rotateProvisioningToken against the real emulator: the rotate route it
// calls, what it returns, and how its failures are classified.
import { startEmulator, type RunningEmulator } from '@telform/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpPlatformDriver } from '../../src/driver/http-platform-driver.js';
import { PlatformError, type PlatformErrorReason } from '../../src/driver/platform-driver.js';
import { emulatorAdmin } from './emulator-admin.js';

let emu: RunningEmulator;
let driver: HttpPlatformDriver;
let n = 0;
const admin = emulatorAdmin(() => emu);
const newAccount = async () => {
  n++;
  const res = await admin('POST', '/v1/accounts', {
    name: `Rot ${n}`,
    email: `r${n}@acme.example`,
  });
  return ((await res.json()) as { id: string }).id;
};
const provisioningRef = (acct: string) => ({
  kind: 'provisioning',
  id: `provisioning_${String(n).padStart(26, '0')}`,
  accountExternalId: acct,
});

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: null });
  driver = new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey, timeoutMs: 5_000 });
});
afterAll(() => emu?.close());
afterEach(async () => {
  await admin('DELETE', '/_emulator/faults');
});

async function failure(p: Promise<unknown>): Promise<PlatformError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PlatformError);
    return err as PlatformError;
  }
  throw new Error('expected the call to fail');
}

describe('HttpPlatformDriver.rotateProvisioningToken', () => {
  it('rotates: a new token and time, the old token no longer boots phones', async () => {
    const acct = await newAccount();
    const ref = provisioningRef(acct);
    const made = await driver.create(ref, { rotation_period_days: 30 });
    const oldToken = String(made.attributes.token);
    expect(oldToken).not.toBe('undefined');
    const rotated = await driver.rotateProvisioningToken({ ...ref, externalId: made.externalId });
    expect(rotated.externalId).toBe(made.externalId);
    expect(rotated.attributes.token).toEqual(expect.any(String));
    expect(rotated.attributes.token).not.toBe(oldToken);
    expect(Date.parse(String(rotated.attributes.token_rotated_at))).toBeGreaterThanOrEqual(
      Date.parse(String(made.attributes.token_rotated_at)),
    );
    // Desired attributes are untouched: rotation is not a change of the author's spec.
    expect(rotated.attributes.rotation_period_days).toBe(30);
    const seen = await driver.observe({ ...ref, externalId: made.externalId });
    expect(seen.exists && seen.attributes.token).toBe(rotated.attributes.token);
    expect((await fetch(`${emu.url}/provision/${oldToken}/config`)).status).toBe(404);
  });

  const cases: Array<{
    why: string;
    reason: PlatformErrorReason;
    setup: (acct: string) => Promise<{ driver: HttpPlatformDriver; acct: string }>;
    retryAfterMs?: number;
  }> = [
    {
      why: 'an account whose provisioning was never written has nothing to rotate: not_found',
      reason: 'not_found',
      setup: async (acct) => ({ driver, acct }),
    },
    {
      why: 'an account the platform does not know is not_found',
      reason: 'not_found',
      setup: async () => ({ driver, acct: 'a-does-not-exist' }),
    },
    {
      why: 'credentials the platform refuses are forbidden',
      reason: 'forbidden',
      setup: async (acct) => ({
        driver: new HttpPlatformDriver({ baseUrl: emu.url, apiKey: 'not-a-key' }),
        acct,
      }),
    },
    {
      why: 'a 503 is retryable (the job tries again on its next run)',
      reason: 'retryable',
      setup: async (acct) => {
        await driver.create(provisioningRef(acct), {});
        await admin('POST', '/_emulator/faults', { mode: 'error', count: 1, status: 503 });
        return { driver, acct };
      },
    },
    {
      why: 'a 429 is retryable no sooner than its Retry-After',
      reason: 'retryable',
      retryAfterMs: 2000,
      setup: async (acct) => {
        await driver.create(provisioningRef(acct), {});
        await admin('POST', '/_emulator/faults', { mode: 'throttle', count: 1, retry_after_s: 2 });
        return { driver, acct };
      },
    },
    {
      why: 'a platform that does not answer is retryable',
      reason: 'retryable',
      setup: async (acct) => ({
        driver: new HttpPlatformDriver({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' }),
        acct,
      }),
    },
  ];
  it.each(cases)('$why', async ({ reason, setup, retryAfterMs }) => {
    const { driver: d, acct } = await setup(await newAccount());
    const err = await failure(
      d.rotateProvisioningToken({ ...provisioningRef(acct), externalId: 'p-1' }),
    );
    expect(err.reason).toBe(reason);
    if (retryAfterMs !== undefined) expect(err.details.retryAfterMs).toBe(retryAfterMs);
  });
});
