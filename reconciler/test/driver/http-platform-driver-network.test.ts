import { startEmulator } from '@telform/emulator';
import type { RunningEmulator } from '@telform/emulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpPlatformDriver } from '../../src/driver/http-platform-driver.js';
import { PlatformError } from '../../src/driver/platform-driver.js';
import { emulatorAdmin } from './emulator-admin.js';

let emu: RunningEmulator;
let acct: string;
const admin = emulatorAdmin(() => emu);

beforeAll(async () => {
  emu = await startEmulator({ port: 0, rateLimit: null });
  acct = (
    (await (
      await admin('POST', '/v1/accounts', { name: 'Net', email: 'n@acme.example' })
    ).json()) as { id: string }
  ).id;
});
afterAll(() => emu.close());
afterEach(async () => {
  await admin('DELETE', '/_emulator/faults');
});

const ref = () => ({ kind: 'user', id: `user_${'0'.repeat(25)}1`, accountExternalId: acct });

describe('HttpPlatformDriver paths', () => {
  it('reaches a sub-account by its own id when its parent is not given', async () => {
    const driver = new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey });
    const ref = {
      kind: 'sub_account',
      id: `sub_account_${'0'.repeat(25)}1`,
      accountExternalId: acct,
    };
    const made = await driver.create(ref, { name: 'Branch', seat_limit: 3 });
    const alone = { kind: 'sub_account', id: ref.id, externalId: made.externalId };
    expect(await driver.observe(alone)).toMatchObject({
      exists: true,
      attributes: { seat_limit: 3 },
    });
    await driver.delete(alone);
    expect(await driver.observe(alone)).toEqual({ exists: false });
  });
});

describe('HttpPlatformDriver without an answer', () => {
  it.each([
    {
      why: 'a dropped connection is retryable',
      fault: { mode: 'drop' },
      timeoutMs: 5_000,
      message: /no answer/,
    },
    {
      why: 'an answer slower than the timeout is retryable',
      fault: { mode: 'latency', latency_ms: 1_000 },
      timeoutMs: 200,
      message: /timed out/,
    },
  ])('$why', async ({ fault, timeoutMs, message }) => {
    await admin('POST', '/_emulator/faults', { ...fault, account_id: acct });
    const driver = new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey, timeoutMs });
    const err = await driver.observe(ref()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlatformError);
    expect((err as PlatformError).reason).toBe('retryable');
    expect((err as PlatformError).message).toMatch(message);
  });

  it('an unreachable platform is retryable', async () => {
    const driver = new HttpPlatformDriver({ baseUrl: 'http://127.0.0.1:9', apiKey: 'k' });
    const err = await driver.observe(ref()).catch((e: unknown) => e);
    expect((err as PlatformError).reason).toBe('retryable');
  });

  it('never retries by itself: one failing request, one error', async () => {
    await admin('POST', '/_emulator/faults', { mode: 'error', status: 503, account_id: acct });
    const driver = new HttpPlatformDriver({ baseUrl: emu.url, apiKey: emu.partnerKey });
    await expect(driver.observe(ref())).rejects.toMatchObject({ reason: 'retryable' });
    const faults = (await (await admin('GET', '/_emulator/faults')).json()) as {
      faults: Array<{ fired: number }>;
    };
    expect(faults.faults[0]!.fired).toBe(1);
  });
});
